// HTTP triggers: the classic BES job operations (submit, list, start, status, cancel) and the facade's result
// download, each through the gateway pipeline with its own terminal policy.
import { app } from '@azure/functions';
import '../lib/functions-setup.js';
import { gatewayHandler } from '../lib/gateway/handler.js';
import { besPipeline } from '../lib/gateway/pipelines.js';
import { routeWithSuffix } from '../lib/settings.js';

export const besSubmit = gatewayHandler('bes.submit', besPipeline('submit'));
export const besList = gatewayHandler('bes.list', besPipeline('list'));
export const besStart = gatewayHandler('bes.start', besPipeline('start'));
export const besStatus = gatewayHandler('bes.status', besPipeline('status'));
export const besCancel = gatewayHandler('bes.cancel', besPipeline('cancel'));
export const besDownload = gatewayHandler('bes.download', besPipeline('download'));

const jobs = routeWithSuffix('workspaces/{workspace}/services/{service}/jobs');

app.http('besSubmit', { route: jobs, methods: ['POST'], authLevel: 'anonymous', handler: besSubmit });
app.http('besList', { route: jobs, methods: ['GET'], authLevel: 'anonymous', handler: besList });
app.http('besStart', { route: `${jobs}/{jobId}/start`, methods: ['POST'], authLevel: 'anonymous', handler: besStart });
app.http('besStatus', { route: `${jobs}/{jobId}`, methods: ['GET'], authLevel: 'anonymous', handler: besStatus });
app.http('besCancel', { route: `${jobs}/{jobId}`, methods: ['DELETE'], authLevel: 'anonymous', handler: besCancel });
app.http('besDownload', { route: `${jobs}/{jobId}/results/{output}`, methods: ['GET'], authLevel: 'anonymous', handler: besDownload });
