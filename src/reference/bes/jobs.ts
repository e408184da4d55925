// BES job records in memory: the classic lifecycle states, a bounded store (oldest finished jobs go first) and
// the status/list views, which never carry a connection string.
import { ServiceError } from '../errors.js';
import { OUTPUT_NAME } from '../rrs.js';
import { resultLocation, type ResultLocation } from './storage.js';
import type { JobSpec } from './submit.js';

/** Classic order: older clients read these as the numbers 0–4. */
export const JOB_STATES = ['NotStarted', 'Running', 'Failed', 'Cancelled', 'Finished'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface Job {
  readonly id: string;
  readonly spec: JobSpec;
  state: JobState;
  readonly createdAt: Date;
  startTime: Date | null;
  endTime: Date | null;
  details: string | null;
  /** Present while the job holds a run slot. */
  run?: { controller: AbortController; done: Promise<void> };
}

export const isTerminal = (state: JobState): boolean => state === 'Failed' || state === 'Cancelled' || state === 'Finished';

export interface JobStatus {
  StatusCode: JobState;
  Results: Record<string, ResultLocation> | null;
  Details: string | null;
  CreatedAt: string;
  StartTime: string | null;
  EndTime: string | null;
}

export class JobStore {
  // Insertion order = creation order, which eviction relies on.
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly maxJobs: number) {}

  /** Makes room by forgetting the oldest finished jobs, then the oldest never-started ones; 503 when all are active. */
  add(job: Job): void {
    if (this.jobs.size >= this.maxJobs) this.evict((j) => isTerminal(j.state));
    if (this.jobs.size >= this.maxJobs) this.evict((j) => j.state === 'NotStarted');
    if (this.jobs.size >= this.maxJobs) {
      const message = `Too many active jobs (${this.maxJobs}); try again later.`;
      throw new ServiceError(503, 'ServiceUnavailable', message, { code: 'TooManyActiveJobs', message }, { 'retry-after': '60' });
    }
    this.jobs.set(job.id, job);
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id.toLowerCase());
  }

  delete(id: string): void {
    this.jobs.delete(id.toLowerCase());
  }

  all(): IterableIterator<Job> {
    return this.jobs.values();
  }

  private evict(which: (job: Job) => boolean): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size < this.maxJobs) return;
      if (which(job)) this.jobs.delete(id);
    }
  }
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function jobStatus(job: Job, now = new Date()): JobStatus {
  return {
    StatusCode: job.state,
    Results: job.state === 'Finished' ? { [OUTPUT_NAME]: resultLocation(job.spec.output, now) } : null,
    Details: job.details,
    CreatedAt: job.createdAt.toISOString(),
    StartTime: iso(job.startTime),
    EndTime: iso(job.endTime),
  };
}

export function jobListItem(job: Job): { Id: string; StatusCode: JobState; CreatedAt: string; StartTime: string | null; EndTime: string | null } {
  return { Id: job.id, StatusCode: job.state, CreatedAt: job.createdAt.toISOString(), StartTime: iso(job.startTime), EndTime: iso(job.endTime) };
}
