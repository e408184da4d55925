// The third round of attacks, on the analytics and the subscriber's own API (real stack, real HTTP): a subscriber
// trying to reach another subscription's calls, usage, jobs or services through any parameter, header, path or key;
// keys (header, query, Bearer, wrong ones, the admin key) looked for in the request log, the answers and every log
// line; every new query parameter fed bad values (400 naming it, never 500); the subscriber's OpenAPI view searched
// for the management API; a burst of 2,000 calls, after which the request log stays bounded and fast; and the code
// samples generated for hostile example values and column names run as pasted, sending exactly that body.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeSamples, type SampleLanguage } from '../../src/lib/pages/code-samples.js';
import { describeService } from '../../src/lib/pages/service-description.js';
import { DEMO_BODY, manageApi } from './helpers/calls.js';
import { csvOf, jobsApi, sampleTexts } from './helpers/bes.js';
import { allLogs, useStack } from './helpers/stack.js';
import { runSample, sampleToolsMissing } from './helpers/sample-tools.js';

// Usage and the request log are written when asked (GET /manage/usage… flushes first), so every call is findable.
const stack = useStack({ facadeEnv: { USAGE_FLUSH_SECONDS: '3600', AUTH_FAILURE_LIMIT: '100000' } });
const manage = manageApi(stack);

interface Reply { status: number; text: string; json: any; headers: Record<string, string | string[] | undefined> }

async function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await request(url, { headers });
  const text = await res.body.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, text, json, headers: res.headers };
}

const me = (path: string, headers: Record<string, string>) => get(`${stack().facadeUrl}/workspaces/me${path}`, headers);
const keyed = (key: string) => ({ 'ocp-apim-subscription-key': key });
const admin = () => ({ 'x-admin-key': stack().adminKey });

interface Sub { id: string; key: string; secondary: string }
const subs: Record<string, Sub> = {};
/** Every subscription key this file made or sent, and the wrong ones: none may appear where it was not issued. */
const secrets: string[] = [];
const wrongKey = 'wrong-' + 'k'.repeat(40);
const wrongQueryKey = 'wrongq-' + 'q'.repeat(40);
const wrongBearer = 'wrongb-' + 'b'.repeat(40);
/** The request ids of B's calls: A must never see one. */
const bCalls: string[] = [];
let bJob = '';

async function subscription(name: string, expiresAt?: string): Promise<Sub> {
  const created = await manage('POST', 'subscriptions', { name, productId: 'unlimited', ...(expiresAt ? { expiresAt } : {}) });
  expect(created.status, name).toBe(201);
  secrets.push(created.json.primaryKey, created.json.secondaryKey);
  return { id: created.json.id, key: created.json.primaryKey, secondary: created.json.secondaryKey };
}

