// The analytics side of usage: rows keyed by the service reached and the status answered, with latency and backend
// sums; filters (validated, 400 naming the parameter) and groups by service and status; the 401/403/429 counts;
// the timing means; and what a call records of the service and error code it met.
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/lib/errors.js';
import { describeCall, serviceOf, type FinishedCall } from '../../src/lib/usage/call-record.js';
import { resolveUsageQuery, type UsageQuery } from '../../src/lib/usage/usage-query.js';
import { summarize } from '../../src/lib/usage/usage-report.js';
import { UsageRecorder } from '../../src/lib/usage/recorder.js';
import type { UsageRow } from '../../src/lib/usage/usage-table.js';
import { Histogram } from '../../src/lib/usage/histogram.js';

const NOW = Date.UTC(2025, 0, 8, 12, 30, 20);
const MINUTE = Date.UTC(2025, 0, 8, 12, 10) / 60_000;

function row(fields: Partial<UsageRow>, calls = 1, latencyMs = 10, backendMs: number | null = 6): UsageRow {
  const h = new Histogram();
  for (let i = 0; i < calls; i++) h.add(latencyMs);
  return {
    minute: MINUTE, instanceId: 'a', subscriptionId: 's1', productId: 'gold', operation: 'rrs.execute', outcome: 'success', backendKind: 'classic',
    service: 'ws/one', status: 200, calls, bytesIn: 0, bytesOut: 0, latency: h.encode(), latencyMsSum: latencyMs * calls,
    backendCalls: backendMs === null ? 0 : calls, backendMsSum: backendMs === null ? 0 : backendMs * calls, ...fields,
  };
}

const refused = (status: number, subscriptionId = 's1') =>
  row({ status, outcome: status === 400 ? 'failed' : 'blocked', service: '(none)', backendKind: '(none)', subscriptionId }, 1, 2, null);

const ROWS = [
  row({}, 3), // 3 × 200 on ws/one: 10 ms each, 6 of them the backend's
  row({ service: 'ws/two', subscriptionId: 's2' }, 2, 20, 15),
  row({ status: 400, outcome: 'failed' }, 1, 4, null), // bad input: refused before the backend
  refused(401, 'anonymous'), refused(403), refused(429), refused(429, 's2'),
];

const query = (params: Record<string, string> = {}): UsageQuery => resolveUsageQuery({ from: '2025-01-08T12:00:00Z', to: '2025-01-08T12:30:00Z', interval: '30', ...params }, NOW);

function targetOf(params: Record<string, string>): string | undefined {
  try {
    query(params);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('InvalidQueryParameter');
    return (error as GatewayError).details[0]?.target;
  }
  return undefined;
}

describe('usage filters', () => {
  it('takes each filter as an exact match and echoes only those given (status as an integer)', () => {
    expect(query().filters).toBeUndefined();
    expect(query({ service: 'ws/one', status: '200' }).filters).toEqual({ service: 'ws/one', status: 200 });
    const report = summarize(ROWS, query({ service: 'ws/one', status: '200' }));
    expect(report.filters).toEqual({ service: 'ws/one', status: 200 });
    expect(report.totals).toMatchObject({ calls: 3, success: 3 });
    expect(summarize(ROWS, query({ subscription: 's2' })).totals).toMatchObject({ calls: 3, success: 2, throttled: 1 });
    expect(summarize(ROWS, query({ outcome: 'blocked', product: 'gold' })).totals.calls).toBe(4);
    expect(summarize(ROWS, query({ backend: '(none)', operation: 'rrs.execute' })).totals.calls).toBe(4);
    expect(summarize(ROWS, query({ service: 'ws/none' })).totals.calls).toBe(0);
    expect(summarize(ROWS, query()).filters).toEqual({});
  });

  it('answers 400 naming the parameter', () => {
    expect(targetOf({ status: 'abc' })).toBe('status');
    expect(targetOf({ status: '99' })).toBe('status');
    expect(targetOf({ status: '600' })).toBe('status');
    expect(targetOf({ subscription: 'x'.repeat(201) })).toBe('subscription');
    expect(targetOf({ service: '' })).toBe('service');
    expect(targetOf({ outcome: 'fine' })).toBe('outcome');
    expect(targetOf({ groupby: 'colour' })).toBe('groupBy');
    expect(targetOf({ product: 'p'.repeat(200), status: '503' })).toBeUndefined();
  });
});

