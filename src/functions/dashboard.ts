// HTTP triggers: the dashboard page shell and its assets (anonymous; the page asks for the admin key and
// reads the admin-only usage API with it).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const dashboardPage = lazyHandler(async () => (await import('../lib/handlers/pages.js')).dashboardPage);
export const dashboardAsset = lazyHandler(async () => (await import('../lib/handlers/pages.js')).dashboardAsset);

app.http('manageDashboard', { route: 'manage/dashboard', methods: ['GET'], authLevel: 'anonymous', handler: dashboardPage });
app.http('manageDashboardAsset', { route: 'manage/dashboard/{asset}', methods: ['GET'], authLevel: 'anonymous', handler: dashboardAsset });
