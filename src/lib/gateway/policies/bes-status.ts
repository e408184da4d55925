// Policy (terminal): BES status. A job not polled for a while is advanced inline (if no poller holds it), so a
// status read is never staler than the refresh setting; a finished job's results are read-only SAS links.
import type { BesStatusResponse } from '../../contracts/bes.js';
import { jsonResponse } from '../../http/respond.js';
import { classicStatus, isActive } from '../../jobs/job-record.js';
import { claimAndAdvance } from '../../jobs/poller.js';
import type { Policy } from '../compose.js';
import { checkQuery, destinationOf, ownedJob, type BesDeps } from './bes-job.js';

export function jobStatus(deps: BesDeps): Policy {
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