async function score(key: string): Promise<string> {
  const { workspace, service } = stack().demo;
  const res = await request(`${stack().facadeUrl}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key }, body: DEMO_BODY,
  });
  await res.body.dump();
  expect(res.statusCode).toBe(200);
  return res.headers['x-ms-request-id'] as string;
}

beforeAll(async () => {
  subs.a = await subscription('round3-a');
  subs.b = await subscription('round3-b');
  subs.suspended = await subscription('round3-suspended');
  subs.cancelled = await subscription('round3-cancelled');
  subs.expired = await subscription('round3-expired', new Date(Date.now() + 2_500).toISOString());
  secrets.push(stack().adminKey, wrongKey, wrongQueryKey, wrongBearer);
  expect((await manage('PATCH', `subscriptions/${subs.suspended.id}`, { state: 'suspended' })).status).toBe(200);
  expect((await manage('PATCH', `subscriptions/${subs.cancelled.id}`, { state: 'cancelled' })).status).toBe(200);
  // B's calls and a batch job of B's: what A goes looking for.
  bCalls.push(await score(subs.b.key), await score(subs.b.key));
  const api = jobsApi(stack, () => subs.b!.key);
  const input = (await api.upload(csvOf(sampleTexts(2)))).json.RelativeLocation;
  const submitted = await api.submit({ Inputs: { input1: { RelativeLocation: input } } });
  expect(submitted.status).toBe(200);
  bJob = submitted.json as string;
  await score(subs.a.key);
  // Wait out the expiry (AUTH_CACHE_SECONDS is 1 by default).
  const left = Date.parse((await manage('GET', `subscriptions/${subs.expired.id}`)).json.expiresAt) - Date.now();
  await new Promise((r) => setTimeout(r, Math.max(0, left) + 1_200));
  expect((await manage('POST', 'usage/flush')).status).toBe(200);
}, 60_000);

describe('a subscriber reaching for another subscription', () => {
  it('sees only their own calls, usage and jobs whatever the query, headers or second key say', async () => {
    const a = subs.a!;
    const b = subs.b!;
    const tricks: [string, Record<string, string>][] = [
      [`?subscription=${b.id}`, {}],
      [`?subscriptionId=${b.id}`, {}],
      [`?SUBSCRIPTION=${b.id}&limit=500`, {}],
      [`?subscription-key=${encodeURIComponent(b.key)}`, {}], // a second key, in the query, beside A's header
      ['', { authorization: `Bearer ${b.key}` }], // and one as Bearer
      ['', { 'x-subscription-id': b.id, 'x-ms-client-principal-id': b.id, 'x-admin-key': stack().adminKey }],
    ];
    for (const [query, headers] of tricks) {
      for (const what of ['/calls', '/usage', '/jobs', '']) {
        const answer = await me(`${what}${query}`, { ...keyed(a.key), ...headers });
        const label = `${what}${query} ${Object.keys(headers).join(',')}`;
        // Whichever key the gateway took, one subscription's data only, and never B's with A's header.
        expect([200, 400], label).toContain(answer.status);
        if (answer.status !== 200) continue;
        for (const id of [...bCalls, bJob, b.id]) expect(answer.text, label).not.toContain(id);
      }
    }
    const calls = await me('/calls?limit=500', keyed(a.key));
    expect(calls.json.calls.length).toBeGreaterThan(0);
    expect(calls.json.calls.every((c: any) => c.subscriptionId === a.id)).toBe(true);
    expect((await me('/jobs', keyed(b.key))).json.map((j: any) => j.id)).toContain(bJob);
  });

  it('gets nothing through path tricks: case, trailing slashes, encoded slashes, dot segments, a workspace named "me"', async () => {
    const base = stack().facadeUrl;
    const paths = [
      '/workspaces/ME/calls', '/workspaces/Me/jobs', '/workspaces/me/calls/', '/workspaces/me/calls/..',
      '/workspaces/me%2Fcalls', '/workspaces/me/%63alls', '/workspaces//me/calls', '/workspaces/me/./calls',
      `/workspaces/me/calls/${subs.b!.id}`, `/workspaces/me/jobs/${bJob}`, `/workspaces/${subs.b!.id}/calls`,
      '/workspaces/me/services/x/jobs', '/manage/../workspaces/me/calls',
    ];
    for (const p of paths) {
      const answer = await get(`${base}${p}?limit=500`, keyed(subs.a!.key));
      expect(answer.status, p).toBeLessThan(500);
      for (const id of [...bCalls, bJob, subs.b!.id]) expect(answer.text, p).not.toContain(id);
    }
  });

  it('refuses the admin key and no key on every /workspaces/me operation (401), wherever the admin key is put', async () => {
    for (const what of ['', '/calls', '/usage', '/jobs', '/services']) {
      for (const headers of [admin(), keyed(stack().adminKey), { authorization: `Bearer ${stack().adminKey}` }, {}]) {
        const answer = await me(what, headers);
        expect(answer.status, `${what} ${Object.keys(headers)}`).toBe(401);
        expect(answer.text).not.toContain(stack().adminKey);
      }
      const inQuery = await get(`${stack().facadeUrl}/workspaces/me${what}?subscription-key=${encodeURIComponent(stack().adminKey)}`);
      expect(inQuery.status, what).toBe(401);
    }
    expect((await me('/regenerate?key=primary', admin())).status).toBe(404); // a GET: no such operation (POST only)
  });

  it('answers a suspended key on /workspaces/me only, a cancelled or expired key on nothing (403)', async () => {
    const reads = ['/calls', '/usage', '/jobs', '/services'];
    const suspended = subs.suspended!.key;
    expect((await me('', keyed(suspended))).status).toBe(200);
    for (const what of reads) {
      const answer = await me(what, keyed(suspended));
      expect(answer.status, `suspended ${what}`).toBe(403);
      expect(answer.json.error.details[0].code).toBe('SubscriptionNotActive');
    }
    for (const [name, code] of [['cancelled', 'SubscriptionNotActive'], ['expired', 'SubscriptionExpired']] as const) {
      for (const what of ['', ...reads]) {
        const answer = await me(what, keyed(subs[name]!.key));
        expect(answer.status, `${name} ${what}`).toBe(403);
        expect(answer.json.error.details[0].code, `${name} ${what}`).toBe(code);
      }
    }
  });

  it('gets 401 from every analytics operation of the management API with a subscription key, wherever it is put', async () => {
    for (const what of ['usage', 'usage/quotas', 'usage/calls', 'usage/jobs', 'dashboard/../usage']) {
      for (const headers of [keyed(subs.a!.key), { 'x-admin-key': subs.a!.key }, { authorization: `Bearer ${subs.a!.key}` }]) {
        const answer = await get(`${stack().facadeUrl}/manage/${what}?subscription-key=${subs.a!.key}`, headers);
        expect(answer.status, `${what} ${Object.keys(headers)}`).toBe(401);
        expect(answer.text).not.toContain(subs.b!.id);
      }
    }
  });
});

describe('keys in the request log, the answers and the logs', () => {
  it('never writes a key sent in the query, as Bearer or wrong, anywhere', async () => {
    const a = subs.a!;
    const base = `${stack().facadeUrl}/workspaces/me`;
    const sent: Reply[] = [
      await get(`${base}/calls?subscription-key=${encodeURIComponent(a.secondary)}`),
      await get(`${base}/services?subscription-key=${encodeURIComponent(a.secondary)}&api-version=2.0`),
      await get(`${base}/usage`, { authorization: `Bearer ${a.secondary}` }),
      await get(`${base}/calls?subscription-key=${wrongQueryKey}`),
      await get(`${base}/jobs`, { authorization: `Bearer ${wrongBearer}` }),
      await get(`${base}`, keyed(wrongKey)),
      await get(`${base}/calls`, { authorization: wrongKey }), // no scheme: "has no scheme", nothing echoed
      await get(`${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/${stack().demo.service}/execute?api-version=2.0&subscription-key=${wrongQueryKey}`),
    ];
    expect(sent.map((r) => r.status)).toEqual([200, 200, 200, 401, 401, 401, 401, 404]); // a GET on execute: no such operation
    for (const reply of sent.slice(3)) for (const key of secrets) expect(reply.text).not.toContain(key);
    const log = await manage('GET', 'usage/calls?limit=500');
    expect(log.status).toBe(200);
    const text = JSON.stringify(log.json);
    expect(log.json.calls.filter((c: any) => c.status === 401).length).toBeGreaterThanOrEqual(4);
    const jobs = JSON.stringify((await manage('GET', 'usage/jobs?limit=500')).json);
    const quotas = JSON.stringify((await manage('GET', 'usage/quotas')).json);
    const logs = allLogs(stack());
    for (const key of secrets) {
      expect(text.includes(key), 'request log').toBe(false);
      expect(jobs.includes(key), 'jobs').toBe(false);
      expect(quotas.includes(key), 'quotas').toBe(false);
      expect(logs.includes(key), 'process logs').toBe(false);
      expect(logs.includes(encodeURIComponent(key)), 'process logs (encoded)').toBe(false);
    }
    expect(text).not.toMatch(/sig=|AccountKey|SharedAccessSignature/i);
    expect(jobs).not.toMatch(/sig=|AccountKey|SharedAccessSignature/i);
  });
});

describe('bad query values', () => {
  const huge = 'x'.repeat(8_000);
  const cases: [string, string][] = [
    // /manage/usage
    ['manage/usage?status=99', 'status'], ['manage/usage?status=600', 'status'], ['manage/usage?status=1e3', 'status'],
    ['manage/usage?status=', 'status'], ['manage/usage?status=%EF%BC%92%EF%BC%90%EF%BC%90', 'status'], ['manage/usage?status=2000', 'status'],
    ['manage/usage?status=-200', 'status'], ['manage/usage?status=%20200', 'status'], ['manage/usage?status=abc&status=200', 'status'],
    [`manage/usage?subscription=${huge}`, 'subscription'], ['manage/usage?subscription=', 'subscription'], [`manage/usage?service=${huge}`, 'service'],
    ['manage/usage?outcome=Success', 'outcome'], ['manage/usage?outcome=', 'outcome'], ['manage/usage?groupBy=key', 'groupBy'],
    ['manage/usage?groupBy=__proto__', 'groupBy'], ['manage/usage?interval=7', 'interval'], ['manage/usage?interval=', 'interval'],
    ['manage/usage?from=yesterday', 'from'], ['manage/usage?to=2025-02-30T00:00:00Z', 'to'], ['manage/usage?from=%E2%80%8B', 'from'],
    ['manage/usage?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', 'from'], ['manage/usage?from=2025-01-01T00:00:00Z&to=2025-01-01T00:00:00Z', 'from'],
    ['manage/usage?from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z', 'from'], ['manage/usage?from=2025-01-01T00:00:00Z&to=2025-01-20T00:00:00Z&interval=1', 'interval'],
    // /manage/usage/calls
    ['manage/usage/calls?limit=0', 'limit'], ['manage/usage/calls?limit=501', 'limit'], ['manage/usage/calls?limit=abc', 'limit'],
    ['manage/usage/calls?limit=', 'limit'], ['manage/usage/calls?limit=1.5', 'limit'], ['manage/usage/calls?limit=-1', 'limit'],
    ['manage/usage/calls?limit=1e400', 'limit'], [`manage/usage/calls?limit=${'9'.repeat(400)}`, 'limit'],
    // Decimal digits only: Number() would read these as 16, 1 and 100.
    ['manage/usage/calls?limit=0x10', 'limit'], ['manage/usage/calls?limit=%201%20', 'limit'], ['manage/usage/jobs?limit=1e2', 'limit'],
    ['workspaces/me/jobs?limit=0x10', 'limit'], ['manage/audit?limit=0x10', 'limit'],
    ['manage/usage/calls?errorsOnly=maybe', 'errorsOnly'], ['manage/usage/calls?errorsOnly=', 'errorsOnly'], ['manage/usage/calls?errorsOnly=1', 'errorsOnly'],
    ['manage/usage/calls?status=600', 'status'], ['manage/usage/calls?status=1e3', 'status'], [`manage/usage/calls?operation=${huge}`, 'operation'],
    ['manage/usage/calls?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', 'from'], ['manage/usage/calls?to=%F0%9F%92%A5', 'to'],
    // /manage/usage/jobs
    ['manage/usage/jobs?limit=0', 'limit'], ['manage/usage/jobs?limit=501', 'limit'], ['manage/usage/jobs?limit=abc', 'limit'], ['manage/usage/jobs?limit=', 'limit'],
    // the subscriber's own
    ['workspaces/me/calls?limit=0', 'limit'], ['workspaces/me/calls?limit=501', 'limit'], ['workspaces/me/calls?limit=abc', 'limit'],
    ['workspaces/me/calls?errorsOnly=maybe', 'errorsOnly'], ['workspaces/me/calls?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z', 'from'],
    [`workspaces/me/calls?from=${huge}`, 'from'], ['workspaces/me/usage?interval=2', 'interval'], ['workspaces/me/usage?from=tomorrow', 'from'],
    ['workspaces/me/usage?from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z', 'from'], ['workspaces/me/jobs?limit=0', 'limit'],
    ['workspaces/me/jobs?limit=%E2%91%A0', 'limit'], ['workspaces/me/services?limit=5', 'limit'], ['workspaces/me/services?%E2%98%83=1', '☃'],
    // A parameter an operation does not take is refused, naming it: a hoped-for filter is told, never ignored.
    ['workspaces/me/calls?subscription=x', 'subscription'], ['workspaces/me/usage?groupBy=subscription', 'groupBy'],
    ['workspaces/me/jobs?service=x', 'service'], ['workspaces/me?verbose=1', 'verbose'],
  ];

  it('answers each with 400 in the classic shape naming the parameter, never 500', async () => {
    const failures: string[] = [];
    for (const [pathAndQuery, target] of cases) {
      const headers = pathAndQuery.startsWith('manage/') ? admin() : keyed(subs.a!.key);
      const answer = await get(`${stack().facadeUrl}/${pathAndQuery}`, headers);
      const label = pathAndQuery.slice(0, 120);
      if (answer.status !== 400) {
        failures.push(`${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
        continue;
      }
      expect(answer.json.error.code, label).toBe('BadArgument');
      expect(answer.json.error.details[0], label).toMatchObject({ code: 'InvalidQueryParameter', target });
      expect(answer.text.length, label).toBeLessThan(4_000); // a huge value is not echoed back whole
    }
    expect(failures).toEqual([]);
  });

  it('takes quotes, OData syntax and odd characters in filters as plain values (200, nothing matched), never 500', async () => {
    const odd = ["' or 'a' eq 'a", "x' or PartitionKey ne '", '%00', '\\', '"', '<script>', '(none)', 'anonymous', '\u{1F4A5}', 'a\u202eb'];
    for (const value of odd) {
      for (const what of ['usage', 'usage/calls']) {
        for (const filter of ['subscription', 'service', 'operation', 'product', 'backend']) {
          const answer = await get(`${stack().facadeUrl}/manage/${what}?${filter}=${encodeURIComponent(value)}`, admin());
          const label = `${what} ${filter}=${JSON.stringify(value)}`;
          expect(answer.status, label).toBe(200);
          if (what === 'usage/calls' && !['(none)', 'anonymous'].includes(value)) expect(answer.json.calls, label).toEqual([]);
        }
      }
    }
  });

  it('keeps the first of a repeated parameter, as the classic service did', async () => {
    const one = await manage('GET', 'usage/calls?limit=1&limit=abc');
    expect(one.status).toBe(200);
    expect(one.json.calls.length).toBeLessThanOrEqual(1);
    const status = await manage('GET', 'usage?status=200&status=abc');
    expect(status.json.filters).toEqual({ status: 200 });
  });
});

