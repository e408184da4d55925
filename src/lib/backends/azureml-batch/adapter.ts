// The Azure ML batch endpoint adapter: a classic BES job run as a batch endpoint job. Submit checks what a model
// deployment can take and keeps the request (sealed, by the exchange); Start stages the input where the job can
// read it and invokes the endpoint with an output location of its own (a refused-but-retryable invoke keeps the
// job and is tried again by the poller, with backoff); Status follows the job on the Jobs API, maps every state
// explicitly (wire.ts) and, on Completed, writes the classic result (results.ts) where the facade copies it from.
// Every step is safe to repeat: state is saved before each invoke, and the result is a function of staged blobs.
import type { Backend, BackendJobRequest, BackendJobStatus, BackendTarget, CallOptions, ScoreAnswer } from '../port.js';
import { GatewayError, type ErrorDetail } from '../../errors.js';
import { tokenCredential, withCredential, type BackendTokens } from '../keys.js';
import { probeOrigin, transportsByUrl, jsonOf, type BackendAnswer } from '../transport.js';
import type { BatchExchange, BatchJobState } from '../batch-exchange.js';
import type { AzureMlBatchConfig } from './config.js';
import { CLASSIC_STATE, batchError, invokeBody, jobPath, parseJob, retryable } from './wire.js';
import { composeResult } from './results.js';

type Target = BackendTarget<AzureMlBatchConfig>;

export const INVOKE_SCOPE = 'https://ml.azure.com/.default';
export const MANAGEMENT_SCOPE = 'https://management.azure.com/.default';
const DEPLOYMENT_HEADER = 'azureml-model-deployment';

