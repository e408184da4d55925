// Terminal policies of the BES operations: submit, start, status, cancel, list and result download. Each
// acts on the caller's own jobs only: another subscription's job id answers 404, as if it did not exist.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { GatewayError } from '../errors.js';
import { BesListQuery, BesQuery, BesSubmitRequest, type BesStatusResponse } from '../contracts/bes.js';
import { parseJsonBody, readBodyLimited } from '../http/body.js';
import { jsonResponse } from '../http/respond.js';
import { sasExpiry } from '../blobs/sas.js';
import type { CatalogueEntry } from '../contracts/catalogue.js';
import { parseOrThrow, queryObject } from '../http/validation.js';
import type { GatewayContext } from '../gateway/context.js';
import type { Policy } from '../gateway/compose.js';
import { planSubmit, type SubmitBlobs } from './submit-body.js';
import { classicStatus, isActive, type JobRecord } from './job-record.js';
import { claimAndAdvance, type PollerDeps } from './poller.js';
import { openDestination } from './job-steps.js';
import type { OpenJobs } from './open-jobs.js';
import type { OutputDestination, ResultLink } from '../blobs/facade-blobs.js';

export interface ResultBlobs extends SubmitBlobs {
  resultLink(jobId: string, outputName: string, destination: OutputDestination): Promise<ResultLink>;
  openResult(jobId: string, outputName: string, destination: OutputDestination): Promise<{ stream: NodeJS.ReadableStream; bytes: number; contentType: string }>;
}

export interface JobOperationDeps extends PollerDeps {
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
}

const MAX_SUBMIT_BYTES = 256 * 1024;
/** Slack on the backend's SAS beyond start window + run time, for clocks and the last poll. */
const SAS_MARGIN_MS = 15 * 60_000;

function checkQuery(ctx: GatewayContext): void {
  parseOrThrow(BesQuery, queryObject(ctx.request.query), { detailCode: 'InvalidQueryParameter', message: 'The query string is invalid.' });
}

function jobNotFound(id: string): GatewayError {
  return new GatewayError('JobNotFound', `Job "${id}" was not found.`, { target: 'jobId' });
}

async function ownedJob(ctx: GatewayContext, deps: JobOperationDeps): Promise<JobRecord> {
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

const iso = (ms: number) => new Date(ms).toISOString();

/** A continuation token back to the job it points after; a token that is not one of ours is a 400 naming it. */
function readCursor(token: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !/^[0-9a-f]{32}$/.test(id)) {
    throw new GatewayError('InvalidQueryParameter', 'The query string is invalid.', { details: [{ code: 'InvalidQueryParameter', target: '$skiptoken', message: 'not a continuation token of this list' }] });
  }
  return { createdAt, id };
}

/** Where a finished output is; a record from before outputs were kept means the facade's results container. */
async function destinationOf(job: JobRecord, name: string, deps: JobOperationDeps): Promise<OutputDestination> {
  const target = job.outputs[name];
  if (!target) return { kind: 'facade' };
  try {
    return await openDestination(job.id, name, target, deps.sealer);
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('JobResultNotFound', `The location of output "${name}" can no longer be reached.`, { target: 'output' });
  }
}

/** A subscription may not pile up unbounded open jobs (each holds backend capacity and poller time): exact across instances. */
async function reserveOpenJob(subscriptionId: string, jobId: string, deps: JobOperationDeps): Promise<void> {
  const { admitted, open } = await deps.openJobs.reserve(subscriptionId, jobId, deps.maxOpenJobsPerSubscription);
  if (!admitted) {
    throw new GatewayError('TooManyOpenJobs', `The subscription already has ${open} open jobs, the most allowed; wait for some to finish or cancel them.`, {
      headers: { 'retry-after': '30' },
    });
  }
}

