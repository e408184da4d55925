// Policy (terminal): BES cancel (DELETE). Cancels on the backend and records it; a job already over answers the
// same 200 (DELETE is idempotent); a job a poller holds right now is a 409 saying when to try again.
import { GatewayError } from '../../errors.js';
import { jsonResponse } from '../../http/respond.js';
import { iso } from '../../jobs/job-record.js';
import type { Policy } from '../compose.js';
import { checkQuery, ownedJob, type BesDeps } from './bes-job.js';

export function cancelJob(deps: BesDeps): Policy {
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
      if (job.state !== 'Copying') await deps.backends(ctx.entry!).cancel(ctx.entry!, job.backendJobId);
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
