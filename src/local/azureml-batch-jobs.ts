// Jobs of the Azure ML batch endpoint STAND-IN (azureml-batch-standin.ts): the state walk of a batch deployment job
// and the job resource as ARM shows it. In Running a job really runs the deployment's scoring script through the
// batch runtime stand-in (models/batch-runtime/driver.py): it downloads the input blob, runs the driver and uploads
// the output file (append_row) to the output blob. Nothing here talks to Azure.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** JobStatus of the Machine Learning Services REST API (Provisioning, "not used currently", is left out). */
export type JobStatus =
  | 'NotStarted' | 'Starting' | 'Preparing' | 'Queued' | 'Running' | 'Finalizing' | 'CancelRequested'
  | 'Completed' | 'Failed' | 'Canceled' | 'NotResponding' | 'Paused' | 'Unknown';
export const TERMINAL: ReadonlySet<JobStatus> = new Set(['Completed', 'Failed', 'Canceled']);

export interface BatchDeployment {
  scoringScript: string;
  /** The deployment's code directory: the driver's working directory (default: the scoring script's directory). */
  codeDir?: string;
  miniBatchSize?: number;
  /** The deployment's environment_variables. */
  env?: Record<string, string>;
}

export interface BatchJob {
  name: string;
  deployment: string;
  input: { name: string; uri: string };
  output: { name: string; uri: string };
  status: JobStatus;
  statusLog: JobStatus[];
  createdAt: string;
  error?: { code: string; message: string };
  failWith?: string;
  child?: ChildProcess;
  abort: AbortController;
}

export interface JobRunnerOptions {
  python: string;
  driver: string;
  stepMs: number;
  cancelDelayMs: number;
  isHeld: () => boolean;
  waitForRelease: () => Promise<void>;
}