export function submitJob(deps: JobOperationDeps): Policy {
  return async function submitJobPolicy(ctx, next) {
    checkQuery(ctx);
    const body = parseJsonBody(await readBodyLimited(ctx.request, Math.min(deps.maxSubmitBytes, MAX_SUBMIT_BYTES)));
    const request = parseOrThrow(BesSubmitRequest, body, { detailCode: 'RequestBodyInvalid', message: 'The request body is invalid.' });
    const id = randomUUID().replace(/-/g, '');
    const subscriptionId = ctx.caller!.subscriptionId;
    const now = deps.now();
    // Every location is checked first (a 400 costs no reservation), then the job takes one of the open slots.
    const plan = await planSubmit(request, {
      subscriptionId,
      jobId: id,
      blobs: deps.blobs,
      sealer: deps.sealer,
      allowedHosts: deps.allowedStorageHosts,
      defaultOutputs: request.Outputs && Object.keys(request.Outputs).length > 0 ? [] : await deps.outputNames(ctx.entry!),
      backendSasExpiresOn: sasExpiry(deps.startWindowMs + deps.maxRunMs + SAS_MARGIN_MS, now),
    });
    await reserveOpenJob(subscriptionId, id, deps);
    try {
      const backendJobId = await deps.backend.submit(ctx.entry!, plan.backendBody);
      await deps.store.create({
        id, subscriptionId, workspace: ctx.workspace, service: ctx.service, backendJobId,
        state: 'NotStarted', createdAt: iso(now), startTime: null, endTime: null, details: null, outputs: plan.outputs, results: null,
        nextPollAt: 0, lastPolledAt: 0, pollFailures: 0, leaseUntil: 0, leaseOwner: '',
      });
    } catch (error) {
      await deps.openJobs.release(subscriptionId, id).catch(() => undefined); // never created: it is not open
      throw error;
    }
    ctx.response = jsonResponse(200, id, ctx.requestId);
    await next();
  };
}

export function startJob(deps: JobOperationDeps): Policy {
  return async function startJobPolicy(ctx, next) {
    checkQuery(ctx);
    for (;;) {
      const job = await ownedJob(ctx, deps);
      if (job.state !== 'NotStarted') {
        throw new GatewayError('CannotStartJob', `The job cannot be started because it is in ${classicStatus(job.state)} state.`, { target: 'jobId' });
      }
      const now = deps.now();
      if (now - Date.parse(job.createdAt) > deps.startWindowMs) {
        const hours = Math.round(deps.startWindowMs / 3_600_000);
        throw new GatewayError('CannotStartJob', `The job cannot be started: it was submitted more than ${hours} hours ago and its storage access has lapsed; submit it again.`, { target: 'jobId' });
      }
      // Claim the start with the row's ETag first, so two concurrent starts call the backend once.
      const claimed = await deps.store.replace({ ...job, state: 'Running', startTime: iso(now), nextPollAt: now + deps.pollIntervalMs });
      if (!claimed) continue;
      try {
        await deps.backend.start(ctx.entry!, job.backendJobId);
      } catch (error) {
        await deps.store.replace({ ...claimed, state: 'NotStarted', startTime: null, nextPollAt: 0 });
        throw error;
      }
      ctx.response = jsonResponse(200, undefined, ctx.requestId);
      return next();
    }
  };
}

export function jobStatus(deps: JobOperationDeps): Policy {
  return async function jobStatusPolicy(ctx, next) {
    checkQuery(ctx);
    let job = await ownedJob(ctx, deps);
    if (isActive(job.state) && deps.now() - job.lastPolledAt > deps.statusRefreshMs && job.nextPollAt <= deps.now() + deps.pollIntervalMs) {
      // Fresher news than the last tick, if the job is free; a failure here just serves the stored state.
      job = (await claimAndAdvance(job, deps).catch(() => undefined)) ?? job;
    }
    const results: BesStatusResponse['Results'] = job.state === 'Finished' && job.results ? {} : null;
    if (results) {
      for (const name of Object.keys(job.results!)) results[name] = await deps.blobs.resultLink(job.id, name, await destinationOf(job, name, deps));
    }
    const answer: BesStatusResponse = {
      StatusCode: classicStatus(job.state), Results: results, Details: job.details,
      CreatedAt: job.createdAt, StartTime: job.startTime, EndTime: job.endTime,
    };
    ctx.response = jsonResponse(200, answer, ctx.requestId, { 'cache-control': 'no-store' });
    await next();
  };
}

