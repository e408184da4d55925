// HTTP trigger: GET /openapi.json — the OpenAPI 3.1 document generated from the zod contracts.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const openApiDocument = lazyHandler(async () => (await import('../lib/handlers/pages.js')).openApiDocument);

app.http('openApiDocument', { route: 'openapi.json', methods: ['GET'], authLevel: 'anonymous', handler: openApiDocument });