/** A URL without its query (the SAS token) and fragment. */
export const withoutQuery = (uri: string): string => uri.replace(/[?#].*$/s, '');

export function newJob(deployment: string, input: BatchJob['input'], output: BatchJob['output']): BatchJob {
  const name = `batchjob-${randomUUID()}`;
  return { name, deployment, input, output, status: 'NotStarted', statusLog: ['NotStarted'], createdAt: new Date().toISOString(), abort: new AbortController() };
}

const setStatus = (job: BatchJob, status: JobStatus): void => {
  job.status = status;
  job.statusLog.push(status);
};

/** The first line of a message, trimmed and bounded (as a job's error shows it). */
const firstLine = (text: string): string => (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim().slice(0, 1000);

/**
 * The job resource (JobBase of the Machine Learning Services REST API) as the invoke answer and ARM GET show it.
 * Input and output URIs are shown without their SAS tokens. Azure's JobBaseProperties has no documented field for
 * a failed job's error (the studio shows it from the job's logs); this stand-in's choice is properties.error
 * {code, message}, present only on Failed jobs.
 */
export function jobResource(job: BatchJob, armPrefix: string, endpointName: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    description: null,
    tags: {},
    properties: { 'azureml.endpointname': endpointName, 'azureml.deploymentname': job.deployment },
    displayName: job.name,
    status: job.status,
    experimentName: endpointName,
    isArchived: false,
    jobType: 'Pipeline',
    inputs: { [job.input.name]: { jobInputType: 'uri_file', uri: withoutQuery(job.input.uri) } },
    outputs: { [job.output.name]: { jobOutputType: 'uri_file', uri: withoutQuery(job.output.uri) } },
  };
  if (job.error) properties.error = job.error;
  return {
    id: `${armPrefix}/jobs/${job.name}`,
    name: job.name,
    type: 'Microsoft.MachineLearningServices/workspaces/jobs',
    properties,
    systemData: { createdAt: job.createdAt, createdByType: 'User' },
  };
}

/** Requests cancellation: CancelRequested now (the driver is killed), Canceled after cancelDelayMs. */
export function cancelJob(job: BatchJob, cancelDelayMs: number, timers: Set<NodeJS.Timeout>): void {
  setStatus(job, 'CancelRequested');
  job.abort.abort();
  job.child?.kill('SIGKILL');
  const timer = setTimeout(() => {
    timers.delete(timer);
    setStatus(job, 'Canceled');
  }, cancelDelayMs);
  timers.add(timer);
}

/** Walks the job through its states; never throws (a failure makes the job Failed with the message). */
export async function runJob(job: BatchJob, deployment: BatchDeployment, options: JobRunnerOptions): Promise<void> {
  const canceled = (): boolean => job.abort.signal.aborted;
  const step = (): Promise<void> =>
    new Promise((resolve) => {
      const onAbort = (): void => (clearTimeout(timer), resolve());
      const timer = setTimeout(() => (job.abort.signal.removeEventListener('abort', onAbort), resolve()), options.stepMs);
      job.abort.signal.addEventListener('abort', onAbort, { once: true });
    });
  let dir: string | undefined;
  try {
    await step();
    if (canceled()) return;
    setStatus(job, 'Queued');
    const aborted = new Promise<void>((resolve) => job.abort.signal.addEventListener('abort', () => resolve(), { once: true }));
    while (options.isHeld() && !canceled()) await Promise.race([options.waitForRelease(), aborted]);
    for (const next of ['Starting', 'Preparing', 'Running'] as const) {
      await step();
      if (canceled()) return;
      setStatus(job, next);
    }
    if (job.failWith !== undefined) throw new Error(job.failWith);
    dir = await mkdtemp(path.join(tmpdir(), 'aml-batch-'));
    const inputFile = await download(job, dir);
    if (canceled()) return;
    const outputFile = path.join(dir, 'out', 'predictions.csv');
    await runDriver(job, deployment, options, inputFile, outputFile);
    if (canceled()) return;
    await upload(job, outputFile);
    if (canceled()) return;
    setStatus(job, 'Finalizing');
    await step();
    if (canceled()) return;
    setStatus(job, 'Completed');
  } catch (err) {
    if (canceled()) return;
    job.error = { code: 'UserError', message: firstLine(err instanceof Error ? err.message : String(err)) || 'The job failed' };
    setStatus(job, 'Failed');
  } finally {
    job.child = undefined;
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function download(job: BatchJob, dir: string): Promise<string> {
  const res = await fetch(job.input.uri, { signal: job.abort.signal });
  if (!res.ok) throw new Error(`Input '${job.input.name}' could not be read: HTTP ${res.status} for ${withoutQuery(job.input.uri)}`);
  const body = Buffer.from(await res.arrayBuffer());
  // Saved under its blob name, as the runtime mounts or downloads it (run() sees that base name).
  let name = 'input.csv';
  try {
    name = decodeURIComponent(new URL(job.input.uri).pathname.split('/').filter(Boolean).pop() ?? name);
  } catch {
    /* keep the default */
  }
  const safe = path.basename(name).replace(/[\0/\\]/g, '_') || 'input.csv';
  await mkdir(path.join(dir, 'in'));
  await mkdir(path.join(dir, 'out'));
  const file = path.join(dir, 'in', safe === '.' || safe === '..' ? 'input.csv' : safe);
  await writeFile(file, body);
  return file;
}

function runDriver(job: BatchJob, deployment: BatchDeployment, options: JobRunnerOptions, input: string, output: string): Promise<void> {
  const script = path.resolve(deployment.scoringScript);
  const args = [options.driver, '--script', script, '--output', output, '--mini-batch-size', String(deployment.miniBatchSize ?? 10), input];
  // Only what Python needs from this process, then the deployment's environment_variables (never our secrets).
  const base: Record<string, string> = { LANG: 'C.UTF-8', PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' };
  for (const name of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR']) if (process.env[name]) base[name] = process.env[name]!;
  return new Promise((resolve, reject) => {
    const child = spawn(options.python, args, { cwd: deployment.codeDir ?? path.dirname(script), env: { ...base, ...deployment.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    job.child = child;
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => void (stderr.length < 64 * 1024 && (stderr += chunk)));
    child.on('error', (err) => reject(new Error(`The batch runtime could not start: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(firstLine(stderr) || `The batch runtime exited with ${signal ?? `code ${code}`}`));
    });
  });
}

async function upload(job: BatchJob, outputFile: string): Promise<void> {
  const body = await readFile(outputFile).catch(() => Buffer.alloc(0)); // no rows: an empty file
  const res = await fetch(job.output.uri, {
    method: 'PUT',
    body,
    headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/csv; charset=utf-8' },
    signal: job.abort.signal,
  });
  if (!res.ok) throw new Error(`Output '${job.output.name}' could not be written: HTTP ${res.status} for ${withoutQuery(job.output.uri)}`);
}
