// A loopback STAND-IN for the two Azure-only planes of an Azure ML batch endpoint, written from the documented
// contract ("Run batch endpoints from REST", "Create jobs and input data for batch endpoints", the Machine Learning
// Services REST API's Jobs - Get / Jobs - Cancel): the invoke plane (POST /jobs on <endpoint>.<region>.inference.
// ml.azure.com, Entra tokens of audience https://ml.azure.com, no keys) and the ARM Jobs API (management.azure.com,
// audience https://management.azure.com). One server serves both. Jobs really run the deployment's scoring script
// through the batch runtime stand-in (models/batch-runtime/driver.py); see azureml-batch-jobs.ts. Tokens are never
// logged.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isLoopbackHost } from '../lib/platform.js';
import { listenLoopback } from './env.js';
import { cancelJob, jobResource, newJob, runJob, TERMINAL, withoutQuery, type BatchDeployment, type BatchJob, type JobStatus } from './azureml-batch-jobs.js';
import { DEPLOYMENT_NAME_RE, readBody, reply } from './azureml-online-wire.js';
import { createTokenIssuer } from './identity-tokens.js';

export type { BatchDeployment, JobStatus } from './azureml-batch-jobs.js';
export const ML_AUDIENCE = 'https://ml.azure.com';
export const ARM_AUDIENCE = 'https://management.azure.com';

export interface AzureMlBatchStandInOptions {
  port?: number;
  host?: string;
  python: string;
  /** Path of models/batch-runtime/driver.py. */
  driver: string;
  deployments: Record<string, BatchDeployment>;
  defaultDeployment: string;
  /** Verifies bearer tokens (identity-tokens.ts): the Key Vault stand-in's signing key. */
  signingKey: string;
  workspace: { subscriptionId: string; resourceGroup: string; workspace: string };
  endpointName?: string;
  /** Time per state step (default 20 ms). */
  stepMs?: number;
  /** Time a canceled job stays in CancelRequested (default 200 ms). */
  cancelDelayMs?: number;
}

export interface BatchCall { plane: 'invoke' | 'arm'; method: string; path: string; status: number; audience?: string }

export interface AzureMlBatchStandIn {
  url: string;
  /** The last 200 calls, oldest first (never a token; paths without their query). */
  log: BatchCall[];
  /** While on, new and queued jobs stay in Queued. */
  holdQueued(on: boolean): void;
  /** The next `times` invokes (after auth) answer this status with an Azure-shaped error (429 and 503 with Retry-After). */
  failNextInvoke(status: number, times?: number): void;
  /** The next job fails in Running with this message. */
  failNextJob(message: string): void;
  jobs(): Array<{ name: string; status: JobStatus; deployment: string; inputUri: string; outputUri: string }>;
  statusLog(name: string): string[];
  close(): Promise<void>;
}

