// One step of a job's state machine. Each step reads the backend, decides, and returns the next record;
// the caller stores it with the record's ETag. Every step is safe to repeat: a timer can fire twice, a poller
// can die between copying and saving, and the rerun ends in the same place without copying twice.
import type { CatalogueEntry } from '../catalogue/entry.js';
import { GatewayError } from '../errors.js';
import type { OutputDestination } from '../blobs/facade-blobs.js';
import { DestinationRefused } from '../blobs/copy-result.js';
import type { Sealer } from '../secrets/sealer.js';
import { parseConnectionString } from '../storage/connection-string.js';
import type { BackendFor } from '../backends/kinds.js';
import { iso, type JobRecord, type OutputTarget } from './job-record.js';
import { sealContext } from './submit-body.js';

export interface ResultCopier {
  copyResult(jobId: string, outputName: string, destination: OutputDestination): Promise<{ relativeLocation: string; bytes: number; copied: boolean }>;
}

export interface StepDeps {
  /** The adapter of an entry's backend. */
  backends: BackendFor;
  blobs: ResultCopier;
  sealer: Sealer;
  catalogue: { get(workspace: string, service: string): Promise<CatalogueEntry | undefined> };
  /** The owner's state, when known: a cancelled subscription's jobs are cancelled (it can never read their results). */
  subscriptionState?: (subscriptionId: string) => Promise<'active' | 'suspended' | 'cancelled' | undefined>;
  now: () => number;
  pollIntervalMs: number;
  maxRunMs: number;
  /** Test seam: runs after the outputs are copied and before the record says Finished. */
  afterCopy?: (job: JobRecord) => Promise<void>;
}

/** A caller's credential that cannot be opened (sealing key changed, record altered) ends the job: retrying cannot help. */
class UnusableOutputLocation extends Error {}

/** Where an output ends, with a caller's connection string opened from its sealed form. */
export async function openDestination(jobId: string, outputName: string, target: OutputTarget, sealer: Sealer): Promise<OutputDestination> {
  if (target.kind === 'facade') return { kind: 'facade' };
  let text: string;
  try {
    text = await sealer.open(target.sealedConnection, sealContext(jobId, outputName));
  } catch (error) {
    if (error instanceof GatewayError) throw error; // Key Vault unavailable: retried later
    throw new UnusableOutputLocation(`the credentials of output '${outputName}' could not be opened`);
  }
  const parsed = parseConnectionString(text);
  if (!parsed.ok) throw new UnusableOutputLocation(`the connection string of output '${outputName}' is no longer usable`);
  return { kind: 'caller', connection: parsed.value, container: target.container, blob: target.blob };
}

/** Backoff for an unreachable backend: 5 s, 10 s, 20 s … capped at 5 minutes. */
export function backoffMs(failures: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, failures - 1), 300_000);
}

function ended(job: JobRecord, state: 'Finished' | 'Failed' | 'Cancelled', now: number, details: string | null): JobRecord {
  return { ...job, state, details, endTime: job.endTime ?? iso(now), nextPollAt: 0, pollFailures: 0, lastPolledAt: now };
}

/** Trouble of the backend or of storage, as opposed to a bug: worth another try later. */
function isRetryable(error: unknown): boolean {
  return error instanceof GatewayError && (error.status === 502 || error.status === 503 || error.status === 504);
}

