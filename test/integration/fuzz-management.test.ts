// Property-based fuzzing of the management API (subscriptions, products, catalogue, usage) and the anonymous
// pages (/health, /openapi.json, /portal, /manage/dashboard) through real HTTP against one real stack; and the
// failed-auth limiter still answering 429 with a low limit. FUZZ_RUNS=5000 for a long run.
import { expectClassicBody } from './helpers/classic.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allLogs, useStack } from './helpers/stack.js';
import { jsonBody } from './helpers/fuzz.js';
import { budget, fuzz, pathOf, problemOf, queryOf, runs, segment, send, tally, type FuzzRequest } from './helpers/fuzz-http.js';
import { adminKeyOf, headersOf, requestOf } from './helpers/fuzz-headers.js';
import { startFacade } from '../../src/local/stack/start-stack.js';
import type { RunningChild } from '../../src/local/stack/child.js';

const stack = useStack({ facadeEnv: { AUTH_FAILURE_LIMIT: '1000000' } });
const RUNS = runs(100);
const origin = () => stack().facadeUrl;
const ids = { subscription: '' };
const extra: RunningChild<{ url: string }>[] = [];

beforeAll(async () => {
  const created = await send(origin(), {
    method: 'POST', path: '/manage/subscriptions', query: '',
    headers: { 'x-admin-key': stack().adminKey, 'content-type': 'application/json' }, body: Buffer.from('{"name":"fuzz","productId":"starter"}'),
  });
  ids.subscription = JSON.parse(created.text).id;
});

afterAll(async () => {
  await Promise.all(extra.map((f) => f.stop()));
  const seconds = ((Date.now() - tally.startedAt) / 1000).toFixed(1);
  console.log(`[fuzz management] ${tally.sent} requests in ${seconds} s; by status ${JSON.stringify(tally.byStatus)}\n${JSON.stringify(tally.byOperation, null, 1)}`);
});