describe('usage groups and counts', () => {
  it('groups by service and by status', () => {
    const byService = summarize(ROWS, query({ groupby: 'service' }));
    expect(byService.groups.map((g) => [g.key, g.calls])).toEqual([['(none)', 4], ['ws/one', 4], ['ws/two', 2]]);
    const byStatus = summarize(ROWS, query({ groupby: 'status' }));
    expect(Object.fromEntries(byStatus.groups.map((g) => [g.key, g.calls]))).toEqual({ 200: 5, 400: 1, 401: 1, 403: 1, 429: 2 });
    expect(byStatus.groups[0]).not.toHaveProperty('name');
  });

  it('counts 401, 403 and 429 as unauthorized, forbidden and throttled, within blocked, in totals, groups and series', () => {
    const report = summarize(ROWS, query({ groupby: 'subscription' }));
    expect(report.totals).toMatchObject({ calls: 10, success: 5, blocked: 4, failed: 1, other: 0, unauthorized: 1, forbidden: 1, throttled: 2 });
    expect(report.groups.find((g) => g.key === 's1')).toMatchObject({ unauthorized: 0, forbidden: 1, throttled: 1 });
    expect(report.series[0]).toMatchObject({ calls: 10, unauthorized: 1, forbidden: 1, throttled: 2 });
  });

  it('times calls: the mean, the facade\'s own part of it over all calls, and the backend\'s over the calls that waited', () => {
    const report = summarize(ROWS, query({ groupby: 'service' }));
    const latencyMsSum = 3 * 10 + 2 * 20 + 4 + 4 * 2; // 82
    const backendMsSum = 3 * 6 + 2 * 15; // 48
    expect(report.totals.timing).toEqual({
      meanMs: 8.2, gatewayMeanMs: 3.4, backendMeanMs: 9.6, backendCalls: 5, latencyMsSum, backendMsSum,
    });
    expect(report.groups.find((g) => g.key === '(none)')!.timing).toEqual({ meanMs: 2, gatewayMeanMs: 2, backendMeanMs: null, backendCalls: 0, latencyMsSum: 8, backendMsSum: 0 });
    expect(report.series[0]).toMatchObject({ meanMs: 8.2, gatewayMeanMs: 3.4, backendMeanMs: 9.6 });
    const empty = summarize([], query());
    expect(empty.totals.timing).toEqual({ meanMs: null, gatewayMeanMs: null, backendMeanMs: null, backendCalls: 0, latencyMsSum: 0, backendMsSum: 0 });
    expect(empty.series[0]).toMatchObject({ meanMs: null, gatewayMeanMs: null, backendMeanMs: null });
  });

  it('rounds means to 2 decimals', () => {
    const report = summarize([row({}, 3, 1 / 3, 1 / 7)], query());
    expect(report.totals.timing).toMatchObject({ meanMs: 0.33, backendMeanMs: 0.14, gatewayMeanMs: 0.19 });
  });
});

describe('what a call records', () => {
  const request = new HttpRequest({ method: 'POST', url: 'http://facade/x', params: { workspace: 'WS', service: 'Svc' } });
  const call = (extra: Partial<FinishedCall>): FinishedCall => ({ operation: 'rrs.execute', requestId: 'r1', request, startedAt: 0, ...extra });

  it('counts the catalogue entry\'s own names as its service, and "(none)" for a call that reached none', () => {
    const entry = { workspace: 'ws', service: 'svc', backend: { kind: 'classic' } };
    const reached = describeCall(call({ ctx: { workspace: 'WS', service: 'Svc', entry, backendMs: 3 } }), { status: 200 }, 5);
    expect(reached).toMatchObject({ workspace: 'ws', service: 'svc', backendKind: 'classic', status: 200, backendMs: 3, errorCode: null });
    expect(serviceOf(reached)).toBe('ws/svc');
    const notFound = describeCall(call({ ctx: { workspace: 'nope', service: 'made-up' } }), { status: 404 }, 5);
    expect(serviceOf(notFound)).toBe('(none)');
  });

  it('carries the specific error code: the mapper\'s, else the one a backend\'s error passed through with', () => {
    expect(describeCall(call({ errorCode: 'RateLimitExceeded' }), { status: 429, body: '{"error":{"code":"TooManyRequests"}}' }, 1).errorCode).toBe('RateLimitExceeded');
    expect(describeCall(call({ ctx: { workspace: 'w', service: 's', errorCode: 'BadArgument' } }), { status: 400 }, 1).errorCode).toBe('BadArgument');
    expect(describeCall(call({}), { status: 404, body: '{"error":{"code":"NotFound"}}' }, 1).errorCode).toBeNull(); // never parsed back out of a body
  });

  it('keys rows by service and status, with latency and backend sums', async () => {
    const written: UsageRow[] = [];
    const recorder = new UsageRecorder({ sink: { upsert: async (_m, rows) => void written.push(...rows) }, instanceId: 'i', flushIntervalMs: 60_000, now: () => NOW });
    const sample = { subscriptionId: 's', productId: 'p', operation: 'rrs.execute' as const, outcome: 'success' as const, backendKind: 'oip', workspace: 'ws', service: 'svc', status: 200, latencyMs: 10, backendMs: 7, bytesIn: 1, bytesOut: 2 };
    recorder.record(sample);
    recorder.record({ ...sample, latencyMs: 4, backendMs: null });
    recorder.record({ ...sample, status: 429, outcome: 'blocked', backendKind: '(none)', backendMs: null });
    await recorder.close();
    expect(written.map((r) => [r.service, r.status, r.calls, r.latencyMsSum, r.backendCalls, r.backendMsSum])).toEqual([
      ['ws/svc', 200, 2, 14, 1, 7],
      ['(none)', 429, 1, 10, 0, 0],
    ]);
  });
});
