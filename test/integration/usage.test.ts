// Usage end to end: a known mix of calls (successes, 400, 401, 404, 413, 429, BES) on two facade processes
// sharing one storage account, flushed through the management API, adds up exactly in GET /manage/usage;
// a facade stopped with SIGTERM flushes what it counted; every call has one JSON log line and no key.
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { allLogs, useStack } from './helpers/stack.js';
import { jobsApi } from './helpers/bes.js';
import { waitFor } from './helpers/wait.js';
import { startFacade } from '../../src/local/stack/start-stack.js';
import type { RunningChild } from '../../src/local/stack/child.js';

// Flushes only when asked (or at shutdown), so the test controls exactly what each instance has written.
const stack = useStack({ facadeEnv: { USAGE_FLUSH_SECONDS: '3600', MAX_REQUEST_BYTES: '65536', AUTH_FAILURE_LIMIT: '1000' } });
let second: RunningChild<{ url: string }> | undefined;
afterAll(async () => { await second?.stop(); });

const BODY = JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['good day']] } }, GlobalParameters: {} });
const OUTCOME: Record<number, 'success' | 'blocked' | 'failed' | 'other'> = { 200: 'success', 201: 'success', 400: 'failed', 401: 'blocked', 429: 'blocked', 404: 'other', 413: 'other' };

interface Made { sub: string; operation: string; status: number }
const made: Made[] = [];

