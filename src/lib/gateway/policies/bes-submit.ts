// Policy (terminal): BES submit. Plans the job from the classic body (every location checked first, so a bad one
// is a 400 that costs nothing), takes one of the subscription's open-job slots (exact across instances), submits
// to the backend, and records the job; a failure after the reservation gives the slot back.
import type { BlobAccess } from '../../backends/port.js';
import { GatewayError } from '../../errors.js';
import { BesSubmitRequest } from '../../contracts/bes.js';
import { parseJsonBody, readBodyLimited } from '../../http/body.js';
import { jsonResponse } from '../../http/respond.js';
import { parseOrThrow } from '../../http/validation.js';
import { sasExpiry } from '../../blobs/sas.js';
import { planSubmit } from '../../jobs/submit-body.js';
import { iso, newJobId } from '../../jobs/job-record.js';
import type { Policy } from '../compose.js';
import { checkQuery, type BesDeps } from './bes-job.js';

const MAX_SUBMIT_BYTES = 256 * 1024;
/** Slack on the backend's SAS beyond start window + run time, for clocks and the last poll. */
const SAS_MARGIN_MS = 15 * 60_000;

/** A subscription may not pile up unbounded open jobs (each holds backend capacity and poller time): exact across instances. */
async function reserveOpenJob(subscriptionId: string, jobId: string, deps: BesDeps): Promise<void> {
  const { admitted, open } = await deps.openJobs.reserve(subscriptionId, jobId, deps.maxOpenJobsPerSubscription);
  if (!admitted) {
    throw new GatewayError('TooManyOpenJobs', `The subscription already has ${open} open jobs, the most allowed; wait for some to finish or cancel them.`, {
      headers: { 'retry-after': '30' },
    });
  }
}

export function submitJob(deps: BesDeps): Policy {
  return async function submitJobPolicy(ctx, next) {
    checkQuery(ctx);
    const body = parseJsonBody(await readBodyLimited(ctx.request, Math.min(deps.maxSubmitBytes, MAX_SUBMIT_BYTES)));
    const request = parseOrThrow(BesSubmitRequest, body, { detailCode: 'RequestBodyInvalid', message: 'The request body is invalid.' });
    const id = newJobId();
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
    await checkInputColumns(plan.backendBody.Inputs, await deps.inputColumns(ctx.entry!), deps);
    await reserveOpenJob(subscriptionId, id, deps);
    try {
      const backendJobId = await deps.backends(ctx.entry!).submit(ctx.entry!, plan.backendBody);
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

/**
 * An input whose header lacks a column the service declares is refused now, naming the column, rather than failing
 * after start. Only what the facade can read is judged: an unreadable file, or a service that declares nothing,
 * goes on to the backend as before.
 */
async function checkInputColumns(inputs: Record<string, BlobAccess>, required: Record<string, string[]>, deps: BesDeps): Promise<void> {
  if (!deps.blobs.inputHeader) return;
  const problems = [];
  for (const [name, access] of Object.entries(inputs)) {
    const columns = required[name] ?? [];
    if (columns.length === 0) continue;
    const header = await deps.blobs.inputHeader(access);
    if (!header) continue;
    const had = header.slice(0, 20).map((c) => `'${c.slice(0, 40)}'`).join(', ');
    for (const column of columns.filter((c) => !header.includes(c))) {
      problems.push({ code: 'InputParseError', target: `Inputs.${name}`, message: `column '${column}' is required; the file's header has ${had || 'no columns'}` });
    }
  }
  if (problems.length > 0) throw new GatewayError('InputParseError', 'The input lacks columns the service needs.', { details: problems });
}