const ARM_JOB_RE = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\/jobs\/([^/]+?)(\/cancel)?$/i;
const errorBody = (code: string, message: string): string => JSON.stringify({ error: { code, message } });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function startAzureMlBatchStandIn(options: AzureMlBatchStandInOptions): Promise<AzureMlBatchStandIn> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`Azure ML batch endpoint stand-in only listens on loopback, not '${host}'`);
  for (const [name, d] of Object.entries(options.deployments)) {
    if (!DEPLOYMENT_NAME_RE.test(name)) throw new Error(`Deployment name '${name.slice(0, 40)}' must be 3-32 letters, digits or '-', starting with a letter`);
    if (!d.scoringScript) throw new Error(`Deployment '${name}': scoringScript is required`);
    if (d.miniBatchSize !== undefined && (!Number.isInteger(d.miniBatchSize) || d.miniBatchSize < 1)) throw new Error(`Deployment '${name}': miniBatchSize must be a whole number from 1`);
  }
  if (!Object.hasOwn(options.deployments, options.defaultDeployment)) throw new Error(`defaultDeployment '${options.defaultDeployment}' is not one of the deployments`);
  if (!options.signingKey) throw new Error('A token signing key is required');
  const tokens = createTokenIssuer(Buffer.from(options.signingKey), 3600);
  const ws = options.workspace;
  const armPrefix = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.workspace}`;
  const endpointName = options.endpointName ?? 'feature-hashing-batch';
  const stepMs = options.stepMs ?? 20;
  const cancelDelayMs = options.cancelDelayMs ?? 200;
  const jobs = new Map<string, BatchJob>();
  const usedOutputs = new Set<string>();
  const invokeFailures: number[] = [];
  const jobFailures: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const log: BatchCall[] = [];
  let held = false;
  let releaseWaiters: Array<() => void> = [];
  const runner = {
    python: options.python, driver: options.driver, stepMs, cancelDelayMs,
    isHeld: () => held,
    waitForRelease: () => new Promise<void>((resolve) => releaseWaiters.push(resolve)),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const arm = ARM_JOB_RE.exec(url.pathname);
    const call: BatchCall = { plane: arm ? 'arm' : 'invoke', method: req.method ?? '', path: url.pathname, status: 0 };
    const aud = [ML_AUDIENCE, ARM_AUDIENCE].find((a) => tokens.verify(req.headers.authorization, a));
    if (aud) call.audience = aud;
    const answer = (status: number, body: string, headers: Record<string, string> = {}): void => {
      req.resume();
      call.status = status;
      log.push(call);
      if (log.length > 200) log.splice(0, log.length - 200);
      reply(res, status, body, { ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...headers });
    };
    const needed = arm ? ARM_AUDIENCE : ML_AUDIENCE;
    if (aud !== needed) {
      const code = arm ? 'InvalidAuthenticationToken' : 'Unauthorized';
      return answer(401, errorBody(code, `The access token is missing, invalid or expired, or is not for the audience ${needed}.`), { 'www-authenticate': 'Bearer' });
    }

    if (arm) {
      if (!url.searchParams.get('api-version')) return answer(400, errorBody('MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'));
      const [, sub, rg, wsName, name, cancel] = arm;
      const job = jobs.get(name!);
      const sameWorkspace = [sub, rg, wsName].join('/').toLowerCase() === [ws.subscriptionId, ws.resourceGroup, ws.workspace].join('/').toLowerCase();
      if (!job || !sameWorkspace) return answer(404, errorBody('ResourceNotFound', `The job '${name!.slice(0, 100)}' was not found in workspace '${wsName!.slice(0, 100)}'.`));
      if (!cancel && req.method === 'GET') return answer(200, JSON.stringify(jobResource(job, armPrefix, endpointName)));
      if (!cancel || req.method !== 'POST') return answer(405, errorBody('MethodNotAllowed', `${req.method} is not allowed on this resource.`));
      // Documented: "Cancels a Job (asynchronous)", 202 with Location and Retry-After. A terminal job: the docs are
      // silent; this stand-in answers 200 and changes nothing. CancelRequested already: 202 again, no new state.
      if (TERMINAL.has(job.status)) return answer(200, '');
      if (job.status !== 'CancelRequested') cancelJob(job, cancelDelayMs, timers);
      // Location: Azure's is an operation-result URL; this stand-in points at the job itself (poll its status).
      return answer(202, '', { location: `${armPrefix}/jobs/${job.name}?api-version=${encodeURIComponent(url.searchParams.get('api-version')!)}`, 'retry-after': '1' });
    }

    if (req.method !== 'POST' || url.pathname !== '/jobs') return answer(404, errorBody('NotFound', 'Not found. The batch endpoint accepts POST /jobs.'));
    if (invokeFailures.length > 0) {
      const status = invokeFailures.shift()!;
      const code = status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : 'StandInFailure';
      return answer(status, errorBody(code, `Stand-in failure ${status}`), status === 429 || status === 503 ? { 'retry-after': '1' } : {});
    }
    const pinned = req.headers['azureml-model-deployment'];
    const deploymentName = typeof pinned === 'string' && pinned !== '' ? pinned : options.defaultDeployment;
    const deployment = Object.hasOwn(options.deployments, deploymentName) ? options.deployments[deploymentName] : undefined;
    if (!deployment) return answer(404, errorBody('NotFound', `Deployment '${deploymentName.slice(0, 40)}' does not exist on endpoint '${endpointName}'.`));
    const bad = (message: string): void => answer(400, errorBody('UserError', message));
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, 1024 * 1024)).toString('utf8'));
    } catch {
      return bad('The request body must be JSON: {"properties": {"InputData": {...}, "OutputData": {...}}}.');
    }
    const props = isRecord(body) ? body.properties : undefined;
    const inputs = isRecord(props) && isRecord(props.InputData) ? Object.entries(props.InputData) : [];
    const outputs = isRecord(props) && isRecord(props.OutputData) ? Object.entries(props.OutputData) : [];
    if (inputs.length !== 1) return bad('Model deployments take exactly one input (properties.InputData).');
    if (outputs.length !== 1) return bad('Model deployments take exactly one output (properties.OutputData).');
    const [[inputName, input]] = inputs as [[string, unknown]];
    const [[outputName, output]] = outputs as [[string, unknown]];
    const httpUri = (v: unknown): v is string => typeof v === 'string' && /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v);
    if (!isRecord(input) || (input.JobInputType !== 'UriFile' && input.JobInputType !== 'UriFolder')) return bad(`Input '${inputName}': JobInputType must be UriFile or UriFolder.`);
    if (input.JobInputType === 'UriFolder') return bad('Only UriFile inputs in this stand-in.');
    if (!httpUri(input.Uri)) return bad(`Input '${inputName}': Uri must be an http(s) URL.`);
    if (!isRecord(output) || output.JobOutputType !== 'UriFile') return bad(`Output '${outputName}': JobOutputType must be UriFile.`);
    if (!httpUri(output.Uri)) return bad(`Output '${outputName}': Uri must be an http(s) URL.`);
    const outputKey = withoutQuery(output.Uri);
    if (usedOutputs.has(outputKey)) return bad(`Output '${outputName}': the location ${outputKey} was used by another job; output locations must be unique.`);
    usedOutputs.add(outputKey);

    const job = newJob(deploymentName, { name: inputName, uri: input.Uri }, { name: outputName, uri: output.Uri });
    if (jobFailures.length > 0) job.failWith = jobFailures.shift()!;
    jobs.set(job.name, job);
    void runJob(job, deployment, runner);
    answer(200, JSON.stringify(jobResource(job, armPrefix, endpointName)));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => (res.headersSent ? res.destroy() : reply(res, 500, errorBody('InternalServerError', 'Internal error'), {})));
  });
  server.keepAliveTimeout = 30_000;
  const url = await listenLoopback(server, host, options.port ?? 0);

  return {
    url,
    log,
    holdQueued(on) {
      held = on;
      if (!on) for (const wake of releaseWaiters.splice(0)) wake();
    },
    failNextInvoke(status, times = 1) {
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error('failNextInvoke status must be 400-599');
      if (!Number.isInteger(times) || times < 1) throw new Error('times must be a whole number from 1');
      for (let i = 0; i < times; i++) invokeFailures.push(status);
    },
    failNextJob: (message) => void jobFailures.push(message),
    jobs: () =>
      [...jobs.values()].map((j) => ({ name: j.name, status: j.status, deployment: j.deployment, inputUri: withoutQuery(j.input.uri), outputUri: withoutQuery(j.output.uri) })),
    statusLog: (name) => [...(jobs.get(name)?.statusLog ?? [])],
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const job of jobs.values()) {
          job.abort.abort();
          job.child?.kill('SIGKILL');
        }
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const wake of releaseWaiters.splice(0)) wake();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
