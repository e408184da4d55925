// HTTP trigger: GET /health — 200 when storage, Key Vault and every backend are reachable, 503 naming what is not.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const health = lazyHandler(async () => (await import('../lib/handlers/pages.js')).health);

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: health,
});
