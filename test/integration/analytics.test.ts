// The owner's analytics end to end (real stack, real HTTP): calls with known outcomes on two services and several
// subscriptions — 200s, a 400 (bad input), a 401 (wrong key), a 403 (suspended), a 429 (rate limit) — add up exactly
// in GET /manage/usage under every filter and by status and service, with timing; quotas read the live windows; the
// request log lists every call by the request id its caller got, with its error code and never a key; a subscriber
// sees only their own calls; bad filters are 400 naming the parameter.
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { DEMO_BODY, manageApi } from './helpers/calls.js';

// Usage and the request log are flushed only when asked (GET /manage/usage and /manage/usage/calls flush first).
const stack = useStack({ facadeEnv: { USAGE_FLUSH_SECONDS: '3600', AUTH_FAILURE_LIMIT: '1000' } });
const manage = manageApi(stack);

interface Made { requestId: string; sub: string; service: string; status: number; errorCode: string | null }
const made: Made[] = [];
const keys: string[] = [];
const subs: Record<string, { id: string; key: string }> = {};

async function score(who: string, key: string, service: string, expected: number, body = DEMO_BODY) {
  const { workspace } = stack().demo;
  const res = await request(`${stack().facadeUrl}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key }, body,
  });
  const json = (await res.body.json()) as { error?: { details: { code: string }[] } };
  expect(res.statusCode, `${who} on ${service}`).toBe(expected);
  // A refused call counts under no service: it never reached one (the 400 did: the body is checked after routing).
  const counted = expected <= 400 ? `${workspace}/${service}` : '(none)';
  made.push({ requestId: res.headers['x-ms-request-id'] as string, sub: who, service: counted, status: expected, errorCode: json.error?.details[0]?.code ?? null });
}

async function me(path: string, key: string) {
  const res = await request(`${stack().facadeUrl}/workspaces/me${path}`, { headers: { 'ocp-apim-subscription-key': key } });
  const text = await res.body.text();
  return { status: res.statusCode, text, json: JSON.parse(text) as any };
}

const count = (pick: (m: Made) => boolean) => made.filter(pick).length;
const tally = (key: (m: Made) => string) => Object.fromEntries([...new Set(made.map(key))].map((k) => [k, count((m) => key(m) === k)]));

describe('the owner\'s analytics', () => {
  let one = '';
  let two = '';

  it('makes calls with known outcomes on two services and four subscriptions', async () => {
    const { workspace, service } = stack().demo;
    [one, two] = [service, `${service}-copy`];
    const entry = (await manage('GET', `catalogue/${workspace}/${one}`)).json;
    expect((await manage('PUT', `catalogue/${workspace}/${two}`, { backend: entry.backend })).status).toBe(200);
    expect((await manage('PUT', 'products/an-quota', { name: 'Quota 100', quota: { calls: 100, renewalPeriod: 86400 } })).status).toBe(201);
    expect((await manage('PUT', 'products/an-tight', { name: 'Two an hour', rateLimit: { calls: 2, renewalPeriod: 3600 } })).status).toBe(201);
    for (const [name, productId] of [['a', 'an-quota'], ['b', 'an-tight'], ['c', 'unlimited'], ['d', 'an-quota']] as const) {
      const created = (await manage('POST', 'subscriptions', { name: `analytics-${name}`, productId })).json;
      subs[name] = { id: created.id, key: created.primaryKey };
      keys.push(created.primaryKey, created.secondaryKey);
    }
    expect((await manage('PATCH', `subscriptions/${subs.c!.id}`, { state: 'suspended' })).status).toBe(200);
    expect((await manage('PATCH', `subscriptions/${subs.d!.id}`, { state: 'cancelled' })).status).toBe(200);
    const left = 3600_000 - (Date.now() % 3600_000);
    if (left < 20_000) await new Promise((r) => setTimeout(r, left + 100)); // keep B's two-an-hour window whole

    await score('a', subs.a!.key, one, 200);
    await score('a', subs.a!.key, one, 200);
    await score('a', subs.a!.key, two, 200);
    await score('a', subs.a!.key, one, 400, '{"Inputs": 5}');
    await score('b', subs.b!.key, two, 200);
    await score('b', subs.b!.key, two, 200);
    await score('b', subs.b!.key, two, 429);
    await score('anonymous', 'not-a-key-' + 'x'.repeat(33), one, 401);
    await score('c', subs.c!.key, one, 403);
    expect(made.find((m) => m.status === 429)!.errorCode).toBe('RateLimitExceeded');
  });

  it('adds them up exactly under every filter, by status and by service, with 401/403/429 counted', async () => {
    const idOf = (who: string) => (who === 'anonymous' ? 'anonymous' : subs[who]!.id);
    const all = (await manage('GET', 'usage')).json;
    expect(all.filters).toEqual({});
    expect(all.totals).toMatchObject({ calls: 9, success: 5, blocked: 3, failed: 1, other: 0, unauthorized: 1, forbidden: 1, throttled: 1 });

    const byStatus = (await manage('GET', 'usage?groupBy=status')).json;
    expect(Object.fromEntries(byStatus.groups.map((g: any) => [g.key, g.calls]))).toEqual(tally((m) => String(m.status)));
    const byService = (await manage('GET', 'usage?groupBy=service')).json;
    expect(Object.fromEntries(byService.groups.map((g: any) => [g.key, g.calls]))).toEqual(tally((m) => m.service));
    expect(byService.groups.find((g: any) => g.key === '(none)')).toMatchObject({ calls: 3, unauthorized: 1, forbidden: 1, throttled: 1 });

    const filtered = async (query: string) => (await manage('GET', `usage?${query}`)).json;
    const ws = stack().demo.workspace;
    const cases: [string, number][] = [
      [`subscription=${idOf('a')}`, count((m) => m.sub === 'a')],
      ['product=an-tight', count((m) => m.sub === 'b')],
      ['operation=rrs.execute', 9],
      [`service=${encodeURIComponent(`${ws}/${one}`)}`, count((m) => m.service === `${ws}/${one}`)],
      ['backend=classic', 6],
      ['backend=(none)', 3],
      ['status=429', 1],
      ['outcome=blocked', 3],
      [`subscription=${idOf('b')}&status=200`, 2],
    ];
    for (const [query, calls] of cases) {
      const report = await filtered(query);
      expect(report.totals.calls, query).toBe(calls);
      expect(Object.keys(report.filters).length, query).toBe(query.split('&').length);
    }
    expect((await filtered('status=429')).filters).toEqual({ status: 429 });
    expect((await filtered('status=429')).totals).toMatchObject({ blocked: 1, throttled: 1 });
  });

  it('times the calls: means, the facade\'s own time and the backend\'s, consistent with their sums', async () => {
    const { totals, groups, series } = (await manage('GET', 'usage?groupBy=service&interval=60')).json;
    const t = totals.timing;
    expect(t.backendCalls).toBe(5); // the 200s waited for the backend; the refusals never reached it
    expect(t.latencyMsSum).toBeGreaterThanOrEqual(t.backendMsSum);
    expect(t.backendMsSum).toBeGreaterThan(0);
    expect(Math.abs(t.meanMs - t.latencyMsSum / 9)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(t.gatewayMeanMs - (t.latencyMsSum - t.backendMsSum) / 9)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(t.backendMeanMs - t.backendMsSum / 5)).toBeLessThanOrEqual(0.01);
    expect(groups.find((g: any) => g.key === '(none)').timing).toMatchObject({ backendCalls: 0, backendMeanMs: null, backendMsSum: 0 });
    const point = series.find((p: any) => p.calls > 0);
    expect(point).toMatchObject({ unauthorized: 1, forbidden: 1, throttled: 1 });
    expect(typeof point.meanMs).toBe('number');
    expect(typeof point.gatewayMeanMs).toBe('number');
  });

  it('lists every subscription\'s current windows, read without spending a call', async () => {
    const read = async () => (await manage('GET', 'usage/quotas')).json;
    const first = await read();
    expect(Date.parse(first.at)).toBeGreaterThan(0);
    const byName = (answer: any, name: string) => answer.subscriptions.find((s: any) => s.name === `analytics-${name}`);
    const a = byName(first, 'a');
    expect(a).toMatchObject({ id: subs.a!.id, productId: 'an-quota', productName: 'Quota 100', state: 'active', rate: null });
    expect(a.quota).toMatchObject({ calls: 4, limit: 100, remaining: 96, renewalPeriod: 86400, exact: true }); // the 400 was admitted
    expect(a.quota.percentUsed).toBe(Math.round((a.quota.calls / a.quota.limit) * 1000) / 10);
    expect(byName(first, 'b').rate).toMatchObject({ calls: 2, limit: 2, remaining: 0, percentUsed: 100 });
    expect(byName(first, 'c')).toMatchObject({ state: 'suspended', rate: null, quota: null });
    expect(byName(first, 'd')).toMatchObject({ state: 'cancelled', quota: { calls: 0, percentUsed: 0 } });
    expect(byName(await read(), 'a').quota.calls).toBe(4);
  });

  it('finds every call in the request log by the request id its caller got, with its status and error code, never a key', async () => {
    const answer = (await manage('GET', 'usage/calls?limit=500')).json;
    const text = JSON.stringify(answer);
    for (const key of [...keys, 'not-a-key-']) expect(text).not.toContain(key);
    const byId = new Map(answer.calls.map((c: any) => [c.requestId, c]));
    for (const m of made) {
      expect(byId.get(m.requestId), `${m.sub} ${m.status}`).toMatchObject({ status: m.status, errorCode: m.errorCode });
    }
    const times = answer.calls.map((c: any) => c.time);
    expect([...times].sort().reverse()).toEqual(times);
    const ok = byId.get(made[0]!.requestId) as any;
    expect(ok).toMatchObject({ subscriptionId: subs.a!.id, productId: 'an-quota', operation: 'rrs.execute', workspace: stack().demo.workspace, service: one, backendKind: 'classic', outcome: 'success' });
    expect(ok.backendMs).toBeGreaterThan(0);
    expect(Math.abs(ok.gatewayMs - (ok.latencyMs - ok.backendMs))).toBeLessThanOrEqual(0.02);

    const ids = async (query: string) => (await manage('GET', `usage/calls?${query}`)).json.calls.map((c: any) => c.requestId).sort();
    const expected = (pick: (m: Made) => boolean) => made.filter(pick).map((m) => m.requestId).sort();
    expect(await ids('status=429')).toEqual(expected((m) => m.status === 429));
    expect(await ids(`subscription=${subs.a!.id}`)).toEqual(expected((m) => m.sub === 'a'));
    expect(await ids('errorsOnly=true&operation=rrs.execute')).toEqual(expected((m) => m.status >= 400));
    expect(await ids(`service=${encodeURIComponent(`${stack().demo.workspace}/${two}`)}`)).toEqual(expected((m) => m.service.endsWith(`/${two}`)));
    expect(await ids('backend=(none)&outcome=blocked')).toEqual(expected((m) => m.service === '(none)'));
    expect(await ids('limit=2')).toHaveLength(2);
  });

  it('shows a subscriber their own calls only, and refuses a query that names another subscription', async () => {
    const reaching = await me(`/calls?limit=500&subscription=${subs.b!.id}`, subs.a!.key);
    expect(reaching.status).toBe(400);
    expect(reaching.json.error.details[0].target).toBe('subscription');
    expect(reaching.text).not.toContain(made.find((x) => x.sub === 'b')!.requestId);
    const mine = await me('/calls?limit=500', subs.a!.key);
    expect(mine.status).toBe(200);
    const ids = mine.json.calls.map((c: any) => c.requestId);
    for (const m of made.filter((x) => x.sub === 'a')) expect(ids).toContain(m.requestId);
    for (const m of made.filter((x) => x.sub !== 'a')) expect(ids).not.toContain(m.requestId);
    expect(mine.json.calls.every((c: any) => c.subscriptionId === subs.a!.id)).toBe(true);
    const errors = await me('/calls?errorsOnly=true', subs.a!.key);
    expect(errors.json.calls.map((c: any) => [c.status, c.errorCode])).toEqual([[400, made.find((m) => m.status === 400)!.errorCode]]);
    expect((await me('/calls', 'not-a-key-' + 'y'.repeat(33))).status).toBe(401);
    const usage = await me('/usage', subs.a!.key);
    expect(usage.json.totals).toMatchObject({ unauthorized: 0, forbidden: 0, throttled: 0 });
  });

  it('answers a bad filter or range with 400 naming the parameter', async () => {
    const target = async (path: string) => {
      const res = await manage('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.json.error.code).toBe('BadArgument');
      return res.json.error.details[0].target;
    };
    expect(await target('usage?status=abc')).toBe('status');
    expect(await target(`usage?subscription=${'x'.repeat(201)}`)).toBe('subscription');
    expect(await target('usage/calls?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z')).toBe('from');
    expect(await target('usage/calls?limit=0')).toBe('limit');
    expect(await target('usage/calls?outcome=fine')).toBe('outcome');
    const mine = await me('/calls?errorsOnly=maybe', subs.a!.key);
    expect(mine.status).toBe(400);
    expect(mine.json.error.details[0].target).toBe('errorsOnly');
  });
});
