// The batch endpoint's wire mapped to the facade's terms, in one place: the invoke body (one input, one output,
// both UriFile), the job resource (its name and status, a failed job's reason), the ARM path of a job, every Azure ML
// job state mapped explicitly to the classic lifecycle, and error answers.
import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import type { JobStatusCode } from '../../contracts/bes.js';
import { headerValue, jsonOf, type BackendAnswer } from '../transport.js';
import type { AzureMlBatchConfig } from './config.js';

export const AZUREML_JOB_STATES = [
  'NotStarted', 'Starting', 'Preparing', 'Queued', 'Running', 'Finalizing', 'CancelRequested',
  'Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused', 'Unknown',
] as const;
export type AzureMlJobState = (typeof AZUREML_JOB_STATES)[number];

/**
 * Every Azure ML job state as the classic lifecycle sees it. A started classic job is Running until it ends, so
 * everything before an end is Running: queued and preparing included, and CancelRequested (the facade has already
 * told the caller Cancelled when it asked), NotResponding, Paused and Unknown (transient for Azure ML; the facade's
 * maximum run time bounds them). Completed is Finished once the result is written.
 */
export const CLASSIC_STATE: Record<AzureMlJobState, JobStatusCode> = {
  NotStarted: 'Running',
  Starting: 'Running',
  Preparing: 'Running',
  Queued: 'Running',
  Running: 'Running',
  Finalizing: 'Running',
  CancelRequested: 'Running',
  NotResponding: 'Running',
  Paused: 'Running',
  Unknown: 'Running',
  Completed: 'Finished',
  Failed: 'Failed',
  Canceled: 'Cancelled',
};

/** The invoke body: the job's one input and one output, both files addressed by URL. */
export function invokeBody(config: AzureMlBatchConfig, inputUri: string, outputUri: string): Buffer {
  return Buffer.from(JSON.stringify({
    properties: {
      InputData: { [config.inputName]: { JobInputType: 'UriFile', Uri: inputUri } },
      OutputData: { [config.outputName]: { JobOutputType: 'UriFile', Uri: outputUri } },
    },
  }));
}

const Message = z.string().max(4000);
const JobResource = z.object({
  id: z.string().max(2000).optional(),
  name: z.string().max(256).optional(),
  properties: z.object({
    status: z.string().max(64),
    error: z.object({ code: z.string().max(200).optional(), message: Message.optional() }).nullish(),
    statusMessage: Message.nullish(),
  }).passthrough(),
});

export interface ServiceJob {
  name: string;
  state: AzureMlJobState;
  /** Why it failed, when it says. */
  reason: string | null;
}

/** A job resource (the invoke answer, or the Jobs API's): its name (the id's last segment) and state. */
export function parseJob(body: unknown): ServiceJob | undefined {
  const parsed = JobResource.safeParse(body);
  if (!parsed.success) return undefined;
  const { id, name, properties } = parsed.data;
  const jobName = name ?? id?.split('/').filter(Boolean).pop();
  if (!jobName || !/^[A-Za-z0-9_-]{1,256}$/.test(jobName)) return undefined;
  const state = (AZUREML_JOB_STATES as readonly string[]).includes(properties.status) ? (properties.status as AzureMlJobState) : 'Unknown';
  const reason = properties.error?.message ?? properties.statusMessage ?? null;
  return { name: jobName, state, reason: reason ? reason.replace(/[\r\n\t]+/g, ' ').slice(0, 1000) : null };
}

/** The job's path on Azure Resource Manager. */
export function jobPath(config: AzureMlBatchConfig, job: string, action = ''): string {
  const { subscriptionId, resourceGroup, name } = config.workspace;
  const ws = `/subscriptions/${subscriptionId}/resourceGroups/${encodeURIComponent(resourceGroup)}/providers/Microsoft.MachineLearningServices/workspaces/${encodeURIComponent(name)}`;
  return `${ws}/jobs/${encodeURIComponent(job)}${action}?api-version=${config.apiVersion}`;
}

/** Worth trying again later: the service is busy or failing, not refusing this job. */
export function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function said(answer: BackendAnswer): string {
  const json = jsonOf(answer) as { error?: { message?: unknown }; message?: unknown } | undefined;
  const text = typeof json?.error?.message === 'string' ? json.error.message : typeof json?.message === 'string' ? json.message : answer.body.toString('utf8', 0, Math.min(300, answer.body.length));
  return text.replace(/[\r\n\t]+/g, ' ').slice(0, 300);
}

/** A refused invoke or Jobs API call (after the token refresh) as the facade's error, the service's words in details. */
export function batchError(answer: BackendAnswer, what: 'invoke' | 'status' | 'cancel'): GatewayError {
  const { status } = answer;
  const message = `The Azure ML batch endpoint refused the ${what} (HTTP ${status}).`;
  const details = [{ code: 'BackendError', message }, { code: `AzureML${status}`, target: 'backend', message: said(answer) || `HTTP ${status}` }];
  if (status === 429 || status === 503) {
    const retryAfter = headerValue(answer.headers, 'retry-after');
    return new GatewayError('BackendBusy', message, { details: [{ code: 'BackendBusy', message }, details[1]!], headers: { 'Retry-After': retryAfter && /^\d{1,5}$/.test(retryAfter) ? retryAfter : '1' } });
  }
  return new GatewayError('BackendError', message, { details });
}
