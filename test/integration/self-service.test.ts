// "My subscription" end to end (real HTTP): a subscriber's own API under …/workspaces/me, behind their own key only.
// The windows it shows are the throttling counters (read without spending a call), usage is the caller's own by
// operation and outcome, jobs are the caller's only, and a regenerated key replaces the old one at once.
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { jobsApi } from './helpers/bes.js';
import { DEMO_BODY, manageApi } from './helpers/calls.js';

// Usage flushes only when asked, so the test knows exactly what was written.
const stack = useStack({ facadeEnv: { USAGE_FLUSH_SECONDS: '3600', AUTH_FAILURE_LIMIT: '1000' } });
const BODY = DEMO_BODY;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const manage = manageApi(stack);

type Place = 'header' | 'query' | 'bearer' | 'none';
async function me(path: string, key: string | null, options: { method?: 'GET' | 'POST'; place?: Place; headers?: Record<string, string> } = {}) {
  const place = key === null ? 'none' : options.place ?? 'header';
  let url = `${stack().facadeUrl}/workspaces/me${path}`;
  const headers: Record<string, string> = { ...options.headers };
  if (place === 'header') headers['ocp-apim-subscription-key'] = key!;
  if (place === 'bearer') headers.authorization = `Bearer ${key}`;
  if (place === 'query') url += `${url.includes('?') ? '&' : '?'}subscription-key=${encodeURIComponent(key!)}`;
  const res = await request(url, { method: options.method ?? 'GET', headers });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? (JSON.parse(text) as any) : undefined };
}

