// Policy (terminal): BES list. The caller's jobs on this service, newest first, a page at a time: the body stays
// the classic list, and a further page is announced in x-ms-continuation (given back as $skiptoken).
import { GatewayError } from '../../errors.js';
import { BesListQuery } from '../../contracts/bes.js';
import { jsonResponse } from '../../http/respond.js';
import { parseOrThrow, queryObject } from '../../http/validation.js';
import { classicStatus, JOB_ID } from '../../jobs/job-record.js';
import type { Policy } from '../compose.js';
import type { BesDeps } from './bes-job.js';

/** A continuation token back to the job it points after; a token that is not one of ours is a 400 naming it. */
function readCursor(token: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !JOB_ID.test(id)) {
    throw new GatewayError('InvalidQueryParameter', 'The query string is invalid.', { details: [{ code: 'InvalidQueryParameter', target: '$skiptoken', message: 'not a continuation token of this list' }] });
  }
  return { createdAt, id };
}

export function listJobs(deps: BesDeps): Policy {
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
