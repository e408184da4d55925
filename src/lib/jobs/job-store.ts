// Job records in Table storage ("jobs", one partition, row = facade job id). Every change is a conditional
// write on the row's ETag, so a step that two pollers (or a poller and a status read) attempt lands once.
import type { TableClient } from '@azure/data-tables';
import { GatewayError } from '../errors.js';
import { isNotFound, storageUnavailable } from '../storage/errors.js';
import { isActive, JOB_ID, type JobRecord, type OutputTarget } from './job-record.js';

const PARTITION = 'job';

export type JobSummary = Pick<JobRecord, 'id' | 'subscriptionId' | 'workspace' | 'service' | 'state' | 'createdAt' | 'startTime' | 'endTime' | 'details'>;

// nextPollSec duplicates nextPollAt in whole seconds: an untyped JSON integer past 2^31 is stored as a Double,
// and a filter comparing it with an Int64 literal would silently match nothing; seconds stay Int32 until 2038.
type Row = Omit<JobRecord, 'id' | 'etag' | 'results' | 'outputs'> & { results: string; outputs?: string; active: boolean; nextPollSec: number };

function toRow(job: JobRecord): Row & { partitionKey: string; rowKey: string } {
  const { id, etag: _etag, results, outputs, ...rest } = job;
  return {
    partitionKey: PARTITION, rowKey: id, ...rest,
    results: JSON.stringify(results), outputs: JSON.stringify(outputs),
    active: isActive(job.state), nextPollSec: Math.floor(job.nextPollAt / 1000),
  };
}

function fromRow(row: Row & { rowKey?: string; etag?: string }): JobRecord {
  return {
    id: row.rowKey!,
    subscriptionId: row.subscriptionId,
    workspace: row.workspace,
    service: row.service,
    backendJobId: row.backendJobId,
    state: row.state,
    createdAt: row.createdAt,
    startTime: row.startTime ?? null,
    endTime: row.endTime ?? null,
    details: row.details ?? null,
    results: row.results ? (JSON.parse(row.results) as Record<string, string> | null) : null,
    // A record written before outputs were kept has none: such a job is failed, not guessed at (job-steps).
    outputs: row.outputs ? (JSON.parse(row.outputs) as Record<string, OutputTarget>) : {},
    nextPollAt: Number(row.nextPollAt ?? 0),
    lastPolledAt: Number(row.lastPolledAt ?? 0),
    pollFailures: Number(row.pollFailures ?? 0),
    leaseUntil: Number(row.leaseUntil ?? 0),
    leaseOwner: row.leaseOwner ?? '',
    etag: row.etag ?? '',
  };
}

export class JobStore {
  readonly #table: () => Promise<TableClient>;

  constructor(table: () => Promise<TableClient>) {
    this.#table = table;
  }

  async create(job: Omit<JobRecord, 'etag'>): Promise<JobRecord> {
    return this.#storage(async (t) => {
      const res = await t.createEntity(toRow({ ...job, etag: '' }));
      return { ...job, etag: res.etag ?? '' };
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    if (!JOB_ID.test(id)) return undefined;
    return this.#storage(async (t) => {
      try {
        return fromRow(await t.getEntity<Row>(PARTITION, id));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  /**
   * Writes the job if nobody changed it since it was read (its ETag); returns the stored job, or undefined
   * when another writer got there first (the caller re-reads and decides again).
   */
  async replace(job: JobRecord): Promise<JobRecord | undefined> {
    return this.#storage(async (t) => {
      try {
        const res = await t.updateEntity(toRow(job), 'Replace', { etag: job.etag });
        return { ...job, etag: res.etag ?? '' };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 412) return undefined;
        throw error;
      }
    });
  }

  /**
   * The caller's jobs for one service, newest first, `limit` at a time: `after` (the last job of the previous page)
   * continues where that page ended; `more` says whether another page follows.
   */
  async listFor(
    subscriptionId: string,
    workspace: string,
    service: string,
    page: { limit: number; after?: { createdAt: string; id: string } } = { limit: 500 },
  ): Promise<{ jobs: JobRecord[]; more: boolean }> {
    return this.#storage(async (t) => {
      const jobs: JobRecord[] = [];
      const filter = `PartitionKey eq '${PARTITION}' and subscriptionId eq '${subscriptionId.replace(/'/g, "''")}'`;
      for await (const row of t.listEntities<Row>({ queryOptions: { filter } })) {
        const job = fromRow(row);
        if (job.workspace.toLowerCase() === workspace.toLowerCase() && job.service.toLowerCase() === service.toLowerCase()) jobs.push(job);
      }
      const newestFirst = (a: JobRecord, b: JobRecord) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
      jobs.sort(newestFirst);
      const { after } = page;
      const rest = after ? jobs.filter((j) => newestFirst(j, { ...j, createdAt: after.createdAt, id: after.id }) > 0) : jobs;
      return { jobs: rest.slice(0, page.limit), more: rest.length > page.limit };
    });
  }

  /** The newest `limit` jobs, plus any job still running beyond them, newest first (the usage dashboard). */
  async listRecent(limit: number): Promise<JobSummary[]> {
    return this.#storage(async (t) => {
      const jobs: JobSummary[] = [];
      const select = ['RowKey', 'subscriptionId', 'workspace', 'service', 'state', 'createdAt', 'startTime', 'endTime', 'details'];
      for await (const row of t.listEntities<Row>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'`, select } })) {
        const { id, subscriptionId, workspace, service, state, createdAt, startTime, endTime, details } = fromRow(row);
        jobs.push({ id, subscriptionId, workspace, service, state, createdAt, startTime, endTime, details });
      }
      jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return jobs.filter((job, i) => i < limit || isActive(job.state));
    });
  }

  /** Jobs that ended before `cutoff` (ISO time), at most `limit` of them: what retention removes. */
  async listEndedBefore(cutoff: string, limit: number): Promise<JobRecord[]> {
    return this.#storage(async (t) => {
      const ended: JobRecord[] = [];
      const filter = `PartitionKey eq '${PARTITION}' and active eq false and endTime lt '${cutoff.replace(/'/g, "''")}'`;
      for await (const row of t.listEntities<Row>({ queryOptions: { filter } })) {
        const job = fromRow(row);
        if (job.state !== 'NotStarted' && job.endTime) ended.push(job);
        if (ended.length >= limit) break;
      }
      return ended;
    });
  }

  /** Removes the record if nobody changed it since it was read; false when someone did (or it is gone). */
  async delete(job: JobRecord): Promise<boolean> {
    return this.#storage(async (t) => {
      try {
        await t.deleteEntity(PARTITION, job.id, { etag: job.etag });
        return true;
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 412 || status === 404) return false;
        throw error;
      }
    });
  }

  /** Active jobs whose next poll is due, oldest due first. */
  async listDue(now: number, limit: number): Promise<JobRecord[]> {
    return this.#storage(async (t) => {
      const due: JobRecord[] = [];
      const filter = `PartitionKey eq '${PARTITION}' and active eq true and nextPollSec le ${Math.floor(now / 1000)}`;
      for await (const row of t.listEntities<Row>({ queryOptions: { filter } })) {
        due.push(fromRow(row));
      }
      return due.sort((a, b) => a.nextPollAt - b.nextPollAt).slice(0, limit);
    });
  }

  async #storage<T>(work: (table: TableClient) => Promise<T>): Promise<T> {
    try {
      return await work(await this.#table());
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw storageUnavailable(error);
    }
  }
}
