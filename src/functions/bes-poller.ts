// Timer trigger: reconciles every active batch job with its backend (schedule from BES_POLL_SCHEDULE,
// six-field NCRONTAB, read when the app loads as the Functions host reads app settings).
import '../lib/functions-setup.js';
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { runPoller } from '../lib/jobs/runtime-jobs.js';

export const DEFAULT_POLL_SCHEDULE = '*/5 * * * * *';

export async function besPoller(_timer: Timer, context: InvocationContext): Promise<void> {
  const summary = await runPoller((message) => context.warn(message));
  if (summary.due > 0) context.log(`bes poller: ${JSON.stringify(summary)}`);
}

app.timer('besPoller', {
  schedule: process.env.BES_POLL_SCHEDULE || DEFAULT_POLL_SCHEDULE,
  handler: besPoller,
});
