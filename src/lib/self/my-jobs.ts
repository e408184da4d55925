// The caller's batch jobs across every service, newest first: one query on the jobs table filtered by the
// authenticated subscription id (JobStore.listFor answers one service at a time, listRecent every subscription's
// jobs without their details). The row layout read here is JobStore's (partition "job", row = job id).
import type { TableClient } from '@azure/data-tables';
import { GatewayError } from '../errors.js';
import { storageUnavailable } from '../storage/errors.js';
import { classicStatus, type JobState } from '../jobs/job-record.js';
import type { JobStatusCode } from '../contracts/bes.js';

const PARTITION = 'job';
const COLUMNS = ['RowKey', 'subscriptionId', 'workspace', 'service', 'state', 'createdAt', 'startTime', 'endTime', 'details'];

export interface MyJob {
  id: string;
  workspace: string;
  service: string;
  /** The facade's state (Copying: the backend finished, results are being copied). */
  state: JobState;
  /** The state as the classic BES status reads it. */
  status: JobStatusCode;
  createdAt: string;
  startTime: string | null;
  endTime: string | null;
  /** Seconds from start to end, or to now while the job runs; null before it starts. */
  durationSeconds: number | null;
  /** Why a job failed (or was cancelled), as the status call shows it. */
  details: string | null;
}

interface Row {
  rowKey?: string;
  subscriptionId?: string;
  workspace?: string;
  service?: string;
  state?: JobState;
  createdAt?: string;
  startTime?: string | null;
  endTime?: string | null;
  details?: string | null;
}

export async function listMyJobs(table: () => Promise<TableClient>, subscriptionId: string, limit: number, nowMs: number): Promise<MyJob[]> {
  const filter = `PartitionKey eq '${PARTITION}' and subscriptionId eq '${subscriptionId.replace(/'/g, "''")}'`;
  const jobs: MyJob[] = [];
  try {
    const client = await table();
    for await (const row of client.listEntities<Row>({ queryOptions: { filter, select: COLUMNS } })) {
      if (row.subscriptionId !== subscriptionId || !row.rowKey || !row.state) continue; // never another's
      const startTime = row.startTime ?? null;
      const endTime = row.endTime ?? null;
      const start = startTime ? Date.parse(startTime) : NaN;
      const end = endTime ? Date.parse(endTime) : nowMs;
      jobs.push({
        id: row.rowKey,
        workspace: row.workspace ?? '',
        service: row.service ?? '',
        state: row.state,
        status: classicStatus(row.state),
        createdAt: row.createdAt ?? '',
        startTime,
        endTime,
        durationSeconds: Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, Math.round((end - start) / 10) / 100) : null,
        details: row.details ?? null,
      });
    }
  } catch (error) {
    throw error instanceof GatewayError ? error : storageUnavailable(error);
  }
  jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  return jobs.slice(0, limit);
}
