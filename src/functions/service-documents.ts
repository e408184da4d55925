// HTTP triggers: a service's documents, anonymous as classic services published them: its Swagger 2.0 document
// (…/swagger.json) and its API help document (…/apidocument), which client libraries read for names and types.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';
import { routeWithSuffix } from '../lib/app-routes.js';
import { dataPlaneRoute, type DataPlaneOperationName } from '../lib/data-plane-routes.js';

export const serviceSwagger = lazyHandler(async () => (await import('../lib/handlers/documents.js')).serviceSwagger);
export const serviceApiDocument = lazyHandler(async () => (await import('../lib/handlers/documents.js')).serviceApiDocument);

const handlers = { serviceSwagger, serviceApiDocument } satisfies Partial<Record<DataPlaneOperationName, unknown>>;
for (const [name, handler] of Object.entries(handlers)) {
  const { route, method } = dataPlaneRoute(name as DataPlaneOperationName);
  app.http(name, { route: routeWithSuffix(route), methods: [method], authLevel: 'anonymous', handler });
}