function operations(): Record<string, fc.Arbitrary<FuzzRequest>> {
  const s = stack();
  const credentials = adminKeyOf(s.adminKey, s.demo.subscriptionKey);
  const json = headersOf('application/json');
  const plain = headersOf(undefined);
  const none = queryOf([]);
  const sub = segment(ids.subscription);
  const anonymous = fc.constant({ headers: {}, query: '' });
  // Catalogue entries that pass validation must point at the real backend: /health probes every one.
  const entry = { backend: { kind: 'classic', baseUrl: s.backend.url, workspace: s.backend.workspace, service: s.backend.service, apiKeySecretName: s.backend.secretName, timeoutMs: 30_000 }, products: ['starter'] };
  const product = { name: 'Fuzz', rateLimit: { calls: 10, renewalPeriod: 60 }, quota: null, operations: ['rrs', 'bes'], services: ['demo-workspace/feature-hashing'] };
  return {
    'subscriptions.create': requestOf('POST', { path: pathOf(['manage', 'subscriptions']), query: none, credentials, headers: json, body: jsonBody({ name: 'fuzz-app', productId: 'starter' }) }),
    'subscriptions.list': requestOf('GET', { path: pathOf(['manage', 'subscriptions']), query: none, credentials, headers: plain }),
    'subscriptions.get': requestOf('GET', { path: pathOf(['manage', 'subscriptions', sub]), query: none, credentials, headers: plain }),
    'subscriptions.update': requestOf('PATCH', { path: pathOf(['manage', 'subscriptions', sub]), query: none, credentials, headers: json, body: jsonBody({ state: 'suspended' }) }),
    'subscriptions.regenerate': requestOf('POST', { path: pathOf(['manage', 'subscriptions', sub, 'regenerate']), query: queryOf([['key', 'primary']]), credentials, headers: plain }),
    'products.list': requestOf('GET', { path: pathOf(['manage', 'products']), query: none, credentials, headers: plain }),
    'products.get': requestOf('GET', { path: pathOf(['manage', 'products', segment('starter')]), query: none, credentials, headers: plain }),
    'products.put': requestOf('PUT', { path: pathOf(['manage', 'products', segment('fuzz-product')]), query: none, credentials, headers: json, body: jsonBody(product) }),
    'catalogue.list': requestOf('GET', { path: pathOf(['manage', 'catalogue']), query: none, credentials, headers: plain }),
    'catalogue.get': requestOf('GET', { path: pathOf(['manage', 'catalogue', segment(s.demo.workspace), segment(s.demo.service)]), query: none, credentials, headers: plain }),
    'catalogue.put': requestOf('PUT', { path: pathOf(['manage', 'catalogue', segment('fuzz-ws'), segment('fuzz-svc')]), query: none, credentials, headers: json, body: jsonBody(entry) }),
    'usage.get': requestOf('GET', {
      path: pathOf(['manage', 'usage']), credentials, headers: plain,
      query: queryOf([['from', new Date(Date.now() - 3_600_000).toISOString()], ['to', new Date().toISOString()], ['groupBy', 'operation'], ['interval', '5']]),
    }),
    'usage.filtered': requestOf('GET', {
      path: pathOf(['manage', 'usage']), credentials, headers: plain,
      query: queryOf([['groupBy', 'status'], ['subscription', ids.subscription], ['product', 'starter'], ['operation', 'rrs.execute'],
        ['service', `${s.demo.workspace}/${s.demo.service}`], ['backend', 'classic'], ['status', '429'], ['outcome', 'blocked']]),
    }),
    'usage.quotas': requestOf('GET', { path: pathOf(['manage', 'usage', 'quotas']), query: none, credentials, headers: plain }),
    'usage.calls': requestOf('GET', {
      path: pathOf(['manage', 'usage', 'calls']), credentials, headers: plain,
      query: queryOf([['limit', '50'], ['errorsOnly', 'false'], ['status', '200'], ['subscription', ids.subscription], ['from', new Date(Date.now() - 3_600_000).toISOString()]]),
    }),
    'usage.jobs': requestOf('GET', { path: pathOf(['manage', 'usage', 'jobs']), query: queryOf([['limit', '50']]), credentials, headers: plain }),
    'usage.flush': requestOf('POST', { path: pathOf(['manage', 'usage', 'flush']), query: none, credentials, headers: plain }),
    'pages and documents': fc.oneof(
      ...[['health'], ['openapi.json'], ['portal'], ['portal', segment('portal-init.js')], ['manage', 'dashboard'], ['manage', 'dashboard', segment('dashboard.js')],
        ['portal', 'me'], ['portal', 'me', segment('my-usage-chart.js')], ['portal', 'me', 'services'], ['portal', 'me', 'batch'],
        ['portal', 'me', 'services', segment(s.demo.workspace), segment(s.demo.service)]]
        .map((parts) => requestOf('GET', { path: pathOf(parts), query: queryOf([]), credentials: anonymous, headers: plain })),
      requestOf('GET', { path: pathOf(['openapi.json']), query: queryOf([['audience', 'subscriber']]), credentials: anonymous, headers: plain }),
    ),
  };
}

const NAMES = ['subscriptions.create', 'subscriptions.list', 'subscriptions.get', 'subscriptions.update', 'subscriptions.regenerate', 'products.list', 'products.get',
  'products.put', 'catalogue.list', 'catalogue.get', 'catalogue.put', 'usage.get', 'usage.filtered', 'usage.quotas', 'usage.calls', 'usage.jobs', 'usage.flush',
  'pages and documents'];