export function cancelJob(deps: JobOperationDeps): Policy {
  return async function cancelJobPolicy(ctx, next) {
    checkQuery(ctx);
    for (;;) {
      const job = await ownedJob(ctx, deps);
      // Over already: nothing to cancel, and saying so is the same 200 a repeated DELETE gets (it is idempotent).
      if (job.state !== 'NotStarted' && job.state !== 'Running' && job.state !== 'Copying') break;
      // A poller is at work on it right now (a copy may be committing): say so rather than race it.
      if (job.leaseUntil > deps.now()) {
        const seconds = Math.max(1, Math.ceil((job.leaseUntil - deps.now()) / 1000));
        throw new GatewayError('JobBusy', `The job is being worked on (its results may be being copied); cancel it again in ${seconds} s at most.`, {
          target: 'jobId', headers: { 'retry-after': String(Math.min(seconds, 30)) },
        });
      }
      // A Copying job's backend is done; cancelling stops the copy and publishes nothing (the copy commits whole or not at all).
      if (job.state !== 'Copying') await deps.backend.cancel(ctx.entry!, job.backendJobId);
      const now = deps.now();
      const details = job.state === 'Copying' ? 'Cancelled while its results were being copied; none were published.' : null;
      const saved = await deps.store.replace({ ...job, state: 'Cancelled', details, endTime: iso(now), nextPollAt: 0, leaseUntil: 0, leaseOwner: '' });
      if (saved) {
        await deps.openJobs.release(saved.subscriptionId, saved.id);
        break;
      }
    }
    ctx.response = jsonResponse(200, undefined, ctx.requestId);
    await next();
  };
}

export function listJobs(deps: JobOperationDeps): Policy {
  return async function listJobsPolicy(ctx, next) {
    const query = parseOrThrow(BesListQuery, queryObject(ctx.request.query), { detailCode: 'InvalidQueryParameter', message: 'The query string is invalid.' });
    const after = query.$skiptoken ? readCursor(query.$skiptoken) : undefined;
    const { jobs, more } = await deps.store.listFor(ctx.caller!.subscriptionId, ctx.workspace, ctx.service, { limit: query.$top, after });
    const body = jobs.map((j) => ({ Id: j.id, StatusCode: classicStatus(j.state), CreatedAt: j.createdAt, StartTime: j.startTime, EndTime: j.endTime }));
    const last = jobs[jobs.length - 1];
    // The body stays the classic list; a further page is announced in a header, as Azure lists do.
    const headers: Record<string, string> = more && last ? { 'x-ms-continuation': Buffer.from(`${last.createdAt}|${last.id}`).toString('base64url') } : {};
    ctx.response = jsonResponse(200, body, ctx.requestId, headers);
    await next();
  };
}

export function downloadResult(deps: JobOperationDeps): Policy {
  return async function downloadResultPolicy(ctx, next) {
    checkQuery(ctx);
    const job = await ownedJob(ctx, deps);
    const output = ctx.request.params.output ?? '';
    if (job.state !== 'Finished' || !job.results || !(output in job.results)) {
      throw new GatewayError('JobResultNotFound', `Job "${job.id}" has no finished output "${output}".`);
    }
    const blob = await deps.blobs.openResult(job.id, output, await destinationOf(job, output, deps));
    ctx.response = {
      status: 200,
      body: Readable.toWeb(Readable.from(blob.stream as AsyncIterable<Uint8Array>)) as ReadableStream<Uint8Array>,
      headers: {
        'content-type': blob.contentType,
        'content-length': String(blob.bytes),
        'content-disposition': `attachment; filename="${output}.csv"`,
        'x-ms-request-id': ctx.requestId,
      },
    };
    await next();
  };
}
