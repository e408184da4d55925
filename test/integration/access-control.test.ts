// Access control and throttling end to end: subscriptions and products through the management API, keys in
// all three places, 429/403 decisions, key regeneration, and exact counters across two facade processes.
import { expectClassicBody } from './helpers/classic.js';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { startFacade } from '../../src/local/stack/start-stack.js';
import type { RunningChild } from '../../src/local/stack/child.js';

const stack = useStack();
const extraFacades: RunningChild<{ url: string }>[] = [];
afterAll(async () => { await Promise.all(extraFacades.map((f) => f.stop())); });

const BODY = JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['good day']] } }, GlobalParameters: {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function manage(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, body?: unknown, adminKey: string | null = stack().adminKey) {
  const res = await request(`${stack().facadeUrl}/manage/${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(adminKey ? { 'x-admin-key': adminKey } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? (JSON.parse(text) as any) : undefined };
}

type KeyPlace = 'header' | 'query' | 'bearer';
async function score(key: string, place: KeyPlace = 'header', baseUrl = stack().facadeUrl) {
  const { workspace, service } = stack().demo;
  let url = `${baseUrl}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (place === 'header') headers['Ocp-Apim-Subscription-Key'] = key;
  if (place === 'bearer') headers.authorization = `Bearer ${key}`;
  if (place === 'query') url += `&subscription-key=${encodeURIComponent(key)}`;
  const res = await request(url, { method: 'POST', headers, body: BODY });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? (JSON.parse(text) as any) : undefined };
}

/** Fixed windows are aligned to the epoch; start a burst well inside one so it cannot straddle two. */
async function awayFromWindowEdge(periodSeconds: number, marginMs: number) {
  const left = periodSeconds * 1000 - (Date.now() % (periodSeconds * 1000));
  if (left < marginMs) await sleep(left + 50);
}

describe('management API', () => {
  it('refuses calls without the admin key or with a wrong one (401)', async () => {
    expect((await manage('GET', 'subscriptions', undefined, null)).status).toBe(401);
    expect((await manage('GET', 'subscriptions', undefined, 'wrong')).status).toBe(401);
    expect((await manage('POST', 'subscriptions', { name: 'x', productId: 'starter' }, null)).status).toBe(401);
    expect((await manage('GET', 'products', undefined, null)).json.error.code).toBe('Unauthorized');
  });

  it('has starter and unlimited out of the box, and the demo subscription on unlimited', async () => {
    const products = (await manage('GET', 'products')).json as { id: string; rateLimit: unknown; quota: unknown }[];
    expect(products.find((p) => p.id === 'starter')).toMatchObject({ rateLimit: { calls: 5, renewalPeriod: 60 }, quota: { calls: 100, renewalPeriod: 604800 } });
    expect(products.find((p) => p.id === 'unlimited')).toMatchObject({ rateLimit: null, quota: null });
    const subs = (await manage('GET', 'subscriptions')).json as { name: string; productId: string }[];
    expect(subs.find((s) => s.name === 'demo')?.productId).toBe('unlimited');
    expect(JSON.stringify(subs)).not.toMatch(/Key"/);
  });

  it('validates input: 400 naming the field', async () => {
    const bad = await manage('POST', 'subscriptions', { name: '', productId: 'starter' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].target).toBe('name');
    const noProduct = await manage('POST', 'subscriptions', { name: 'x', productId: 'no-such-product' });
    expect(noProduct.status).toBe(400);
    expect(noProduct.json.error.details[0].target).toBe('productId');
    const badLimit = await manage('PUT', 'products/p1', { name: 'P', rateLimit: { calls: -1, renewalPeriod: 10 } });
    expect(badLimit.json.error.details[0].target).toBe('rateLimit.calls');
    expect((await manage('PATCH', 'subscriptions/0123456789abcdef0123456789abcdef', { state: 'suspended' })).status).toBe(404);
  });
});

describe('a starter subscription', () => {
  it('gets five calls (key in header, query and Bearer), then 429 with a sane Retry-After', async () => {
    const created = await manage('POST', 'subscriptions', { name: 'starter-app', productId: 'starter' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: 'starter-app', productId: 'starter', state: 'active' });
    expect(created.json.primaryKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const key = created.json.primaryKey as string;
    await awayFromWindowEdge(60, 5_000);
    const places: KeyPlace[] = ['header', 'query', 'bearer', 'header', 'bearer'];
    for (const place of places) expect((await score(key, place)).status).toBe(200);
    const sixth = await score(key, 'query');
    expect(sixth.status).toBe(429);
    expectClassicBody(sixth.json, 'RateLimitExceeded');
    const retryAfter = Number(sixth.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(sixth.headers['x-ratelimit-remaining']).toBe('0');
  });
});

describe('windows and quotas through the real stack', () => {
  it('passes again after the window, and the call past the quota gets 403 saying when it renews', async () => {
    expect((await manage('PUT', 'products/fast', { name: 'Fast', rateLimit: { calls: 3, renewalPeriod: 2 }, quota: { calls: 7, renewalPeriod: 86400 } })).status).toBe(201);
    const key = (await manage('POST', 'subscriptions', { name: 'fast-app', productId: 'fast' })).json.primaryKey as string;
    await awayFromWindowEdge(2, 1_200);
    for (let i = 0; i < 3; i++) expect((await score(key)).status).toBe(200);
    const limited = await score(key);
    expect(limited.status).toBe(429);
    await sleep(Number(limited.headers['retry-after']) * 1000);
    for (let i = 0; i < 3; i++) expect((await score(key)).status).toBe(200);
    expect((await score(key)).status).toBe(429);
    await sleep(Number((await score(key)).headers['retry-after']) * 1000);
    expect((await score(key)).status).toBe(200); // the 7th admitted call uses up the quota
    const over = await score(key);
    expect(over.status).toBe(403);
    expectClassicBody(over.json, 'QuotaExceeded');
    expect(over.json.error.message).toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});

describe('subscription state and keys', () => {
  it('suspend → 403 at once, reactivate → 200; regenerate primary → old primary 401, secondary still works', async () => {
    const sub = (await manage('POST', 'subscriptions', { name: 'lifecycle', productId: 'unlimited' })).json;
    expect((await score(sub.primaryKey)).status).toBe(200);
    expect((await manage('PATCH', `subscriptions/${sub.id}`, { state: 'suspended' })).json.state).toBe('suspended');
    const suspended = await score(sub.primaryKey);
    expect(suspended.status).toBe(403);
    expectClassicBody(suspended.json, 'SubscriptionNotActive');
    expect((await manage('PATCH', `subscriptions/${sub.id}`, { state: 'active' })).status).toBe(200);
    expect((await score(sub.primaryKey)).status).toBe(200);

    const regenerated = await manage('POST', `subscriptions/${sub.id}/regenerate?key=primary`);
    expect(regenerated.status).toBe(200);
    expect(regenerated.json.primaryKey).not.toBe(sub.primaryKey);
    expect((await score(sub.primaryKey)).status).toBe(401);
    expect((await score(sub.secondaryKey, 'bearer')).status).toBe(200);
    expect((await score(regenerated.json.primaryKey, 'query')).status).toBe(200);
    expect((await manage('GET', `subscriptions/${sub.id}`)).json).not.toHaveProperty('primaryKey');

    expect((await manage('PATCH', `subscriptions/${sub.id}`, { state: 'cancelled' })).status).toBe(200);
    expect((await score(sub.secondaryKey)).status).toBe(403);
    expect((await manage('PATCH', `subscriptions/${sub.id}`, { state: 'active' })).status).toBe(400);
  });

  it('a product without RRS, or without this service, gets 403', async () => {
    await manage('PUT', 'products/bes-only', { name: 'BES only', operations: ['bes'] });
    await manage('PUT', 'products/other-service', { name: 'Other', services: ['demo-workspace/another-service'] });
    const besOnly = (await manage('POST', 'subscriptions', { name: 'b', productId: 'bes-only' })).json.primaryKey;
    const other = (await manage('POST', 'subscriptions', { name: 'o', productId: 'other-service' })).json.primaryKey;
    expectClassicBody((await score(besOnly)).json, 'OperationNotAllowed');
    expectClassicBody((await score(other)).json, 'ServiceNotAllowed');
  });
});

describe('two facade instances sharing one storage account', () => {
  it('admit exactly the limit: 40 concurrent calls against a 10-call limit → 10 pass', async () => {
    const second = await startFacade(stack().facadeEnv, 0);
    extraFacades.push(second);
    await manage('PUT', 'products/ten', { name: 'Ten', rateLimit: { calls: 10, renewalPeriod: 3600 }, quota: null });
    const key = (await manage('POST', 'subscriptions', { name: 'burst', productId: 'ten' })).json.primaryKey as string;
    await awayFromWindowEdge(3600, 30_000);
    const urls = [stack().facadeUrl, second.info.url];
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => score(key, 'header', urls[i % 2])));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  });
});
