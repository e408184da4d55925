// HTTP trigger: RRS Execute, the classic synchronous scoring call, through the gateway pipeline.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';
import { routeWithSuffix } from '../lib/app-routes.js';

export const rrsExecute = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).rrsExecute);

app.http('rrsExecute', {
  route: routeWithSuffix('workspaces/{workspace}/services/{service}/execute'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: rrsExecute,
});