/** Advances an active job by one step. Backend trouble is not the job's failure: it is retried with backoff. */
export async function advanceJob(job: JobRecord, deps: StepDeps): Promise<JobRecord> {
  const now = deps.now();
  if (Object.keys(job.outputs).length === 0) {
    return ended(job, 'Failed', now, 'The job was submitted by an older version of the facade that did not record its outputs; submit it again.');
  }
  const entry = await deps.catalogue.get(job.workspace, job.service);
  if (!entry) return ended(job, 'Failed', now, 'The web service was removed from the catalogue while the job ran.');
  if ((await deps.subscriptionState?.(job.subscriptionId).catch(() => undefined)) === 'cancelled') {
    if (job.state === 'Running') await deps.backends(entry).cancel(entry, job.backendJobId).catch(() => undefined); // best effort: it ends either way
    return ended(job, 'Cancelled', now, 'The subscription was cancelled, and its jobs with it.');
  }
  try {
    if (job.state === 'Running') return await pollRunning(job, entry, deps, now);
    if (job.state === 'Copying') return await copyOutputs(job, deps, now);
    return job;
  } catch (error) {
    if (isRetryable(error)) {
      const failures = job.pollFailures + 1;
      return { ...job, pollFailures: failures, lastPolledAt: now, nextPollAt: now + backoffMs(failures) };
    }
    throw error;
  }
}

async function pollRunning(job: JobRecord, entry: CatalogueEntry, deps: StepDeps, now: number): Promise<JobRecord> {
  const startedAt = job.startTime ? Date.parse(job.startTime) : now;
  if (now - startedAt > deps.maxRunMs) {
    await deps.backends(entry).cancel(entry, job.backendJobId).catch(() => undefined); // best effort: the job fails either way
    return ended(job, 'Failed', now, `The job ran longer than the maximum of ${Math.round(deps.maxRunMs / 60_000)} minutes and was stopped.`);
  }
  const status = await deps.backends(entry).status(entry, job.backendJobId);
  if (!status) return ended(job, 'Failed', now, 'The backend no longer knows this job.');
  const next = { ...job, lastPolledAt: now, pollFailures: 0, nextPollAt: now + deps.pollIntervalMs };
  switch (status.status) {
    case 'NotStarted':
    case 'Running':
      return next;
    case 'Finished':
      // Copy at once from where the facade told the backend to write: no second status call, no intermediate
      // save, and never from a location the backend names in its answer. A poller dying mid-copy leaves the record
      // Running under its lease; the next one copies again, and the copy of a result already complete is skipped,
      // so nothing is copied twice or published half-done.
      return await copyOrRetry(job, deps, now);
    case 'Failed':
      return ended(job, 'Failed', now, status.details ?? 'The backend reported the job failed.');
    case 'Cancelled':
      return ended(job, 'Cancelled', now, status.details);
  }
}

/** The backend finished earlier; the copy could not: try again, within the job's run time. */
async function copyOutputs(job: JobRecord, deps: StepDeps, now: number): Promise<JobRecord> {
  const startedAt = job.startTime ? Date.parse(job.startTime) : now;
  if (now - startedAt > deps.maxRunMs) {
    return ended(job, 'Failed', now, `The backend finished, but its results could not be copied within the maximum run time of ${Math.round(deps.maxRunMs / 60_000)} minutes.`);
  }
  return copyOrRetry(job, deps, now);
}

async function copyOrRetry(job: JobRecord, deps: StepDeps, now: number): Promise<JobRecord> {
  try {
    return await copyFinished(job, deps);
  } catch (error) {
    if (error instanceof DestinationRefused || error instanceof UnusableOutputLocation) {
      return ended(job, 'Failed', now, `The backend finished, but a result could not be written where it was asked: ${error.message}.`);
    }
    if (!isRetryable(error)) throw error;
    // The backend is done but the copy could not finish (storage or source trouble): say so, and retry later.
    return { ...job, state: 'Copying', lastPolledAt: now, pollFailures: job.pollFailures + 1, nextPollAt: now + backoffMs(job.pollFailures + 1) };
  }
}

async function copyFinished(job: JobRecord, deps: StepDeps): Promise<JobRecord> {
  const results: Record<string, string> = {};
  for (const [name, target] of Object.entries(job.outputs)) {
    const destination = await openDestination(job.id, name, target, deps.sealer);
    const copied = await deps.blobs.copyResult(job.id, name, destination);
    results[name] = copied.relativeLocation;
  }
  await deps.afterCopy?.(job);
  return { ...ended(job, 'Finished', deps.now(), null), results };
}
