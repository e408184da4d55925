// HTTP trigger: RRS Execute, the classic synchronous scoring call, through the gateway pipeline.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';
import { routeWithSuffix } from '../lib/app-routes.js';
import { dataPlaneRoute } from '../lib/data-plane-routes.js';

export const rrsExecute = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).rrsExecute);

const { route, method } = dataPlaneRoute('rrsExecute');
app.http('rrsExecute', { route: routeWithSuffix(route), methods: [method], authLevel: 'anonymous', handler: rrsExecute });
