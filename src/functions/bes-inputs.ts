// HTTP triggers: BES inputs. Upload a file through the facade (streamed into blob storage), or get a
// write-only SAS URL to upload it straight to storage (files over the Functions request limit).
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { gatewayHandler } from '../lib/gateway/handler.js';
import { inputSasPipeline, uploadInputPipeline } from '../lib/gateway/pipelines.js';
import { routeWithSuffix } from '../lib/settings.js';

export const besUploadInput = gatewayHandler('bes.upload', uploadInputPipeline);
export const besInputSas = gatewayHandler('bes.uploadSas', inputSasPipeline);

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
