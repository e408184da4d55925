// Reconciles active jobs with their backends: each due job is claimed with a lease (a conditional write), so
// of two pollers running at once only one works on a job, then advanced step by step and saved with its ETag.
// A poller killed midway leaves a lease that expires; the next run takes the job up where it stood.
import type { JobStore } from './job-store.js';
import { isActive, type JobRecord, type JobState } from './job-record.js';
import { advanceJob, type StepDeps } from './job-steps.js';
import type { OpenJobs } from './open-jobs.js';
import { forEachLimited } from '../concurrency.js';

export interface PollerDeps extends StepDeps {
  store: JobStore;
  /** The subscriptions' open jobs (the exact open-job limit): an ended job leaves them. */
  openJobs: Pick<OpenJobs, 'release'>;
  /** Who holds a lease: unique per instance and run. */
  owner: string;
  leaseMs: number;
  /** Where a job's end is told (its state and why), e.g. the function's log. */
  log?: (message: string) => void;
  /** Told of every job saved in a new state (structured telemetry); must not throw. */
  onTransition?: ((job: JobRecord, previousState: JobState) => void) | undefined;
}

export interface PollSummary {
  due: number;
  advanced: number;
  skipped: number;
  errors: number;
}

/** Claims a job and advances it one step (a finished job's results are copied in that step). */
export async function claimAndAdvance(job: JobRecord, deps: PollerDeps): Promise<JobRecord | undefined> {
  const now = deps.now();
  // Any live lease keeps off, this instance's own included: a status-read refresh must not start a second
  // copy beside the poller run that holds the job.
  if (job.leaseUntil > now) return undefined;
  const claimed = await deps.store.replace({ ...job, leaseOwner: deps.owner, leaseUntil: now + deps.leaseMs });
  if (!claimed) return undefined; // another poller claimed or changed it first
  const next = await advanceJob(claimed, deps);
  // Saved with the claim's ETag and the lease released; undefined when a faster writer changed it meanwhile.
  const saved = await deps.store.replace({ ...next, leaseUntil: 0, leaseOwner: '', etag: claimed.etag });
  if (saved && saved.state !== claimed.state) deps.onTransition?.(saved, claimed.state);
  if (saved && !isActive(saved.state) && isActive(claimed.state)) {
    deps.log?.(`job ${saved.id} ended ${saved.state}${saved.details ? `: ${saved.details}` : ''}`);
    await deps.openJobs.release(saved.subscriptionId, saved.id).catch(() => undefined); // a lost release is found out later
  }
  return saved;
}

export async function pollDueJobs(deps: PollerDeps, options: { concurrency: number; batch: number; log?: (message: string) => void }): Promise<PollSummary> {
  if (options.log && !deps.log) deps = { ...deps, log: options.log };
  const due = await deps.store.listDue(deps.now(), options.batch);
  const summary: PollSummary = { due: due.length, advanced: 0, skipped: 0, errors: 0 };
  await forEachLimited(due, options.concurrency, async (job) => {
    try {
      if (await claimAndAdvance(job, deps)) summary.advanced++;
      else summary.skipped++;
    } catch (error) {
      summary.errors++;
      // The job stays as it was; its lease expires and a later run retries. Only the message is logged:
      // storage and SDK errors can carry URLs, never keys, but keep the line short and plain.
      options.log?.(`job ${job.id}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
  });
  return summary;
}
