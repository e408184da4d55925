// HTTP trigger: RRS Execute, the classic synchronous scoring call, through the gateway pipeline.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { gatewayHandler } from '../lib/gateway/handler.js';
import { rrsExecutePipeline } from '../lib/gateway/pipelines.js';
import { routeWithSuffix } from '../lib/settings.js';

export const rrsExecute = gatewayHandler('rrs.execute', rrsExecutePipeline);

app.http('rrsExecute', {
  route: routeWithSuffix('workspaces/{workspace}/services/{service}/execute'),
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: rrsExecute,
});
