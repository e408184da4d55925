// The subscriber's own API ("My subscription", under …/workspaces/me): each operation is the self-service handler
// (own subscription key, no rate limit or quota) around one operation of self/me.ts, built from the app's parts on
// its first call; every answer is counted in usage under its own operation name and logged like a data-plane call.
import { getTableClient, TABLES } from '../../storage/tables.js';
import { observeCalls } from './observe-calls.js';
import { AuditLog } from '../../manage/audit-log.js';
import { selfHandler, type SelfCall, type SelfOperationName, type SelfOptions, type SelfResult } from '../../self/handler.js';
import { readMe, readMyCalls, readMyJobs, readMyUsage, regenerateMyKey, type SelfParts } from '../../self/me.js';
import { readMyServices } from '../../self/my-services.js';
import type { App } from '../app.js';
import type { HandlerContext, HttpHandlerFactory } from '../operations/operation.js';

const selfParts = new WeakMap<App, SelfParts>();

function partsOf(app: App): SelfParts {
  let parts = selfParts.get(app);
  if (!parts) {
    const { storage, storageTryTimeoutMs: tryTimeoutMs, storageDeadlineMs: deadlineMs } = app.settings;
    const table = (name: string) => () => getTableClient(storage, name, { tryTimeoutMs, deadlineMs });
    parts = {
      subscriptions: app.subscriptions,
      counters: app.usage.counters,
      usage: app.usage.table,
      calls: app.usage.requestLog,
      jobsTable: table(TABLES.jobs),
      audit: new AuditLog(table(TABLES.audit)),
    };
    selfParts.set(app, parts);
  }
  return parts;
}


function self(name: SelfOperationName, run: (call: SelfCall, parts: SelfParts) => Promise<SelfResult>, options: SelfOptions): HttpHandlerFactory {
  return ({ app }: HandlerContext) => selfHandler(name, options, () => app(), (call) => run(call, partsOf(app())), observeCalls(app));
}

// A suspended subscriber may still read their subscription (to see its state and what is left); nothing else.
export const meRead = self('me.read', readMe, { allowSuspended: true, parameters: [] });
export const meUsage = self('me.usage', readMyUsage, { parameters: ['from', 'to', 'interval'] });
export const meCalls = self('me.calls', readMyCalls, { parameters: ['from', 'to', 'limit', 'errorsOnly'] });
export const meJobs = self('me.jobs', readMyJobs, { parameters: ['limit'] });
export const meRegenerateKey = self('me.regenerate', regenerateMyKey, { parameters: ['key'] });
// The services list: the catalogue as the caller's product sees it (one read of the catalogue table).
export const meServices: HttpHandlerFactory = ({ app, settings }: HandlerContext) =>
  selfHandler('me.services', { parameters: [] }, () => app(), (call) => readMyServices(call, { catalogue: app().catalogue, urlSuffix: settings.urlSuffix }), observeCalls(app));
