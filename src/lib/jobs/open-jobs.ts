// The open-job limit (BES_MAX_OPEN_JOBS_PER_SUBSCRIPTION), exact across instances: one Table row per subscription
// lists its open jobs, and a job joins it only by an ETag-conditional write that sees the list below the limit, so
// however many instances submit at once, no more than the limit are ever open together. A job leaves the list when
// it ends; a job whose leaving was lost (an instance died between the end and the write) is found out and dropped
// the next time the list is full, by reading its record. A job is listed before its record exists (the slot is
// taken before the backend is asked), so a missing record counts as open until its reservation is RECORD_GRACE_MS old.
import type { TableClient } from '@azure/data-tables';
import { GatewayError } from '../errors.js';
import { isNotFound, storageUnavailable } from '../storage/errors.js';
import { forEachLimited } from '../concurrency.js';

const PARTITION = 'open';
const MAX_ATTEMPTS = 40;
const CHECKS_AT_ONCE = 8;
/** Longer than a submit can take between taking its slot and writing the job's record (backend call included). */
const RECORD_GRACE_MS = 10 * 60_000;

export interface OpenJobsOptions {
  /** Whether a job is still open (NotStarted, Running or Copying), undefined when it has no record: consulted only when the list is full. */
  isOpen(jobId: string): Promise<boolean | undefined>;
  now?: () => number;
}

/** A listed job: its id and when its slot was taken (epoch ms). */
interface Listed {
  id: string;
  at: number;
}

interface Row {
  jobs: Listed[];
  etag: string | undefined;
}

export class OpenJobs {
  readonly #table: () => Promise<TableClient>;
  readonly #isOpen: (jobId: string) => Promise<boolean | undefined>;
  readonly #now: () => number;

  constructor(table: () => Promise<TableClient>, options: OpenJobsOptions) {
    this.#table = table;
    this.#isOpen = options.isOpen;
    this.#now = options.now ?? Date.now;
  }

  /** Adds the job to the subscription's open jobs if they are fewer than `limit`; `open` is how many there are. */
  async reserve(subscriptionId: string, jobId: string, limit: number): Promise<{ admitted: boolean; open: number }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const row = await this.#read(subscriptionId);
      if (row.jobs.some((j) => j.id === jobId)) return { admitted: true, open: row.jobs.length };
      let jobs = row.jobs;
      if (jobs.length >= limit) jobs = await this.#stillOpen(jobs);
      if (jobs.length >= limit) return { admitted: false, open: jobs.length };
      if (await this.#write(subscriptionId, [...jobs, { id: jobId, at: this.#now() }], row.etag)) return { admitted: true, open: jobs.length + 1 };
      // Another instance changed the list first: read it again (with a little jitter, so racers spread out).
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 5 * (attempt + 1))));
    }
    throw new GatewayError('CountersBusy', 'The open-job count is too busy to decide; try again shortly.', { headers: { 'retry-after': '1' } });
  }

  /** Removes the job (it ended, or was never submitted); removing one that is not there changes nothing. */
  async release(subscriptionId: string, jobId: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const row = await this.#read(subscriptionId);
      if (!row.jobs.some((j) => j.id === jobId)) return;
      if (await this.#write(subscriptionId, row.jobs.filter((j) => j.id !== jobId), row.etag)) return;
    }
    // Left in the list: the next reserve that finds the list full reads this job's record and drops it then.
  }

  async #stillOpen(jobs: Listed[]): Promise<Listed[]> {
    const closed = new Set<string>();
    const now = this.#now();
    await forEachLimited(jobs, CHECKS_AT_ONCE, async (job) => {
      const open = await this.#isOpen(job.id);
      // No record yet is a submit in flight, unless its slot was taken long ago (that submit died).
      if (open === false || (open === undefined && now - job.at > RECORD_GRACE_MS)) closed.add(job.id);
    });
    return jobs.filter((j) => !closed.has(j.id));
  }

  async #read(subscriptionId: string): Promise<Row> {
    try {
      const entity = await (await this.#table()).getEntity<{ jobs: string }>(PARTITION, subscriptionId);
      return { jobs: JSON.parse(entity.jobs) as Listed[], etag: entity.etag };
    } catch (error) {
      if (isNotFound(error)) return { jobs: [], etag: undefined };
      throw storageUnavailable(error);
    }
  }

  /** False when another writer got there first (a changed ETag, or a row created meanwhile). */
  async #write(subscriptionId: string, jobs: Listed[], etag: string | undefined): Promise<boolean> {
    const entity = { partitionKey: PARTITION, rowKey: subscriptionId, jobs: JSON.stringify(jobs) };
    try {
      const table = await this.#table();
      if (etag) await table.updateEntity(entity, 'Replace', { etag });
      else await table.createEntity(entity);
      return true;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 412 || status === 409) return false;
      throw storageUnavailable(error);
    }
  }
}
