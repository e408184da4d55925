// Policy (terminal): BES start. The start is claimed on the job record with its ETag first, so two concurrent
// starts call the backend once; a backend refusal puts the job back as it was.
import { GatewayError } from '../../errors.js';
import { jsonResponse } from '../../http/respond.js';
import { classicStatus, iso } from '../../jobs/job-record.js';
import type { Policy } from '../compose.js';
import { checkQuery, ownedJob, type BesDeps } from './bes-job.js';

export function startJob(deps: BesDeps): Policy {
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
        await deps.backends(ctx.entry!).start(ctx.entry!, job.backendJobId);
      } catch (error) {
        await deps.store.replace({ ...claimed, state: 'NotStarted', startTime: null, nextPollAt: 0 });
        throw error;
      }
      ctx.response = jsonResponse(200, undefined, ctx.requestId);
      return next();
    }
  };
}
