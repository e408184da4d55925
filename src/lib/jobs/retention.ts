// Retention: a job that ended more than BES_RETENTION_DAYS ago goes, with what the facade holds for it (its staged
// outputs and its results in the facade's container; an output a client named is the client's and stays). Run from
// the poller at most once an hour per instance; records go with their ETag, so two instances purging at once
// remove each job once, and a purge killed midway is finished by the next.
import type { JobStore } from './job-store.js';

export interface RetentionDeps {
  store: Pick<JobStore, 'listEndedBefore' | 'delete'>;
  blobs: { deleteJobBlobs(jobId: string): Promise<number> };
  now: () => number;
  retentionMs: number;
}

const BATCH = 200;

export async function purgeEndedJobs(deps: RetentionDeps): Promise<{ jobs: number; blobs: number }> {
  const cutoff = new Date(deps.now() - deps.retentionMs).toISOString();
  let jobs = 0;
  let blobs = 0;
  for (const job of await deps.store.listEndedBefore(cutoff, BATCH)) {
    // Blobs first: a record is only removed once nothing of it is left to find.
    blobs += await deps.blobs.deleteJobBlobs(job.id);
    if (await deps.store.delete(job)) jobs++;
  }
  return { jobs, blobs };
}
