// The caller's batch jobs across every service, newest first: one query on the jobs table filtered by the
// authenticated subscription id (JobStore.listFor answers one service at a time, listRecent every subscription's
// jobs). How a job reads is jobProgress's (jobs/job-record.ts). The row layout read here is JobStore's (partition
// "job", row = job id).
import type { TableClient } from '@azure/data-tables';
import { GatewayError } from '../errors.js';
import { storageUnavailable } from '../storage/errors.js';
import { jobProgress, type JobProgress, type JobState } from '../jobs/job-record.js';

const PARTITION = 'job';
const COLUMNS = ['RowKey', 'subscriptionId', 'workspace', 'service', 'state', 'createdAt', 'startTime', 'endTime', 'details'];

export interface MyJob extends JobProgress {
  id: string;
  workspace: string;
  service: string;
  /** The facade's state (Copying: the backend finished, results are being copied). */
  state: JobState;
  createdAt: string;
  startTime: string | null;
  endTime: string | null;
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
      const job = { state: row.state, startTime: row.startTime ?? null, endTime: row.endTime ?? null, details: row.details ?? null };
      const { status, durationSeconds, details } = jobProgress(job, nowMs);
      jobs.push({
        id: row.rowKey,
        workspace: row.workspace ?? '',
        service: row.service ?? '',
        state: row.state,
        status,
        createdAt: row.createdAt ?? '',
        startTime: job.startTime,
        endTime: job.endTime,
        durationSeconds,
        details,
      });
    }
  } catch (error) {
    throw error instanceof GatewayError ? error : storageUnavailable(error);
  }
  jobs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  return jobs.slice(0, limit);
}
