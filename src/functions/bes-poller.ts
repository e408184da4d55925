// Timer trigger: reconciles every active batch job with its backend (schedule from BES_POLL_SCHEDULE,
// six-field NCRONTAB, read when the app loads as the Functions host reads app settings).
import '../lib/functions-setup.js';
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const DEFAULT_POLL_SCHEDULE = '*/5 * * * * *';

export const besPoller = lazyHandler(async () => {
  const { runPoller } = await import('../lib/jobs/runtime-jobs.js');
  return async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const summary = await runPoller((message) => context.warn(message));
    if (summary.due > 0) context.log(`bes poller: ${JSON.stringify(summary)}`);
  };
});

app.timer('besPoller', {
  schedule: process.env.BES_POLL_SCHEDULE || DEFAULT_POLL_SCHEDULE,
  handler: besPoller,
});
