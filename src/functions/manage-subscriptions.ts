// HTTP triggers: /manage/subscriptions — create, list, get, change state, regenerate keys (admin key required).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const manageCreateSubscription = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageCreateSubscription);
export const manageListSubscriptions = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageListSubscriptions);
export const manageGetSubscription = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageGetSubscription);
export const manageUpdateSubscription = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageUpdateSubscription);
export const manageRegenerateKey = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageRegenerateKey);

app.http('manageCreateSubscription', { route: 'manage/subscriptions', methods: ['POST'], authLevel: 'anonymous', handler: manageCreateSubscription });
app.http('manageListSubscriptions', { route: 'manage/subscriptions', methods: ['GET'], authLevel: 'anonymous', handler: manageListSubscriptions });
app.http('manageGetSubscription', { route: 'manage/subscriptions/{id}', methods: ['GET'], authLevel: 'anonymous', handler: manageGetSubscription });
app.http('manageUpdateSubscription', { route: 'manage/subscriptions/{id}', methods: ['PATCH'], authLevel: 'anonymous', handler: manageUpdateSubscription });
app.http('manageRegenerateKey', { route: 'manage/subscriptions/{id}/regenerate', methods: ['POST'], authLevel: 'anonymous', handler: manageRegenerateKey });