describe('the subscriber\'s OpenAPI view', () => {
  it('documents no management path, no admin-key scheme, and refuses an unknown audience', async () => {
    const view = await get(`${stack().facadeUrl}/openapi.json?audience=subscriber`);
    expect(view.status).toBe(200);
    expect(Object.keys(view.json.paths).filter((p) => !p.startsWith('/workspaces/'))).toEqual([]);
    expect(view.text).not.toMatch(/\/manage|x-admin-key|adminKey|admin key|requestlog|dashboard/i);
    const schemes = JSON.stringify(view.json.components?.securitySchemes ?? {});
    expect(schemes).not.toMatch(/admin/i);
    expect(Object.keys(view.json.paths)).toContain('/workspaces/me/calls');
    for (const audience of ['SUBSCRIBER', 'subscriber%00', 'admin', '']) {
      const other = await get(`${stack().facadeUrl}/openapi.json?audience=${audience}`);
      // Either refused naming the parameter, or (absent-like) the full document: never a 500.
      if (other.status === 400) expect(other.json.error.details[0].target).toBe('audience');
      else expect(other.status, audience).toBe(200);
    }
    // A repeated parameter keeps its first value: the subscriber's view stays the subscriber's.
    const repeated = await get(`${stack().facadeUrl}/openapi.json?audience=subscriber&audience=all`);
    expect(Object.keys(repeated.json.paths).some((p) => p.startsWith('/manage'))).toBe(false);
  });
});

