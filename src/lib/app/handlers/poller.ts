// The poller's timer handler: reconciles every due job with its backend, and once an hour purges jobs (and their
// results) that ended longer ago than the retention.
import type { InvocationContext, Timer } from '@azure/functions';
import { pollDueJobs } from '../../jobs/poller.js';
import { purgeEndedJobs } from '../../jobs/retention.js';
import type { HandlerContext, TimerHandlerFactory } from '../operations/operation.js';

const RETENTION_EVERY_MS = 3_600_000;

export const besPoller: TimerHandlerFactory = ({ app }: HandlerContext) => {
  let lastPurge = 0;
  return async function runPoller(_timer: Timer, context: InvocationContext): Promise<void> {
    const { bes, blobs, settings } = app();
    const log = (message: string) => context.warn(message);
    const summary = await pollDueJobs(bes, { concurrency: settings.besPollConcurrency, batch: settings.besPollBatch, log });
    if (summary.due > 0) context.log(`bes poller: ${JSON.stringify(summary)}`);
    if (settings.besRetentionDays > 0 && Date.now() - lastPurge >= RETENTION_EVERY_MS) {
      lastPurge = Date.now();
      const purged = await purgeEndedJobs({ store: bes.store, blobs, now: Date.now, retentionMs: settings.besRetentionDays * 86_400_000 })
        .catch((error: unknown) => (log(`retention: ${(error as Error).message.split('\n')[0]}`), undefined));
      if (purged && purged.jobs > 0) log(`retention: ${purged.jobs} jobs and ${purged.blobs} blobs older than ${settings.besRetentionDays} days removed`);
    }
  };
};