async function manage(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, baseUrl = stack().facadeUrl) {
  const res = await request(`${baseUrl}/manage/${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-admin-key': stack().adminKey },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? (JSON.parse(text) as any) : undefined };
}

/** One RRS call; remembers what it should count as. */
async function score(baseUrl: string, key: string, sub: string, expected: number, options: { service?: string; body?: string } = {}) {
  const { workspace, service } = stack().demo;
  const res = await request(`${baseUrl}/workspaces/${workspace}/services/${options.service ?? service}/execute?api-version=2.0`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key },
    body: options.body ?? BODY,
  });
  await res.body.text();
  expect(res.statusCode).toBe(expected);
  made.push({ sub, operation: 'rrs.execute', status: expected });
  return res.headers['x-ms-request-id'] as string;
}

/** The usual mix on one instance: 3 × 200, 2 × 401, 2 × 400, 1 × 404, 1 × 413, 1 BES list. */
async function mix(baseUrl: string, demoKey: string) {
  for (let i = 0; i < 3; i++) await score(baseUrl, demoKey, 'demo', 200);
  for (let i = 0; i < 2; i++) await score(baseUrl, 'not-a-key-' + 'x'.repeat(33), 'anonymous', 401);
  await score(baseUrl, demoKey, 'demo', 400, { body: '{"Inputs": 5}' });
  await score(baseUrl, demoKey, 'demo', 400, { body: 'not json' });
  await score(baseUrl, demoKey, 'demo', 404, { service: 'no-such-service' });
  await score(baseUrl, demoKey, 'demo', 413, { body: JSON.stringify({ pad: 'x'.repeat(70_000) }) });
  const list = await request(`${baseUrl}/workspaces/${stack().demo.workspace}/services/${stack().demo.service}/jobs?api-version=2.0`, { headers: { 'ocp-apim-subscription-key': demoKey } });
  await list.body.text();
  expect(list.statusCode).toBe(200);
  made.push({ sub: 'demo', operation: 'bes.list', status: 200 });
}

function expectedCounts(calls: Made[]) {
  const counts = { calls: calls.length, success: 0, blocked: 0, failed: 0, other: 0 };
  for (const c of calls) counts[OUTCOME[c.status]!]++;
  return counts;
}

const tally = (calls: Made[], key: (c: Made) => string) =>
  Object.fromEntries([...new Set(calls.map(key))].map((k) => [k, calls.filter((c) => key(c) === k).length]));

describe('usage across two facade instances', () => {
  let demoKey = '';
  let madeOnA: Made[] = [];

  it('counts every call by outcome, operation and subscription, exactly, once both instances flush', async () => {
    demoKey = stack().demo.subscriptionKey;
    second = await startFacade(stack().facadeEnv, 0);
    const [a, b] = [stack().facadeUrl, second.info.url];
    expect((await manage('PUT', 'products/tight', { name: 'Tight', rateLimit: { calls: 2, renewalPeriod: 3600 }, quota: null })).status).toBe(201);
    const tight = (await manage('POST', 'subscriptions', { name: 'tight-app', productId: 'tight' })).json;
    const left = 3600_000 - (Date.now() % 3600_000);
    if (left < 20_000) await new Promise((r) => setTimeout(r, left + 100)); // keep the 2-call window whole

    await mix(a, demoKey);
    const api = jobsApi(stack, () => demoKey);
    const uploaded = await api.upload('Id,Col2\r\n1,good day\r\n');
    expect(uploaded.status).toBe(201);
    const submitted = await api.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } } });
    expect(submitted.status).toBe(200);
    made.push({ sub: 'demo', operation: 'bes.upload', status: 201 }, { sub: 'demo', operation: 'bes.submit', status: 200 });
    await score(a, tight.primaryKey, 'tight-app', 200);
    await score(a, tight.primaryKey, 'tight-app', 200);
    await score(a, tight.primaryKey, 'tight-app', 429);
    madeOnA = [...made];

    await mix(b, demoKey);
    await score(b, tight.primaryKey, 'tight-app', 429);
    await score(b, tight.primaryKey, 'tight-app', 429);

    // B has not flushed: A's report holds A's calls only (A flushes itself before answering).
    const before = (await manage('GET', 'usage')).json;
    expect(before.totals).toMatchObject(expectedCounts(madeOnA));

    const flushed = await manage('POST', 'usage/flush', undefined, b);
    expect(flushed.status).toBe(200);
    expect(flushed.json.rows).toBeGreaterThan(0);
    expect((await manage('POST', 'usage/flush', undefined, a)).status).toBe(200);

    const subs = (await manage('GET', 'subscriptions')).json as { id: string; name: string }[];
    const subId = (name: string) => (name === 'anonymous' ? 'anonymous' : subs.find((s) => s.name === name)!.id);
    const fromA = (await manage('GET', 'usage')).json;
    const fromB = (await manage('GET', 'usage', undefined, b)).json;
    expect(fromA.totals).toEqual(fromB.totals);
    expect(fromA.totals).toMatchObject(expectedCounts(made));
    expect(fromA.totals.calls).toBe(27);
    expect(fromA.totals.bytesIn).toBeGreaterThan(140_000); // the two 70 KB bodies refused with 413 count too
    expect(fromA.totals.bytesOut).toBeGreaterThan(0);
    const { p50, p95, p99 } = fromA.totals.latency;
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    expect(fromA.series.reduce((n: number, p: { calls: number }) => n + p.calls, 0)).toBe(27);
    expect(fromA).toMatchObject({ interval: 1, groupBy: null, groups: [] });

    const byOperation = (await manage('GET', 'usage?groupBy=operation')).json;
    expect(Object.fromEntries(byOperation.groups.map((g: any) => [g.key, g.calls]))).toEqual(tally(made, (c) => c.operation));
    expect(byOperation.groups[0].key).toBe('rrs.execute');

    const bySubscription = (await manage('GET', 'usage?groupBy=subscription', undefined, b)).json;
    const expectedBySub = Object.fromEntries(Object.entries(tally(made, (c) => c.sub)).map(([name, n]) => [subId(name), n]));
    expect(Object.fromEntries(bySubscription.groups.map((g: any) => [g.key, g.calls]))).toEqual(expectedBySub);
    const tightGroup = bySubscription.groups.find((g: any) => g.key === tight.id);
    expect(tightGroup).toMatchObject({ name: 'tight-app', calls: 5, success: 2, blocked: 3 });
    expect(bySubscription.groups.find((g: any) => g.key === 'anonymous')).toMatchObject({ name: null, blocked: 4 });

    const byOutcome = (await manage('GET', 'usage?groupBy=outcome&interval=60')).json;
    expect(Object.fromEntries(byOutcome.groups.map((g: any) => [g.key, g.calls]))).toEqual(tally(made, (c) => OUTCOME[c.status]!));
    const byProduct = (await manage('GET', 'usage?groupBy=product')).json;
    expect(byProduct.groups.find((g: any) => g.key === 'tight').calls).toBe(5);
    expect(byProduct.groups.find((g: any) => g.key === '(none)').calls).toBe(4);
  });

  it('validates the query (400 naming the field) and needs the admin key', async () => {
    const bad = await manage('GET', 'usage?interval=7');
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].target).toBe('interval');
    expect((await manage('GET', 'usage?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z')).json.error.details[0].target).toBe('from');
    const anonymous = await request(`${stack().facadeUrl}/manage/usage`);
    expect(anonymous.statusCode).toBe(401);
    await anonymous.body.text();
  });

  it('lists recent batch jobs for the dashboard', async () => {
    const jobs = (await manage('GET', 'usage/jobs?limit=10')).json as any[];
    expect(jobs).toHaveLength(1);
    expect(Object.keys(jobs[0]).sort()).toEqual(['createdAt', 'details', 'durationSeconds', 'endTime', 'id', 'service', 'startTime', 'state', 'status', 'subscriptionId', 'workspace']);
    expect(jobs[0]).toMatchObject({ state: 'NotStarted', status: 'NotStarted', workspace: stack().demo.workspace, startTime: null, durationSeconds: null, details: null });
    expect((await manage('GET', 'usage/jobs?limit=0')).status).toBe(400);
  });

  it('a facade stopped with SIGTERM flushes what it counted', async () => {
    const sub = (await manage('POST', 'subscriptions', { name: 'sigterm-app', productId: 'unlimited' })).json;
    for (let i = 0; i < 4; i++) await score(second!.info.url, sub.primaryKey, 'sigterm-app', 200);
    await score(second!.info.url, 'wrong-key', 'anonymous', 401);
    const logs = second!.logs;
    await second!.stop();
    expect(second!.process.exitCode).toBe(0);

    const report = (await manage('GET', 'usage?groupBy=subscription')).json;
    expect(report.groups.find((g: any) => g.key === sub.id)).toMatchObject({ name: 'sigterm-app', calls: 4, success: 4 });
    expect(report.totals).toMatchObject(expectedCounts(made));
    expect(logs.join('\n')).not.toContain(sub.primaryKey);
  });

  it('writes one JSON log line per call, with ids and numbers and never a key', async () => {
    const requestId = await score(stack().facadeUrl, demoKey, 'demo', 200);
    const facadeLogs = () => stack().children.find((c) => c.name === 'facade')!.logs;
    await waitFor('the call\'s log line', () => (facadeLogs().some((l) => l.includes(requestId)) ? true : undefined)); // the host batches log lines per event-loop turn
    const messages = stack().children.find((c) => c.name === 'facade')!.logs
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { message?: string })
      .filter((l) => l.message?.startsWith('{"event":"gatewayCall"'))
      .map((l) => JSON.parse(l.message!));
    const line = messages.find((m) => m.requestId === requestId);
    expect(line).toMatchObject({ operation: 'rrs.execute', status: 200, outcome: 'success', workspace: stack().demo.workspace, productId: 'unlimited' });
    expect(line.latencyMs).toBeGreaterThan(0);
    expect(line.backendMs).toBeGreaterThan(0);
    expect(line.bytesIn).toBe(Buffer.byteLength(BODY));
    expect(messages.filter((m) => m.status === 401).length).toBeGreaterThanOrEqual(2);
    const everything = allLogs(stack());
    expect(everything).not.toContain(demoKey);
    expect(everything).not.toContain(stack().backend.apiKey);
  });
});
