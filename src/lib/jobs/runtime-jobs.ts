// The BES parts wired from the runtime: what the job operations and the poller need, built once per instance.
import { randomUUID } from 'node:crypto';
import { getRuntime } from '../runtime.js';
import { BackendJobs } from './backend-jobs.js';
import { allowedStorageHosts } from '../blobs/allowed-storage.js';
import type { JobOperationDeps } from './job-operations.js';
import { pollDueJobs, type PollSummary } from './poller.js';

let deps: JobOperationDeps | undefined;
/** One lease owner name per instance: leases then tell instances apart in the job records. */
const instance = `${process.env.WEBSITE_INSTANCE_ID?.slice(0, 12) ?? 'local'}-${process.pid}-${randomUUID().slice(0, 8)}`;

export function getJobDeps(): JobOperationDeps {
  if (deps) return deps;
  const rt = getRuntime();
  const s = rt.settings;
  deps = {
    store: rt.jobs,
    backend: new BackendJobs({ keys: rt.secrets, clientFor: rt.clientFor, timeoutMs: s.besBackendTimeoutMs }),
    blobs: rt.blobs,
    catalogue: rt.catalogue,
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

export function runPoller(log?: (message: string) => void): Promise<PollSummary> {
  const s = getRuntime().settings;
  return pollDueJobs(getJobDeps(), { concurrency: s.besPollConcurrency, batch: s.besPollBatch, log });
}
