// HTTP triggers: GET /health — anonymous liveness (200 or 503, naming nothing inside, cached per instance) — and
// GET /manage/health — the admin's report of storage, Key Vault and every backend.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const health = lazyHandler(async () => (await import('../lib/handlers/pages.js')).health);
export const manageHealth = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageHealth);

app.http('health', { route: 'health', methods: ['GET'], authLevel: 'anonymous', handler: health });
app.http('manageHealth', { route: 'manage/health', methods: ['GET'], authLevel: 'anonymous', handler: manageHealth });