export interface AzureMlBatchOptions {
  /** Deadline of a control call when the call names none. */
  timeoutMs?: number;
  /** How long the staged input and output locations stay reachable by the batch job. */
  grantMs?: number;
  /** Backoff of a refused invoke: first wait, doubled per failure up to the maximum. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  now?: () => number;
}

export class AzureMlBatchBackend implements Backend<AzureMlBatchConfig> {
  readonly #tokens: BackendTokens;
  readonly #exchange: BatchExchange | undefined;
  readonly #transport = transportsByUrl();
  readonly #timeoutMs: number;
  readonly #grantMs: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #now: () => number;

  constructor(tokens: BackendTokens, exchange: BatchExchange | undefined, options: AzureMlBatchOptions = {}) {
    this.#tokens = tokens;
    this.#exchange = exchange;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#grantMs = options.grantMs ?? 24 * 3_600_000;
    this.#retryBaseMs = options.retryBaseMs ?? 2_000;
    this.#retryMaxMs = options.retryMaxMs ?? 120_000;
    this.#now = options.now ?? Date.now;
  }

  score(target: Target): Promise<ScoreAnswer> {
    return Promise.reject(new GatewayError('BatchOnly', `This service runs on a backend of kind '${target.backend.kind}', which runs batch jobs only; submit a BES job.`));
  }

  async submit(target: Target, job: BackendJobRequest): Promise<string> {
    checkJob(job);
    const key = jobKey(job);
    await this.#store().saveState(key, { request: job, attempt: 0, serviceJob: null, invokeFailures: 0, nextInvokeAt: 0, lastError: null });
    return key;
  }

  async start(target: Target, key: string, options: CallOptions = {}): Promise<void> {
    const state = await this.#load(key);
    if (state.serviceJob || state.attempt > 0) return; // started before: the poller carries on
    await this.#invoke(target.backend, key, state, options, true);
  }

  async status(target: Target, key: string, options: CallOptions = {}): Promise<BackendJobStatus | undefined> {
    const state = await this.#store().loadState(key);
    if (!state) return undefined;
    if (!state.serviceJob) {
      if (this.#now() < state.nextInvokeAt) return { status: 'Running', details: null };
      const invoked = await this.#invoke(target.backend, key, state, options, false);
      if (invoked.failed) return { status: 'Failed', details: invoked.failed };
      return { status: 'Running', details: null };
    }
    const answer = await this.#management(target.backend, 'GET', jobPath(target.backend, state.serviceJob), options);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw batchError(answer, 'status');
    const job = parseJob(jsonOf(answer));
    if (!job) throw new GatewayError('BackendInvalidResponse', 'The Azure ML Jobs API answered with something that is not a job.');
    const status = CLASSIC_STATE[job.state];
    if (status === 'Failed') return { status, details: `The Azure ML batch job ${job.name} failed: ${job.reason ?? 'no reason given'}` };
    if (status !== 'Finished') return { status, details: null };
    await this.#writeResult(target.backend, key, state);
    return { status: 'Finished', details: null };
  }

  async cancel(target: Target, key: string, options: CallOptions = {}): Promise<void> {
    const state = await this.#store().loadState(key);
    if (!state?.serviceJob) return;
    // Asynchronous on Azure ML: the job may sit in CancelRequested for minutes; the facade's job is Cancelled now.
    const answer = await this.#management(target.backend, 'POST', jobPath(target.backend, state.serviceJob, '/cancel'), options);
    if (answer.status >= 300 && answer.status !== 404 && answer.status !== 409) throw batchError(answer, 'cancel');
  }

  async document(): Promise<undefined> {
    return undefined;
  }

  ready(target: Target, options: CallOptions = {}): Promise<void> {
    return probeOrigin(target.backend.baseUrl, options.timeoutMs ?? 3_000);
  }

  /** One invocation with a fresh output location; the attempt is saved before the call, the job name after. */
  async #invoke(config: AzureMlBatchConfig, key: string, state: BatchJobState, options: CallOptions, fromStart: boolean): Promise<{ failed?: string }> {
    const exchange = this.#store();
    const expiresOn = new Date(this.#now() + this.#grantMs);
    const [input] = Object.values(state.request.Inputs);
    const inputUri = await exchange.stageInput(key, input!, expiresOn);
    const attempt = state.attempt + 1;
    const outputUri = await exchange.outputLocation(key, attempt, expiresOn);
    await exchange.saveState(key, { ...state, attempt });
    const transport = this.#transport(config.baseUrl);
    const path = /\/jobs$/.test(transport.basePath) ? transport.basePath : `${transport.basePath}/jobs`;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (config.deployment) headers[DEPLOYMENT_HEADER] = config.deployment;
    if (options.requestId) headers['x-ms-client-request-id'] = options.requestId.slice(0, 40);
    const body = invokeBody(config, inputUri, outputUri);
    let answer: BackendAnswer | undefined;
    let fault: GatewayError | undefined;
    try {
      answer = await withCredential(tokenCredential(this.#tokens, INVOKE_SCOPE), (token) =>
        transport.send('POST', path, { ...headers, authorization: `Bearer ${token}` }, body, options.timeoutMs ?? this.#timeoutMs));
    } catch (error) {
      if (!(error instanceof GatewayError) || error.status < 500) throw error;
      fault = error; // unreachable or too slow: tried again later
    }
    const job = answer?.status === 200 || answer?.status === 201 || answer?.status === 202 ? parseJob(jsonOf(answer)) : undefined;
    if (job) {
      await exchange.saveState(key, { ...state, attempt, serviceJob: job.name, invokeFailures: 0, nextInvokeAt: 0, lastError: null });
      return {};
    }
    if (answer && !retryable(answer.status)) {
      const error = answer.status < 300 ? new GatewayError('BackendInvalidResponse', 'The Azure ML batch endpoint accepted the job but answered no job.') : batchError(answer, 'invoke');
      // From Start, the caller hears it (the facade puts the job back as it was); from the poller, the job fails.
      if (fromStart) throw error;
      return { failed: `The Azure ML batch endpoint refused the job: ${error.details.map((d: ErrorDetail) => d.message).join('; ')}` };
    }
    const failures = state.invokeFailures + 1;
    const waitMs = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** (failures - 1));
    const lastError = fault?.message ?? (answer ? `HTTP ${answer.status}` : 'no answer');
    await exchange.saveState(key, { ...state, attempt, invokeFailures: failures, nextInvokeAt: this.#now() + waitMs, lastError });
    return {};
  }

  async #writeResult(config: AzureMlBatchConfig, key: string, state: BatchJobState): Promise<void> {
    const exchange = this.#store();
    const [input, output] = await Promise.all([exchange.readStaged(key, 'input'), exchange.readStaged(key, state.attempt)]);
    if (!input) throw new GatewayError('BackendOutputNotFound', 'The staged input of the batch job is gone.');
    if (!output) throw new GatewayError('BackendOutputNotFound', `The Azure ML batch job ${state.serviceJob} completed but wrote no output.`);
    const [access] = Object.values(state.request.Outputs);
    await exchange.writeOutput(access!, composeResult(config, input, output));
  }

  #management(config: AzureMlBatchConfig, method: 'GET' | 'POST', path: string, options: CallOptions): Promise<BackendAnswer> {
    const transport = this.#transport(config.managementUrl);
    const headers = { accept: 'application/json', ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) };
    return withCredential(tokenCredential(this.#tokens, MANAGEMENT_SCOPE), (token) =>
      transport.send(method, `${transport.basePath}${path}`, { ...headers, authorization: `Bearer ${token}` }, method === 'POST' ? Buffer.from('{}') : undefined, options.timeoutMs ?? this.#timeoutMs));
  }

  async #load(key: string): Promise<BatchJobState> {
    const state = await this.#store().loadState(key);
    if (!state) throw new GatewayError('BackendError', 'The batch adapter no longer knows this job.');
    return state;
  }

  #store(): BatchExchange {
    if (!this.#exchange) throw new Error('the azureml-batch kind needs the batch exchange (the composition root provides it)');
    return this.#exchange;
  }
}

/** A model deployment takes one input file, writes one output, and has no literal inputs: refuse anything else. */
function checkJob(job: BackendJobRequest): void {
  const problems: ErrorDetail[] = [];
  const inputs = Object.keys(job.Inputs);
  if (inputs.length !== 1) problems.push({ code: 'InvalidInputNames', target: 'Inputs', message: `a batch endpoint's model deployment takes exactly one input, not ${inputs.length}` });
  const outputs = Object.keys(job.Outputs);
  if (outputs.length !== 1) problems.push({ code: 'InvalidOutputNames', target: 'Outputs', message: `a batch endpoint's model deployment writes exactly one output, not ${outputs.length}` });
  for (const name of Object.keys(job.GlobalParameters)) {
    problems.push({ code: 'InvalidGlobalParameter', target: `GlobalParameters.${name}`, message: `a batch endpoint's model deployment takes no parameters; '${name}' belongs in the deployment's settings` });
  }
  if (problems.length > 0) throw new GatewayError(problems[0]!.code === 'InvalidGlobalParameter' ? 'InvalidGlobalParameter' : 'RequestBodyInvalid', 'This batch service cannot take the job as submitted.', { details: problems });
}

/** The facade's job id, read from where it stages the job's output (/staging/{jobId}/…), so the adapter's blobs
 *  sit under the job's prefix and go with it when the job is purged. */
function jobKey(job: BackendJobRequest): string {
  const [output] = Object.values(job.Outputs);
  const match = /^\/staging\/([0-9a-f]{32})\//.exec(output?.RelativeLocation ?? '');
  if (!match) throw new Error('a batch job needs the facade-staged output location');
  return match[1]!;
}