describe('fuzzed management and page calls never get a 5xx, a reset or a hang, and every 4xx is a classic error', () => {
  it.each(NAMES)('%s', async (name) => {
    await fuzz(name, origin, operations()[name]!, RUNS);
  }, budget(RUNS));

  it('any method on any management path', async () => {
    const s = stack();
    const paths = [['manage', 'subscriptions'], ['manage', 'subscriptions', segment(ids.subscription), 'regenerate'], ['manage', 'products', 'starter'], ['manage', 'catalogue', 'a', 'b'], ['manage', 'usage'],
      ['manage', 'usage', 'calls'], ['manage', 'usage', 'quotas'], ['manage']];
    const arb = fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), fc.constantFrom(...paths)).chain(([method, parts]) =>
      requestOf(method, { path: pathOf(parts), query: queryOf([]), credentials: adminKeyOf(s.adminKey, s.demo.subscriptionKey), headers: headersOf('application/json'), body: method === 'GET' ? undefined : jsonBody({}) }));
    await fuzz('any method', origin, arb, RUNS);
  }, budget(RUNS));

  it('leaves the facade alive and healthy, with no unhandled error logged', async () => {
    expect(stack().children.find((c) => c.name === 'facade')!.process.exitCode).toBeNull();
    expect((await send(origin(), { method: 'GET', path: '/health', query: '', headers: {} }, 'health')).status).toBe(200);
    expect(allLogs(stack())).not.toMatch(/Unhandled error|Unhandled promise rejection|\(Failed|Local host failed/);
  });
});

describe('the failed-auth limiter, with a low limit', () => {
  it('answers 429 in the classic shape to further wrong keys once an address used up its failures, and still serves valid keys from it', async () => {
    const facade = await startFacade({ ...stack().facadeEnv, AUTH_FAILURE_LIMIT: '3' }, 0);
    extra.push(facade);
    const { workspace, service } = stack().demo;
    const call = (key: string) => send(facade.info.url, { method: 'GET', path: `/workspaces/${workspace}/services/${service}/jobs`, query: 'api-version=2.0', headers: { 'ocp-apim-subscription-key': key } }, 'limiter');
    for (let i = 0; i < 3; i++) expect((await call(`wrong-${i}`)).status).toBe(401);
    const refused = await call('wrong-3');
    expect(refused.status).toBe(429);
    expect(problemOf(refused)).toBeUndefined();
    expectClassicBody(JSON.parse(refused.text), 'TooManyFailedAuthentications');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Everyone behind the same address (a NAT, a proxy) with a valid key is still served.
    expect((await call(stack().demo.subscriptionKey)).status).toBe(200);
    const manage = (key: string) => send(facade.info.url, { method: 'GET', path: '/manage/products', query: '', headers: { 'x-admin-key': key } }, 'limiter');
    expect((await manage('wrong')).status).toBe(429);
    expect((await manage(stack().adminKey)).status).toBe(200);
  });
});

describe('regressions found by fuzzing', () => {
  it('a subscription name with a lone surrogate or a control character is a 400 naming the field (Azure Table refuses it)', async () => {
    for (const name of ['\\ud800', 'a\\udfffb', 'tab\\there', 'nul\\u0000']) {
      const answer = await send(origin(), {
        method: 'POST', path: '/manage/subscriptions', query: '',
        headers: { 'x-admin-key': stack().adminKey, 'content-type': 'application/json' }, body: Buffer.from(`{"name":"${name}","productId":"starter"}`),
      }, 'regression');
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error.details[0].target).toBe('name');
    }
  });

  it('a product or catalogue entry too long for one Table property is a 400 naming the field, not a 503', async () => {
    const put = (path: string, body: unknown) => send(origin(), {
      method: 'PUT', path: `/manage/${path}`, query: '', headers: { 'x-admin-key': stack().adminKey, 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(body)),
    }, 'regression');
    const backend = { kind: 'classic', baseUrl: stack().backend.url, workspace: 'w', service: 's', apiKeySecretName: 'k' };
    for (const [path, body, target] of [
      ['products/too-long', { name: 'p', services: Array(1001).fill('demo-workspace/feature-hashing') }, 'services'],
      ['products/too-long', { name: 'p', operations: Array(9000).fill('rrs') }, 'operations'],
      ['catalogue/too/long', { backend, products: ['x'.repeat(40_000)] }, 'products[0]'],
      ['catalogue/too/long', { backend: { ...backend, baseUrl: `${backend.baseUrl}/${'p'.repeat(40_000)}` } }, 'backend.baseUrl'],
    ] as const) {
      const answer = await put(path, body);
      expect({ path, status: answer.status, target: JSON.parse(answer.text).error.details?.[0]?.target }).toEqual({ path, status: 400, target });
    }
  });
});
