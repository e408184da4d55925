// What every BES job policy shares: its parts (BesDeps), the api-version check, and the caller's own job, found
// by id: another subscription's job answers 404, as if it did not exist.
import { GatewayError } from '../../errors.js';
import { BesQuery, type ResultLocation } from '../../contracts/bes.js';
import type { CatalogueEntry } from '../../catalogue/entry.js';
import { parseOrThrow, queryObject } from '../../http/validation.js';
import type { GatewayContext } from '../context.js';
import type { JobRecord } from '../../jobs/job-record.js';
import type { PollerDeps } from '../../jobs/poller.js';
import { openDestination } from '../../jobs/job-steps.js';
import type { OpenJobs } from '../../jobs/open-jobs.js';
import type { SubmitBlobs } from '../../jobs/submit-body.js';
import type { OutputDestination } from '../../blobs/facade-blobs.js';

export interface ResultBlobs extends SubmitBlobs {
  resultLink(jobId: string, outputName: string, destination: OutputDestination): Promise<ResultLocation>;
  openResult(jobId: string, outputName: string, destination: OutputDestination): Promise<{ stream: NodeJS.ReadableStream; bytes: number; contentType: string }>;
}

export interface BesDeps extends PollerDeps {
  openJobs: Pick<OpenJobs, 'reserve' | 'release'>;
  blobs: PollerDeps['blobs'] & ResultBlobs;
  /** A status read older than this refreshes the job itself instead of waiting for the next timer tick. */
  statusRefreshMs: number;
  maxSubmitBytes: number;
  /** Host patterns a pass-through connection string may point at. */
  allowedStorageHosts: readonly string[];
  /** Jobs a subscription may have NotStarted or running at once. */
  maxOpenJobsPerSubscription: number;
  /** A job must be started within this long of its submit (the SAS its backend holds expires after start window + run time). */
  startWindowMs: number;
  /** The outputs a backend writes when the caller names none (the service's declared outputs). */
  outputNames(entry: CatalogueEntry): Promise<string[]>;
  /** The columns each declared input of the service needs, by input name (none declared: no check). */
  inputColumns(entry: CatalogueEntry): Promise<Record<string, string[]>>;
}

export function checkQuery(ctx: GatewayContext): void {
  parseOrThrow(BesQuery, queryObject(ctx.request.query), { detailCode: 'InvalidQueryParameter', message: 'The query string is invalid.' });
}

function jobNotFound(id: string): GatewayError {
  return new GatewayError('JobNotFound', `Job "${id}" was not found.`, { target: 'jobId' });
}

export async function ownedJob(ctx: GatewayContext, deps: BesDeps): Promise<JobRecord> {
  const id = ctx.request.params.jobId ?? '';
  const job = await deps.store.get(id);
  const mine =
    job &&
    job.subscriptionId === ctx.caller?.subscriptionId &&
    job.workspace.toLowerCase() === ctx.workspace.toLowerCase() &&
    job.service.toLowerCase() === ctx.service.toLowerCase();
  if (!mine) throw jobNotFound(id);
  return job;
}

/** Where a finished output is; a record from before outputs were kept means the facade's results container. */
export async function destinationOf(job: JobRecord, name: string, deps: BesDeps): Promise<OutputDestination> {
  const target = job.outputs[name];
  if (!target) return { kind: 'facade' };
  try {
    return await openDestination(job.id, name, target, deps.sealer);
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('JobResultNotFound', `The location of output "${name}" can no longer be reached.`, { target: 'output' });
  }
}
