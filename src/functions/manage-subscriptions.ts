// HTTP triggers: /manage/subscriptions — create, list, get, change state, regenerate keys (admin key required).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { manageHandler } from '../lib/manage/handler.js';
import { createSubscription, getSubscription, listSubscriptions, regenerateKey, updateSubscription } from '../lib/manage/subscriptions.js';

export const manageCreateSubscription = manageHandler(createSubscription);
export const manageListSubscriptions = manageHandler(listSubscriptions);
export const manageGetSubscription = manageHandler(getSubscription);
export const manageUpdateSubscription = manageHandler(updateSubscription);
export const manageRegenerateKey = manageHandler(regenerateKey);

app.http('manageCreateSubscription', { route: 'manage/subscriptions', methods: ['POST'], authLevel: 'anonymous', handler: manageCreateSubscription });
app.http('manageListSubscriptions', { route: 'manage/subscriptions', methods: ['GET'], authLevel: 'anonymous', handler: manageListSubscriptions });
app.http('manageGetSubscription', { route: 'manage/subscriptions/{id}', methods: ['GET'], authLevel: 'anonymous', handler: manageGetSubscription });
app.http('manageUpdateSubscription', { route: 'manage/subscriptions/{id}', methods: ['PATCH'], authLevel: 'anonymous', handler: manageUpdateSubscription });
app.http('manageRegenerateKey', { route: 'manage/subscriptions/{id}/regenerate', methods: ['POST'], authLevel: 'anonymous', handler: manageRegenerateKey });
