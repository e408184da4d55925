// HTTP triggers: the classic BES job operations (submit, list, start, status, cancel) and the facade's result
// download, each through the gateway pipeline with its own terminal policy.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';
import { routeWithSuffix } from '../lib/app-routes.js';

export const besSubmit = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besSubmit);
export const besList = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besList);
export const besStart = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besStart);
export const besStatus = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besStatus);
export const besCancel = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besCancel);
export const besDownload = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besDownload);

const jobs = routeWithSuffix('workspaces/{workspace}/services/{service}/jobs');

app.http('besSubmit', { route: jobs, methods: ['POST'], authLevel: 'anonymous', handler: besSubmit });
app.http('besList', { route: jobs, methods: ['GET'], authLevel: 'anonymous', handler: besList });
app.http('besStart', { route: `${jobs}/{jobId}/start`, methods: ['POST'], authLevel: 'anonymous', handler: besStart });
app.http('besStatus', { route: `${jobs}/{jobId}`, methods: ['GET'], authLevel: 'anonymous', handler: besStatus });
app.http('besCancel', { route: `${jobs}/{jobId}`, methods: ['DELETE'], authLevel: 'anonymous', handler: besCancel });
app.http('besDownload', { route: `${jobs}/{jobId}/results/{output}`, methods: ['GET'], authLevel: 'anonymous', handler: besDownload });
