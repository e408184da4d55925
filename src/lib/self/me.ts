// What a subscriber may see and do about their own subscription: the subscription and its product with the calls
// counted in the current rate-limit and quota windows, their usage, their batch jobs, and a new key. Every read
// is keyed by the authenticated subscription id (SelfCall.caller), never by anything in the request.
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { countParam } from '../http/query-params.js';
import { GatewayError } from '../errors.js';
import { parseOrThrow, queryObject } from '../http/validation.js';
import { listedState, RegenerateQuery, type KeyKind, type Subscription } from '../contracts/subscriptions.js';
import { resolveUsageQuery } from '../usage/usage-query.js';
import { minutesOf, summarize } from '../usage/usage-report.js';
import type { UsageRow } from '../usage/usage-table.js';
import type { CallsScan, RequestLogEntry } from '../usage/request-log.js';
import { readCalls, resolveMyCallsQuery } from '../usage/request-log-query.js';
import type { CounterReader } from './counter-reader.js';
import { listMyJobs } from './my-jobs.js';
import type { SelfCall, SelfResult } from './handler.js';

export interface SelfParts {
  subscriptions: {
    get(id: string): Promise<Subscription | undefined>;
    regenerate(id: string, kind: KeyKind): Promise<{ subscription: Subscription; key: string }>;
  };
  counters: CounterReader;
  usage: { read(first: number, last: number): Promise<UsageRow[]> };
  /** The request log of every instance (what they flushed). */
  calls: { read(scan: CallsScan): Promise<RequestLogEntry[]> };
  jobsTable: () => Promise<TableClient>;
  /** Where a subscriber's own key change is written (the management audit log). */
  audit?: { record(entry: AuditNote): Promise<unknown> };
  now?: () => number;
}

interface AuditNote {
  actor: string;
  operation: string;
  target: string;
  outcome: 'success' | 'failure';
  status: number;
  errorCode?: string;
  requestId: string;
  details?: Record<string, unknown>;
}

const gone = () => new GatewayError('ScoreRequestUnauthorized', 'Access denied: the subscription key is not valid.');

/** GET …/me: the subscription, its product, and the current windows (read without spending a call). */
export async function readMe(call: SelfCall, parts: SelfParts): Promise<SelfResult> {
  const now = (parts.now ?? Date.now)();
  const id = call.caller.subscriptionId;
  const { product } = call;
  const [subscription, rate, quota] = await Promise.all([
    parts.subscriptions.get(id),
    product.rateLimit ? parts.counters.window('rate', id, product.rateLimit, now) : null,
    product.quota ? parts.counters.window('quota', id, product.quota, now) : null,
  ]);
  if (!subscription) throw gone(); // deleted since the key was verified (cached)
  return {
    status: 200,
    body: {
      subscription: {
        id, name: subscription.name, productId: subscription.productId, state: listedState(subscription, now),
        expiresAt: subscription.expiresAt, createdAt: subscription.createdAt,
      },
      product: { id: product.id, name: product.name, rateLimit: product.rateLimit, quota: product.quota, operations: product.operations, services: product.services },
      // null: the product sets no such limit.
      windows: { rate, quota },
    },
  };
}

/** GET …/me/usage?from=&to=&interval=: this subscription's usage, by operation and outcome, with a time series. */
export async function readMyUsage(call: SelfCall, parts: SelfParts): Promise<SelfResult> {
  const q = queryObject(call.request.query);
  // Only the range and the step: the grouping is fixed (by operation), other subscriptions are never reachable.
  const query = { ...resolveUsageQuery({ from: q.from!, to: q.to!, interval: q.interval! }, (parts.now ?? Date.now)()), groupBy: 'operation' as const };
  const id = call.caller.subscriptionId;
  const { first, last } = minutesOf(query);
  const mine = (await parts.usage.read(first, last)).filter((row) => row.subscriptionId === id);
  const report = summarize(mine, query);
  const operations = report.groups.map(({ key, ...counts }) => ({
    operation: key,
    ...counts,
    series: summarize(mine.filter((row) => row.operation === key), { ...query, groupBy: null }).series
      .map(({ time, calls, success, blocked, failed, other, unauthorized, forbidden, throttled }) => ({ time, calls, success, blocked, failed, other, unauthorized, forbidden, throttled })),
  }));
  return {
    status: 200,
    body: { subscriptionId: id, from: report.from, to: report.to, interval: report.interval, totals: report.totals, operations, series: report.series },
  };
}

/** GET …/me/calls?limit=&errorsOnly=&from=&to=: this subscription's recent calls with their request ids, newest first. */
export async function readMyCalls(call: SelfCall, parts: SelfParts): Promise<SelfResult> {
  const query = resolveMyCallsQuery(queryObject(call.request.query), (parts.now ?? Date.now)());
  // The subscription comes from the key alone: the query cannot name one (MyCallsQueryInput has no such filter).
  return { status: 200, body: await readCalls(parts.calls, { ...query, filters: { subscription: call.caller.subscriptionId } }) };
}

const JobsQuery = z.object({ limit: countParam(500, 50) });

/** GET …/me/jobs?limit=50: this subscription's batch jobs on every service, newest first. */
export async function readMyJobs(call: SelfCall, parts: SelfParts): Promise<SelfResult> {
  const q = queryObject(call.request.query);
  const { limit } = parseOrThrow(JobsQuery, q.limit === undefined ? {} : { limit: q.limit }, { detailCode: 'InvalidQueryParameter', message: 'The query string is invalid.' });
  return { status: 200, body: await listMyJobs(parts.jobsTable, call.caller.subscriptionId, limit, (parts.now ?? Date.now)()) };
}

/** POST …/me/regenerate?key=primary|secondary: a new key of the caller's own subscription, shown once. */
export async function regenerateMyKey(call: SelfCall, parts: SelfParts): Promise<SelfResult> {
  const q = queryObject(call.request.query);
  const { key: kind } = parseOrThrow(RegenerateQuery, { key: q.key }, {
    detailCode: 'InvalidQueryParameter',
    message: 'The query string is invalid: key must be primary or secondary.',
  });
  const id = call.caller.subscriptionId;
  const entry = { actor: `subscription:${id}`, operation: 'subscription.regenerateKey', target: `subscriptions/${id}`, requestId: call.requestId };
  const audit = (note: Pick<AuditNote, 'outcome' | 'status' | 'errorCode'>) =>
    parts.audit?.record({ ...entry, ...note, details: { key: kind, by: 'subscriber' } }).catch(() => undefined);
  let regenerated: { subscription: Subscription; key: string };
  try {
    // The store refuses a cancelled subscription (SubscriptionCancelled), as for the admin.
    regenerated = await parts.subscriptions.regenerate(id, kind);
  } catch (error) {
    await audit(error instanceof GatewayError ? { outcome: 'failure', status: error.status, errorCode: error.code } : { outcome: 'failure', status: 500, errorCode: 'InternalServerError' });
    throw error;
  }
  await audit({ outcome: 'success', status: 200 });
  const { subscription, key } = regenerated;
  return {
    status: 200,
    body: { ...subscription, state: listedState(subscription, (parts.now ?? Date.now)()), [kind === 'primary' ? 'primaryKey' : 'secondaryKey']: key },
  };
}