describe('a burst of 2,000 calls', () => {
  it('leaves the request log bounded (≤ 500 answered) and the log queries fast; usage counts every call', async () => {
    const before = (await manage('GET', 'usage?operation=me.read')).json.totals.calls;
    const pool = new Pool(stack().facadeUrl, { connections: 32 });
    const started = performance.now();
    let next = 0;
    const statuses: Record<number, number> = {};
    const worker = async () => {
      while (next < 2_000) {
        const i = next++;
        const res = await pool.request({ method: 'GET', path: '/workspaces/me', headers: keyed(i % 2 === 0 ? subs.a!.key : wrongKey) });
        await res.body.dump();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    await pool.close();
    const burstMs = performance.now() - started;
    expect(statuses).toEqual({ 200: 1_000, 401: 1_000 });

    const t0 = performance.now();
    const log = await manage('GET', 'usage/calls?limit=500');
    const t1 = performance.now();
    expect(log.status).toBe(200);
    expect(log.json.calls.length).toBeLessThanOrEqual(500);
    expect(log.json.calls.length).toBeGreaterThan(100);
    expect(t1 - t0).toBeLessThan(5_000);
    const byDefault = await manage('GET', 'usage/calls');
    expect(byDefault.json.calls.length).toBeLessThanOrEqual(100);
    const t2 = performance.now();
    const mine = await me('/calls?limit=500', keyed(subs.a!.key));
    expect(performance.now() - t2).toBeLessThan(5_000);
    expect(mine.json.calls.length).toBeLessThanOrEqual(500);
    expect(mine.json.calls.every((c: any) => c.subscriptionId === subs.a!.id)).toBe(true);
    const after = (await manage('GET', 'usage?operation=me.read')).json.totals.calls;
    expect(after - before).toBeGreaterThanOrEqual(2_000); // usage counts every call, logged or not
    console.log(`[hostile-round3] burst of 2000 in ${Math.round(burstMs)} ms; request log read in ${Math.round(t1 - t0)} ms`);
  }, 60_000);
});

describe('code samples for hostile example values and column names', () => {
  let missing = new Map<SampleLanguage, string>();
  const HOSTILE = [
    'quote " apostrophe \' backslash \\ dollar $HOME ${x} `id` %s {0} #x',
    'line\nbreak\r\ttab \u0000 nul \u007f \u0085 \u2028 \u2029 end',
    '\\u0041 \\n literal escapes \\" \\\\',
    "'; rm -rf / #",
    '"""triple""" @"verbatim"" \')',
    '</script><img src=x onerror=alert(1)>',
  ];
  const columns = ['Col"2', "it's", 'back\\slash', 'new\nline', '$(id)', '`x`'];
  const BODY = {
    Inputs: { input1: HOSTILE.map((v, i) => ({ [columns[i]!]: v, plain: i })) },
    GlobalParameters: { 'p"1\\': '${HOME}', "q'": 1.5 },
  };
  let received: { body: string; key: string | undefined }[] = [];
  let server: http.Server;
  let url = '';
  const work = mkdtempSync(path.join(tmpdir(), 'ml-facade-round3-'));

  beforeAll(async () => {
    missing = await sampleToolsMissing('hostile-round3');
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), key: req.headers['ocp-apim-subscription-key'] as string | undefined });
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/workspaces/w/services/s/execute?api-version=2.0&format=swagger`;
  });
  afterAll(() => {
    server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('the service document carries such values (the catalogue accepts them) and the page\'s description reads them back', async () => {
    const { workspace } = stack().demo;
    const entry = (await manage('GET', `catalogue/${workspace}/${stack().demo.service}`)).json;
    const schema = {
      title: '<img src=x onerror=alert(1)>', description: 'desc "quoted" \\ $x `y`',
      inputs: { input1: { columns: Object.fromEntries(columns.map((c, i) => [c, { type: 'string', example: HOSTILE[i] }])) } },
    };
    // A backend that publishes no document of its own (nothing listens there): the catalogue's schema is the document's.
    const put = await manage('PUT', `catalogue/${workspace}/round3-samples`, { backend: { ...entry.backend, baseUrl: 'http://127.0.0.1:9' }, schema });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const doc = await get(`${stack().facadeUrl}/workspaces/${workspace}/services/round3-samples/swagger.json`);
    expect(doc.status).toBe(200);
    const described = describeService(doc.json, stack().facadeUrl);
    const row = (described.body as any).Inputs.input1[0];
    for (let i = 0; i < columns.length; i++) expect(row[columns[i]!]).toBe(HOSTILE[i]);
  });

  for (const language of ['curl', 'python', 'javascript', 'r', 'csharp'] as const) {
    it(`${language}: sends exactly the body and the key`, async (context) => {
      if (missing.has(language)) return context.skip();
      const key = subs.a!.key;
      const sample = codeSamples({ service: 'w/s', url, keyHeader: 'Ocp-Apim-Subscription-Key', key, body: BODY }).find((s) => s.language === language)!;
      received = [];
      const printed = await runSample(sample, work, 50_000);
      expect(JSON.parse(printed)).toEqual({ ok: true });
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0]!.body)).toEqual(BODY);
      expect(received[0]!.key).toBe(key);
    }, 60_000);
  }
});

