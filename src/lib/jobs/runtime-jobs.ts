// The BES parts wired from the runtime: what the job operations and the poller need, built once per instance.
import { randomUUID } from 'node:crypto';
import { getRuntime } from '../runtime.js';
import { BackendJobs } from './backend-jobs.js';
import { allowedStorageHosts } from '../blobs/allowed-storage.js';
import type { JobOperationDeps } from './job-operations.js';
import { pollDueJobs, type PollSummary } from './poller.js';
import { TtlCache } from '../ttl-cache.js';
import { purgeEndedJobs } from './retention.js';

let deps: JobOperationDeps | undefined;
/** One lease owner name per instance: leases then tell instances apart in the job records. */
const instance = `${process.env.WEBSITE_INSTANCE_ID?.slice(0, 12) ?? 'local'}-${process.pid}-${randomUUID().slice(0, 8)}`;

export function getJobDeps(): JobOperationDeps {
  if (deps) return deps;
  const rt = getRuntime();
  const s = rt.settings;
  // The poller asks per job and step: a subscription's state is read at most once per 10 s per instance.
  const subscriptionStates = new TtlCache<'active' | 'suspended' | 'cancelled' | undefined>(10_000);
  deps = {
    store: rt.jobs,
    openJobs: rt.openJobs,
    backend: new BackendJobs({ keys: rt.secrets, clientFor: rt.clientFor, timeoutMs: s.besBackendTimeoutMs }),
    blobs: rt.blobs,
    catalogue: rt.catalogue,
    subscriptionState: async (id) => (await subscriptionStates.get(id, async () => (await rt.subscriptions.get(id))?.state)) ?? undefined,
    now: Date.now,
    pollIntervalMs: s.besPollIntervalSeconds * 1000,
    maxRunMs: s.besMaxRunMinutes * 60_000,
    startWindowMs: s.besStartWindowMinutes * 60_000,
    sealer: rt.sealer,
    outputNames: (entry) => rt.documents.outputNames(entry),
    owner: instance,
    leaseMs: s.besLeaseSeconds * 1000,
    statusRefreshMs: s.besStatusRefreshSeconds * 1000,
    maxSubmitBytes: s.maxRequestBytes,
    allowedStorageHosts: allowedStorageHosts(s.besAllowedStorageHosts, [s.storageConnectionString, s.besExchangeConnectionString ?? '']),
    maxOpenJobsPerSubscription: s.besMaxOpenJobsPerSubscription,
  };
  return deps;
}

const RETENTION_EVERY_MS = 3_600_000;
let lastPurge = 0;

export async function runPoller(log?: (message: string) => void): Promise<PollSummary> {
  const s = getRuntime().settings;
  const summary = await pollDueJobs(getJobDeps(), { concurrency: s.besPollConcurrency, batch: s.besPollBatch, log });
  if (s.besRetentionDays > 0 && Date.now() - lastPurge >= RETENTION_EVERY_MS) {
    lastPurge = Date.now();
    const deps = getJobDeps();
    const purged = await purgeEndedJobs({ store: deps.store, blobs: getRuntime().blobs, now: Date.now, retentionMs: s.besRetentionDays * 86_400_000 })
      .catch((error: unknown) => (log?.(`retention: ${(error as Error).message.split('\n')[0]}`), undefined));
    if (purged && purged.jobs > 0) log?.(`retention: ${purged.jobs} jobs and ${purged.blobs} blobs older than ${s.besRetentionDays} days removed`);
  }
  return summary;
}