async function score(key: string) {
  const { workspace, service } = stack().demo;
  const res = await request(`${stack().facadeUrl}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key }, body: BODY,
  });
  await res.body.text();
  return res.statusCode;
}

describe('GET/POST …/workspaces/me (own subscription key)', () => {
  const startedAt = Date.now() - 60_000;
  let keyA = '';
  let idA = '';
  let keyB = '';
  let idB = '';
  let jobId = '';
  const meReadsA: number[] = [];

  it('shows the subscription, its product and the calls counted in the current windows, without spending one', async () => {
    // Fixed one-hour windows are aligned to the epoch: keep the whole test inside one.
    const left = 3600_000 - (Date.now() % 3600_000);
    if (left < 120_000) await sleep(left + 100);
    expect((await manage('PUT', 'products/self-serve', { name: 'Self serve', rateLimit: { calls: 50, renewalPeriod: 3600 }, quota: { calls: 500, renewalPeriod: 86400 } })).status).toBe(201);
    const a = (await manage('POST', 'subscriptions', { name: 'self-a', productId: 'self-serve' })).json;
    const b = (await manage('POST', 'subscriptions', { name: 'self-b', productId: 'self-serve' })).json;
    [keyA, idA, keyB, idB] = [a.primaryKey, a.id, b.primaryKey, b.id];

    const N = 3;
    for (let i = 0; i < N; i++) expect(await score(keyA)).toBe(200);

    const first = await me('', keyA);
    meReadsA.push(1);
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.json.subscription).toMatchObject({ id: idA, name: 'self-a', productId: 'self-serve', state: 'active', expiresAt: null });
    expect(typeof first.json.subscription.createdAt).toBe('string');
    expect(first.json.product).toMatchObject({ id: 'self-serve', name: 'Self serve', rateLimit: { calls: 50, renewalPeriod: 3600 }, quota: { calls: 500, renewalPeriod: 86400 }, services: null });
    expect(first.json.windows.rate).toMatchObject({ calls: N, limit: 50, remaining: 50 - N, exact: true });
    expect(first.json.windows.quota).toMatchObject({ calls: N, limit: 500, remaining: 500 - N, exact: true });
    const hourEnd = new Date(Math.ceil(Date.now() / 3600_000) * 3600_000).toISOString();
    const dayEnd = new Date(Math.ceil(Date.now() / 86_400_000) * 86_400_000).toISOString();
    expect(first.json.windows.rate.renewsAt).toBe(hourEnd);
    expect(first.json.windows.quota.renewsAt).toBe(dayEnd);

    // Looking again (in all three key places) changes nothing: /me calls are not counted against the limits.
    for (const place of ['header', 'query', 'bearer'] as const) {
      const again = await me('', keyA, { place });
      meReadsA.push(1);
      expect(again.status, place).toBe(200);
      expect(again.json.windows.rate.calls).toBe(N);
      expect(again.json.windows.quota.calls).toBe(N);
    }
    // …and the next scored call is counted where /me reads.
    expect(await score(keyA)).toBe(200);
    const after = await me('', keyA);
    meReadsA.push(1);
    expect(after.json.windows.rate.calls).toBe(N + 1);
    expect(after.json.windows.quota.calls).toBe(N + 1);

    // Another subscription's key sees its own subscription and nothing spent.
    const other = await me('', keyB);
    expect(other.status).toBe(200);
    expect(other.json.subscription.id).toBe(idB);
    expect(other.json.windows.rate.calls).toBe(0);
    expect(JSON.stringify(other.json)).not.toContain(idA);
  }, 180_000); // up to two minutes' wait for the next hour's window, then a few seconds of calls

  it('refuses without a subscription key, with a wrong one, and with the admin key (401)', async () => {
    expect((await me('', null)).status).toBe(401);
    expect((await me('', null)).json.error.code).toBe('Unauthorized');
    expect((await me('', 'not-a-key-' + 'x'.repeat(33))).status).toBe(401);
    expect((await me('', null, { headers: { 'x-admin-key': stack().adminKey } })).status).toBe(401);
    expect((await me('', stack().adminKey)).status).toBe(401);
    expect((await me('/usage', null, { headers: { 'x-admin-key': stack().adminKey } })).status).toBe(401);
    expect((await me('/jobs', stack().adminKey, { place: 'bearer' })).status).toBe(401);
    expect((await me('/regenerate?key=primary', stack().adminKey, { method: 'POST' })).status).toBe(401);
  });

  it('lists the caller\'s batch jobs with their state, and only theirs', async () => {
    const api = jobsApi(stack, () => keyA);
    const uploaded = await api.upload('Col2\nThis is a good day\n');
    expect(uploaded.status).toBe(201);
    const submitted = await api.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } }, GlobalParameters: {} });
    expect(submitted.status).toBe(200);
    jobId = submitted.json as string;

    const mine = await me('/jobs?limit=10', keyA);
    expect(mine.status).toBe(200);
    expect(mine.json).toHaveLength(1);
    expect(mine.json[0]).toMatchObject({
      id: jobId, workspace: stack().demo.workspace, service: stack().demo.service, state: 'NotStarted', status: 'NotStarted',
      startTime: null, endTime: null, durationSeconds: null, details: null,
    });
    expect(Date.parse(mine.json[0].createdAt)).toBeGreaterThan(startedAt);

    const theirs = await me('/jobs', keyB);
    expect(theirs.status).toBe(200);
    expect(theirs.json).toEqual([]);

    const bad = await me('/jobs?limit=0', keyA);
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0]).toMatchObject({ code: 'InvalidQueryParameter', target: 'limit' });
  });

  it('shows the caller\'s own usage by operation and outcome, exactly (after a flush)', async () => {
    expect((await manage('POST', 'usage/flush')).status).toBe(200);
    const from = new Date(startedAt).toISOString();
    const usage = await me(`/usage?from=${encodeURIComponent(from)}&interval=60`, keyA);
    expect(usage.status).toBe(200);
    expect(usage.json.subscriptionId).toBe(idA);
    const byOperation = Object.fromEntries((usage.json.operations as any[]).map((o) => [o.operation, { calls: o.calls, success: o.success, blocked: o.blocked, failed: o.failed, other: o.other }]));
    const ok = (calls: number) => ({ calls, success: calls, blocked: 0, failed: 0, other: 0 });
    expect(byOperation).toEqual({
      'rrs.execute': ok(4),
      'me.read': ok(meReadsA.length),
      'me.jobs': { calls: 2, success: 1, blocked: 0, failed: 1, other: 0 },
      'bes.upload': ok(1),
      'bes.submit': ok(1),
    });
    expect(usage.json.totals.calls).toBe(4 + meReadsA.length + 2 + 2);
    const seriesCalls = (usage.json.series as { calls: number }[]).reduce((n, p) => n + p.calls, 0);
    expect(seriesCalls).toBe(usage.json.totals.calls);
    const rrsSeries = (usage.json.operations as any[]).find((o) => o.operation === 'rrs.execute').series as { calls: number }[];
    expect(rrsSeries.reduce((n, p) => n + p.calls, 0)).toBe(4);

    // The other subscription's usage holds only its own calls (one me.read, one me.jobs).
    const theirs = await me(`/usage?from=${encodeURIComponent(from)}`, keyB);
    expect(theirs.status).toBe(200);
    expect((theirs.json.operations as any[]).map((o) => [o.operation, o.calls]).sort()).toEqual([['me.jobs', 1], ['me.read', 1]]);

    // The admin's report counts these calls under their own operation names.
    const admin = (await manage('GET', `usage?from=${encodeURIComponent(from)}&groupBy=operation`)).json;
    expect(admin.groups.find((g: any) => g.key === 'me.read')?.calls).toBeGreaterThanOrEqual(meReadsA.length + 1);

    const bad = await me('/usage?interval=7&from=yesterday', keyA);
    expect(bad.status).toBe(400);
    expect((bad.json.error.details as { target: string }[]).map((d) => d.target).sort()).toEqual(['from', 'interval']);
  });

  it('regenerates the caller\'s own key once: the new key works, the old one gets 401', async () => {
    const bad = await me('/regenerate?key=tertiary', keyA, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].target).toBe('key');

    const regenerated = await me('/regenerate?key=primary', keyA, { method: 'POST' });
    expect(regenerated.status).toBe(200);
    expect(regenerated.json).toMatchObject({ id: idA, state: 'active' });
    expect(regenerated.json.secondaryKey).toBeUndefined();
    const newKey = regenerated.json.primaryKey as string;
    expect(newKey).toMatch(/\S{20,}/);
    expect(newKey).not.toBe(keyA);

    expect((await me('', keyA)).status).toBe(401);
    expect(await score(keyA)).toBe(401);
    const withNew = await me('', newKey);
    expect(withNew.status).toBe(200);
    expect(withNew.json.subscription.id).toBe(idA);
    // B is untouched.
    expect((await me('', keyB)).status).toBe(200);
    // The change is in the audit log, by the subscriber.
    const audit = (await manage('GET', 'audit?limit=20')).json as any[];
    expect(audit.find((e) => e.target === `subscriptions/${idA}` && e.operation === 'subscription.regenerateKey')).toMatchObject({ actor: `subscription:${idA}`, outcome: 'success' });
    keyA = newKey;
  });

  it('answers GET …/me for a suspended subscription, and 403 for everything else, as the data plane does', async () => {
    expect((await manage('PATCH', `subscriptions/${idB}`, { state: 'suspended' })).status).toBe(200);
    const read = await me('', keyB);
    expect(read.status).toBe(200);
    expect(read.json.subscription.state).toBe('suspended');
    for (const [path, method] of [['/usage', 'GET'], ['/jobs', 'GET'], ['/regenerate?key=secondary', 'POST']] as const) {
      const refused = await me(path, keyB, { method });
      expect(refused.status, path).toBe(403);
      expect(refused.json.error.details[0].code).toBe('SubscriptionNotActive');
    }
    expect(await score(keyB)).toBe(403);

    expect((await manage('PATCH', `subscriptions/${idB}`, { state: 'cancelled' })).status).toBe(200);
    const cancelled = await me('', keyB);
    expect(cancelled.status).toBe(403);
    expect(cancelled.json.error.details[0].code).toBe('SubscriptionNotActive');
    expect((await me('/regenerate?key=primary', keyB, { method: 'POST' })).status).toBe(403);
  });

  it('refuses an expired subscription with 403 SubscriptionExpired, GET …/me included', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const c = (await manage('POST', 'subscriptions', { name: 'self-c', productId: 'self-serve', expiresAt: soon })).json;
    expect((await me('', c.primaryKey)).status).toBe(200);
    await sleep(Date.parse(soon) - Date.now() + 100);
    const expired = await me('', c.primaryKey);
    expect(expired.status).toBe(403);
    expect(expired.json.error.details[0].code).toBe('SubscriptionExpired');
  });
});
