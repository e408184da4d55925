// The BES job lifecycle: submit → NotStarted, start → Running (queued until one of `concurrency` run slots is free),
// then Finished / Failed; delete cancels an active job or forgets a finished one.
import { randomBytes } from 'node:crypto';
import { ServiceError, notFound } from '../errors.js';
import { JobStore, isTerminal, jobListItem, jobStatus, type Job, type JobState, type JobStatus } from './jobs.js';
import { JobFailure, runJob } from './runner.js';
import { blockBlob } from './storage.js';
import { parseSubmit } from './submit.js';

export interface BesOptions {
  /** Jobs running at once (default 4); started jobs beyond it wait, shown as Running. */
  concurrency?: number;
  /** Job records kept (default 10,000). */
  maxJobs?: number;
  /** Test aid: a pause per scored row. */
  rowDelayMs?: number;
}

export const DEFAULT_BES_CONCURRENCY = 4;
export const DEFAULT_BES_MAX_JOBS = 10_000;
/** How long Delete waits for a cancelled job to let go of its blobs before answering anyway. */
const CANCEL_WAIT_MS = 10_000;

export function jobNotFound(id: string): ServiceError {
  return notFound('JobNotFound', `Job '${id}' was not found.`, 'jobId');
}

function cannotStart(state: JobState): ServiceError {
  const message = `The job cannot be started because it is in ${state} state.`;
  return new ServiceError(400, 'InvalidOperation', message, { code: 'CannotStartJob', target: 'jobId', message });
}

const waitAtMost = (promise: Promise<void>, ms: number): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = (): void => (clearTimeout(timer), resolve());
    promise.then(done, done);
  });

export class BesService {
  private readonly store: JobStore;
  private readonly concurrency: number;
  private readonly rowDelayMs: number;
  private readonly waiting: Job[] = [];
  private active = 0;

  constructor(options: BesOptions = {}) {
    this.concurrency = options.concurrency ?? DEFAULT_BES_CONCURRENCY;
    this.rowDelayMs = options.rowDelayMs ?? 0;
    this.store = new JobStore(options.maxJobs ?? DEFAULT_BES_MAX_JOBS);
  }

  /** Validates the body (classic 400s) and records a NotStarted job; returns its id. */
  submit(body: unknown): string {
    const id = randomBytes(16).toString('hex');
    const spec = parseSubmit(body, id);
    this.store.add({ id, spec, state: 'NotStarted', createdAt: new Date(), startTime: null, endTime: null, details: null });
    return id;
  }

  start(id: string): void {
    const job = this.require(id);
    if (job.state !== 'NotStarted') throw cannotStart(job.state);
    job.state = 'Running';
    job.startTime = new Date();
    this.waiting.push(job);
    this.pump();
  }

  status(id: string): JobStatus {
    return jobStatus(this.require(id));
  }

  list(): ReturnType<typeof jobListItem>[] {
    return Array.from(this.store.all(), jobListItem);
  }

  /** Cancels a NotStarted/Running job (kept, as Cancelled); forgets a job that already ended. */
  async delete(id: string): Promise<void> {
    const job = this.require(id);
    if (isTerminal(job.state)) return this.store.delete(job.id);
    this.cancel(job, null);
    if (job.run) await waitAtMost(job.run.done, CANCEL_WAIT_MS);
  }

  /** Cancels every active job and waits (bounded) for the running ones to stop. */
  async close(): Promise<void> {
    const running: Promise<void>[] = [];
    for (const job of this.store.all()) {
      if (isTerminal(job.state)) continue;
      this.cancel(job, 'The service stopped.');
      if (job.run) running.push(job.run.done);
    }
    await waitAtMost(Promise.all(running).then(() => undefined), CANCEL_WAIT_MS);
  }

  private require(id: string): Job {
    const job = this.store.get(id);
    if (!job) throw jobNotFound(id);
    return job;
  }

  private cancel(job: Job, details: string | null): void {
    job.state = 'Cancelled';
    job.endTime = new Date();
    job.details = details;
    const queued = this.waiting.indexOf(job);
    if (queued >= 0) this.waiting.splice(queued, 1);
    job.run?.controller.abort();
  }

  private pump(): void {
    while (this.active < this.concurrency) {
      const job = this.waiting.shift();
      if (!job) return;
      if (job.state === 'Running') this.launch(job);
    }
  }

  private launch(job: Job): void {
    this.active++;
    const controller = new AbortController();
    const done = runJob(job.spec, { signal: controller.signal, rowDelayMs: this.rowDelayMs })
      .then(
        () => this.settle(job, null),
        (err: unknown) => this.settle(job, err ?? new Error('job failed')),
      )
      .catch((err: unknown) => console.error(`[reference] BES job ${job.id}: settling failed:`, err instanceof Error ? err.message : String(err)))
      .finally(() => {
        this.active--;
        job.run = undefined;
        this.pump();
      });
    job.run = { controller, done };
  }

  private async settle(job: Job, err: unknown): Promise<void> {
    if (job.state !== 'Running') {
      // Cancelled while the output was being committed: a cancelled job must not leave a result behind.
      if (err === null) await Promise.resolve().then(() => blockBlob(job.spec.output).deleteIfExists()).catch(() => undefined);
      return;
    }
    job.endTime = new Date();
    if (err === null) {
      job.state = 'Finished';
      return;
    }
    job.state = 'Failed';
    if (err instanceof JobFailure) job.details = err.message;
    else {
      // Not a storage or input problem (those are JobFailures): a bug, logged without the job's spec.
      console.error(`[reference] BES job ${job.id} failed unexpectedly:`, err instanceof Error ? err.stack : String(err));
      job.details = 'The job failed because of an internal error of the service.';
    }
  }
}
