// HTTP triggers: BES inputs. Upload a file through the facade (streamed into blob storage), or get a
// write-only SAS URL to upload it straight to storage (files over the Functions request limit).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';
import { routeWithSuffix } from '../lib/app-routes.js';

export const besUploadInput = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besUploadInput);
export const besInputSas = lazyHandler(async () => (await import('../lib/handlers/data-plane.js')).besInputSas);

app.http('besUploadInput', {
  route: routeWithSuffix('workspaces/{workspace}/services/{service}/inputs'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: besUploadInput,
});

app.http('besInputSas', {
  route: routeWithSuffix('workspaces/{workspace}/services/{service}/inputs/sas'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: besInputSas,
});
