// The data-plane handlers: each operation is the gateway handler around its pipeline. Loaded on the first
// data-plane call (the triggers in src/functions hold lazy handles to these).
import { gatewayHandler } from '../gateway/handler.js';
import { besPipeline, inputSasPipeline, rrsExecutePipeline, uploadInputPipeline } from '../gateway/pipelines.js';

export const rrsExecute = gatewayHandler('rrs.execute', rrsExecutePipeline);
export const besUploadInput = gatewayHandler('bes.upload', uploadInputPipeline);
export const besInputSas = gatewayHandler('bes.uploadSas', inputSasPipeline);
export const besSubmit = gatewayHandler('bes.submit', besPipeline('submit'));
export const besList = gatewayHandler('bes.list', besPipeline('list'));
export const besStart = gatewayHandler('bes.start', besPipeline('start'));
export const besStatus = gatewayHandler('bes.status', besPipeline('status'));
export const besCancel = gatewayHandler('bes.cancel', besPipeline('cancel'));
export const besDownload = gatewayHandler('bes.download', besPipeline('download'));
