// HTTP triggers: the classic BES job operations (submit, list, start, status, cancel) and the facade's result
// download, each through the gateway pipeline with its own terminal policy.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';
import { routeWithSuffix } from '../lib/app-routes.js';
import { dataPlaneRoute, type DataPlaneOperationName } from '../lib/data-plane-routes.js';

export const besSubmit = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besSubmit);
export const besList = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besList);
export const besStart = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besStart);
export const besStatus = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besStatus);
export const besCancel = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besCancel);
export const besDownload = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besDownload);

const handlers = { besSubmit, besList, besStart, besStatus, besCancel, besDownload } satisfies Partial<Record<DataPlaneOperationName, unknown>>;
for (const [name, handler] of Object.entries(handlers)) {
  const { route, method } = dataPlaneRoute(name as DataPlaneOperationName);
  app.http(name, { route: routeWithSuffix(route), methods: [method], authLevel: 'anonymous', handler });
}
