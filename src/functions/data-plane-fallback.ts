// HTTP trigger: the data plane's fallback, a catch-all ranked after every other route. Classic clients that join a
// base URL ending in "/" with "/execute" send ".../services/svc//execute", which the host's routing matches to no
// function; this trigger finds the operation such a path names (same table as the triggers) and serves it, and
// answers anything else with the classic 404 instead of the host's empty one.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const dataPlaneFallback = lazyHandler(async () => (await import('../lib/handlers/fallback.js')).dataPlaneFallback);

app.http('dataPlaneFallback', {
  route: '{*path}',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
  authLevel: 'anonymous',
  handler: dataPlaneFallback,
});
