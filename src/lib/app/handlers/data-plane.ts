// The data-plane handlers: each operation is the gateway handler around the access policies and its own terminal
// policy, built from the app's parts on its first call; every answer is counted and logged by the call observer.
import type { Operation } from '../../contracts/operations.js';
import { gatewayHandler } from '../../gateway/handler.js';
import { dataPlanePipeline } from '../../gateway/pipelines.js';
import type { Policy } from '../../gateway/compose.js';
import { forwardRrs } from '../../gateway/policies/forward-rrs.js';
import { uploadInput } from '../../gateway/policies/upload-input.js';
import { issueInputSas } from '../../gateway/policies/issue-input-sas.js';
import { submitJob } from '../../gateway/policies/bes-submit.js';
import { startJob } from '../../gateway/policies/bes-start.js';
import { jobStatus } from '../../gateway/policies/bes-status.js';
import { cancelJob } from '../../gateway/policies/bes-cancel.js';
import { listJobs } from '../../gateway/policies/bes-list.js';
import { downloadResult } from '../../gateway/policies/bes-download.js';
import { observeCalls } from './observe-calls.js';
import type { App } from '../app.js';
import type { HandlerContext, HttpHandlerFactory } from '../operations/operation.js';


/** The handler of one data-plane operation whose terminal policy is built from the app's parts. */
function operation(name: Operation, terminal: (app: App) => Policy): HttpHandlerFactory {
  return ({ app }: HandlerContext) => gatewayHandler(name, () => dataPlanePipeline(app(), terminal(app())), observeCalls(app));
}

export const rrsExecute = operation('rrs.execute', (app) =>
  forwardRrs({ maxRequestBytes: app.settings.maxRequestBytes, maxRows: app.settings.maxRrsRows, defaultTimeoutMs: app.settings.defaultBackendTimeoutMs, backends: app.backends }));
export const besUploadInput = operation('bes.upload', (app) => uploadInput({ blobs: app.blobs }));
export const besInputSas = operation('bes.uploadSas', (app) => issueInputSas({ blobs: app.blobs }));
export const besSubmit = operation('bes.submit', (app) => submitJob(app.bes));
export const besList = operation('bes.list', (app) => listJobs(app.bes));
export const besStart = operation('bes.start', (app) => startJob(app.bes));
export const besStatus = operation('bes.status', (app) => jobStatus(app.bes));
export const besCancel = operation('bes.cancel', (app) => cancelJob(app.bes));
export const besDownload = operation('bes.download', (app) => downloadResult(app.bes));
