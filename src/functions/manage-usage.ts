// HTTP triggers: /manage/usage — the usage report, flushing this instance's counts, recent batch jobs (admin
// key required). Also the appTerminate hook that writes an instance's last counts when it shuts down.
import '../lib/functions-setup.js';
import { app } from '@azure/functions';
import { lazyHandler } from '../lib/lazy-handler.js';

export const manageGetUsage = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageGetUsage);
export const manageFlushUsage = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageFlushUsage);
export const manageListUsageJobs = lazyHandler(async () => (await import('../lib/handlers/manage.js')).manageListUsageJobs);

app.http('manageGetUsage', { route: 'manage/usage', methods: ['GET'], authLevel: 'anonymous', handler: manageGetUsage });
app.http('manageFlushUsage', { route: 'manage/usage/flush', methods: ['POST'], authLevel: 'anonymous', handler: manageFlushUsage });
app.http('manageListUsageJobs', { route: 'manage/usage/jobs', methods: ['GET'], authLevel: 'anonymous', handler: manageListUsageJobs });

// Graceful shutdown (scale-in, deployment, SIGTERM locally) flushes; only a crash loses the last interval.
// It touches no runtime that was never created: an instance that served no call has nothing to write.
app.hook.appTerminate(async () => (await import('../lib/usage/recorder.js')).closeAllRecorders());
