// HTTP triggers: BES inputs. Upload a file through the facade (streamed into blob storage), or get a
// write-only SAS URL to upload it straight to storage (files over the Functions request limit).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';
import { routeWithSuffix } from '../lib/app-routes.js';
import { dataPlaneRoute, type DataPlaneOperationName } from '../lib/data-plane-routes.js';

export const besUploadInput = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besUploadInput);
export const besInputSas = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besInputSas);

const handlers = { besUploadInput, besInputSas } satisfies Partial<Record<DataPlaneOperationName, unknown>>;
for (const [name, handler] of Object.entries(handlers)) {
  const { route, method } = dataPlaneRoute(name as DataPlaneOperationName);
  app.http(name, { route: routeWithSuffix(route), methods: [method], authLevel: 'anonymous', handler });
}
