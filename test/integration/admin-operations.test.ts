// Day-one admin operations end to end over real HTTP: deleting a subscription (its keys stop, its usage stays),
// deleting a product (refused while used, naming the users; built-ins never), moving a subscription to another
// product (the counts carry into the new product's limits), expiry (403 SubscriptionExpired, listed "expired"),
// regenerating a cancelled subscription's key (refused), duplicate names (harmless), the audit log of all of it,
// and the message for a key sent as "Authorization: <key>" without the Bearer scheme.
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { expectClassicBody } from './helpers/classic.js';
import { useStack } from './helpers/stack.js';

const stack = useStack();

const BODY = JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['good day']] } }, GlobalParameters: {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The longest window a product may have: a burst in the test never straddles two of them (epoch-aligned). */
const LONG = 366 * 24 * 3600;

async function manage(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, adminKey: string | null = stack().adminKey) {
  const res = await request(`${stack().facadeUrl}/manage/${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(adminKey ? { 'x-admin-key': adminKey } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? (JSON.parse(text) as any) : undefined };
}

async function score(key: string, headers?: Record<string, string>) {
  const { workspace, service } = stack().demo;
  const res = await request(`${stack().facadeUrl}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(headers ?? { 'ocp-apim-subscription-key': key }) }, body: BODY,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? (JSON.parse(text) as any) : undefined };
}

async function createSubscription(name: string, productId: string, extra: Record<string, unknown> = {}) {
  const created = await manage('POST', 'subscriptions', { name, productId, ...extra });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return created.json as { id: string; name: string; primaryKey: string; secondaryKey: string; expiresAt: string | null; state: string };
}

/** Every key any test here was shown: none may appear in the audit log. */
const shownKeys: string[] = [];
const ids: Record<string, string> = {};

describe('DELETE /manage/subscriptions/{id}', () => {
  it('stops both keys at once (401), answers what it deleted, 404 after, and leaves the usage history', async () => {
    const sub = await createSubscription('to-delete', 'unlimited');
    shownKeys.push(sub.primaryKey, sub.secondaryKey);
    ids.deleted = sub.id;
    expect((await score(sub.primaryKey)).status).toBe(200);
    expect((await score(sub.secondaryKey)).status).toBe(200);

    const deleted = await manage('DELETE', `subscriptions/${sub.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ id: sub.id, name: 'to-delete', productId: 'unlimited' });
    expect(JSON.stringify(deleted.json)).not.toMatch(/Key"/);

    const refused = await score(sub.primaryKey);
    expect(refused.status).toBe(401);
    expectClassicBody(refused.json, 'ScoreRequestUnauthorized');
    expect((await score(sub.secondaryKey)).status).toBe(401);
    expect((await manage('GET', `subscriptions/${sub.id}`)).status).toBe(404);
    const again = await manage('DELETE', `subscriptions/${sub.id}`);
    expect(again.status).toBe(404);
    expectClassicBody(again.json, 'SubscriptionNotFound');
    expect((await manage('DELETE', 'subscriptions/0123456789abcdef0123456789abcdef')).status).toBe(404);
    expect((await manage('DELETE', 'subscriptions/not-an-id')).status).toBe(404);
    expect((await manage('GET', 'subscriptions')).json.map((s: { id: string }) => s.id)).not.toContain(sub.id);

    const to = new Date(Date.now() + 60_000).toISOString();
    const from = new Date(Date.now() - 600_000).toISOString();
    const usage = await manage('GET', `usage?from=${from}&to=${to}&groupBy=subscription&interval=60`);
    expect(usage.status).toBe(200);
    const group = usage.json.groups.find((g: { key: string }) => g.key === sub.id);
    expect(group, JSON.stringify(usage.json.groups)).toBeDefined();
    expect(group.success).toBe(2);
  });
});

describe('DELETE /manage/products/{id}', () => {
  it('is refused (409 ProductInUse) while a subscription uses it, naming each; allowed once none does', async () => {
    expect((await manage('PUT', 'products/doomed', { name: 'Doomed', rateLimit: { calls: 10, renewalPeriod: 60 } })).status).toBe(201);
    const a = await createSubscription('doomed-a', 'doomed');
    const b = await createSubscription('doomed-b', 'doomed');
    shownKeys.push(a.primaryKey, a.secondaryKey, b.primaryKey, b.secondaryKey);
    ids.productUser = a.id;

    const refused = await manage('DELETE', 'products/doomed');
    expect(refused.status).toBe(409);
    expectClassicBody(refused.json, 'ProductInUse');
    expect(refused.json.error.code).toBe('Conflict');
    expect(refused.json.error.message).toMatch(/2 subscriptions/);
    const targets = refused.json.error.details.map((d: { target: string }) => d.target).sort();
    expect(targets).toEqual([`subscriptions/${a.id}`, `subscriptions/${b.id}`].sort());
    expect(refused.json.error.details.map((d: { message: string }) => d.message).join('\n')).toMatch(/doomed-a[\s\S]*doomed-b|doomed-b[\s\S]*doomed-a/);
    expect((await manage('GET', 'products/doomed')).status).toBe(200);

    // A cancelled subscription still names the product; a moved one no longer does.
    expect((await manage('PATCH', `subscriptions/${a.id}`, { state: 'cancelled' })).status).toBe(200);
    expect((await manage('PATCH', `subscriptions/${b.id}`, { productId: 'unlimited' })).status).toBe(200);
    const stillUsed = await manage('DELETE', 'products/doomed');
    expect(stillUsed.status).toBe(409);
    expect(stillUsed.json.error.details.map((d: { target: string }) => d.target)).toEqual([`subscriptions/${a.id}`]);

    expect((await manage('DELETE', `subscriptions/${a.id}`)).status).toBe(200);
    const deleted = await manage('DELETE', 'products/doomed');
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({ id: 'doomed', name: 'Doomed' });
    expect((await manage('GET', 'products/doomed')).status).toBe(404);
    expect((await manage('GET', 'products')).json.map((p: { id: string }) => p.id)).not.toContain('doomed');
    expect((await manage('DELETE', 'products/doomed')).status).toBe(404);
    expect((await manage('POST', 'subscriptions', { name: 'x', productId: 'doomed' })).status).toBe(400);
  });

  it('never deletes the built-in products (409 ProductBuiltIn), even when nothing uses them', async () => {
    for (const id of ['starter', 'unlimited']) {
      const refused = await manage('DELETE', `products/${id}`);
      expect(refused.status).toBe(409);
      expectClassicBody(refused.json, 'ProductBuiltIn');
      expect((await manage('GET', `products/${id}`)).status).toBe(200);
    }
    expect((await manage('DELETE', 'products/Not_An_Id')).status).toBe(404);
  });
});

describe('PATCH /manage/subscriptions/{id} {"productId"}', () => {
  it('moves a subscription: its next calls count against the new product\'s limits, with what it spent in the window carried', async () => {
    expect((await manage('PUT', 'products/one-call', { name: 'One call', rateLimit: { calls: 1, renewalPeriod: LONG } })).status).toBe(201);
    expect((await manage('PUT', 'products/three-calls', { name: 'Three calls', rateLimit: { calls: 3, renewalPeriod: LONG } })).status).toBe(201);
    const sub = await createSubscription('mover', 'one-call');
    shownKeys.push(sub.primaryKey, sub.secondaryKey);
    ids.moved = sub.id;
    const first = await score(sub.primaryKey);
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('1');
    expectClassicBody((await score(sub.primaryKey)).json, 'RateLimitExceeded');

    const moved = await manage('PATCH', `subscriptions/${sub.id}`, { productId: 'three-calls' });
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ id: sub.id, productId: 'three-calls', state: 'active' });
    // Same window (same period): the call made under one-call counts, so two more pass under three-calls.
    const second = await score(sub.primaryKey);
    expect(second.status).toBe(200);
    expect(second.headers['x-ratelimit-limit']).toBe('3');
    expect(second.headers['x-ratelimit-remaining']).toBe('1');
    expect((await score(sub.primaryKey)).status).toBe(200);
    const over = await score(sub.primaryKey);
    expect(over.status).toBe(429);
    expect(over.headers['x-ratelimit-limit']).toBe('3');

    // To unlimited: no limits at all.
    expect((await manage('PATCH', `subscriptions/${sub.id}`, { productId: 'unlimited' })).status).toBe(200);
    const free = await score(sub.primaryKey);
    expect(free.status).toBe(200);
    expect(free.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('validates: 404 for an unknown product, 400 naming the field for a bad one, an empty body or an unknown field', async () => {
    const sub = await createSubscription('mover-2', 'starter');
    shownKeys.push(sub.primaryKey, sub.secondaryKey);
    const unknown = await manage('PATCH', `subscriptions/${sub.id}`, { productId: 'no-such-product' });
    expect(unknown.status).toBe(404);
    expectClassicBody(unknown.json, 'ProductNotFound');
    const bad = await manage('PATCH', `subscriptions/${sub.id}`, { productId: 'Bad Id!' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].target).toBe('productId');
    expect((await manage('PATCH', `subscriptions/${sub.id}`, {})).status).toBe(400);
    expect((await manage('PATCH', `subscriptions/${sub.id}`, { product: 'unlimited' })).status).toBe(400);
    expect((await manage('GET', `subscriptions/${sub.id}`)).json.productId).toBe('starter');
    expect((await manage('PATCH', 'subscriptions/0123456789abcdef0123456789abcdef', { productId: 'unlimited' })).status).toBe(404);
  });
});

describe('expiry (expiresAt)', () => {
  it('after it, calls get 403 SubscriptionExpired and the subscription is listed "expired"; null lifts it', async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const sub = await createSubscription('short-lived', 'unlimited', { expiresAt });
    shownKeys.push(sub.primaryKey, sub.secondaryKey);
    ids.expiring = sub.id;
    expect(sub.expiresAt).toBe(expiresAt);
    expect(sub.state).toBe('active');
    expect((await score(sub.primaryKey)).status).toBe(200);

    let answer = await score(sub.primaryKey);
    for (const deadline = Date.now() + 10_000; answer.status === 200 && Date.now() < deadline; answer = await score(sub.primaryKey)) await sleep(200);
    expect(answer.status).toBe(403);
    expectClassicBody(answer.json, 'SubscriptionExpired');
    expect(answer.json.error.message).toContain(expiresAt);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
    expect((await manage('GET', `subscriptions/${sub.id}`)).json).toMatchObject({ state: 'expired', expiresAt });
    expect((await manage('GET', 'subscriptions')).json.find((s: { id: string }) => s.id === sub.id).state).toBe('expired');

    const lifted = await manage('PATCH', `subscriptions/${sub.id}`, { expiresAt: null });
    expect(lifted.json).toMatchObject({ state: 'active', expiresAt: null });
    expect((await score(sub.primaryKey)).status).toBe(200);

    // PATCHed into the past: expired at once (this instance).
    const past = await manage('PATCH', `subscriptions/${sub.id}`, { expiresAt: '2020-01-01T00:00:00+02:00' });
    expect(past.json).toMatchObject({ state: 'expired', expiresAt: '2019-12-31T22:00:00.000Z' });
    expectClassicBody((await score(sub.secondaryKey)).json, 'SubscriptionExpired');
    // Cancelled wins over expired.
    expect((await manage('PATCH', `subscriptions/${sub.id}`, { state: 'cancelled' })).json.state).toBe('cancelled');
    expectClassicBody((await score(sub.primaryKey)).json, 'SubscriptionNotActive');
  });

  it('validates expiresAt: an ISO 8601 instant, not in the past on create', async () => {
    for (const expiresAt of ['tomorrow', '2030-01-01', 12345]) {
      const bad = await manage('POST', 'subscriptions', { name: 'x', productId: 'starter', expiresAt });
      expect(bad.status).toBe(400);
      expect(bad.json.error.details[0].target).toBe('expiresAt');
    }
    const past = await manage('POST', 'subscriptions', { name: 'x', productId: 'starter', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.json.error.details[0].target).toBe('expiresAt');
    const never = await createSubscription('forever', 'starter');
    shownKeys.push(never.primaryKey, never.secondaryKey);
    expect(never.expiresAt).toBeNull();
    expect((await manage('PATCH', `subscriptions/${never.id}`, { expiresAt: 'soon' })).json.error.details[0].target).toBe('expiresAt');
  });
});

describe('a cancelled subscription', () => {
  it('gets no new key (400 SubscriptionCancelled) and takes no other change', async () => {
    const sub = await createSubscription('cancelled-one', 'starter');
    shownKeys.push(sub.primaryKey, sub.secondaryKey);
    ids.cancelled = sub.id;
    expect((await manage('PATCH', `subscriptions/${sub.id}`, { state: 'cancelled' })).status).toBe(200);
    for (const key of ['primary', 'secondary']) {
      const refused = await manage('POST', `subscriptions/${sub.id}/regenerate?key=${key}`);
      expect(refused.status).toBe(400);
      expectClassicBody(refused.json, 'SubscriptionCancelled');
      expect(JSON.stringify(refused.json)).not.toMatch(/Key"/);
    }
    expect((await score(sub.primaryKey)).status).toBe(403);
    const move = await manage('PATCH', `subscriptions/${sub.id}`, { productId: 'unlimited' });
    expect(move.status).toBe(400);
    expectClassicBody(move.json, 'SubscriptionCancelled');
    expect((await manage('PATCH', `subscriptions/${sub.id}`, { state: 'cancelled' })).status).toBe(200);
  });
});

describe('duplicate subscription names', () => {
  it('are harmless: two subscriptions, two ids, their own keys and their own counters', async () => {
    expect((await manage('PUT', 'products/twin-product', { name: 'Twins', rateLimit: { calls: 1, renewalPeriod: LONG } })).status).toBe(201);
    const one = await createSubscription('twin', 'twin-product');
    const two = await createSubscription('twin', 'twin-product');
    shownKeys.push(one.primaryKey, one.secondaryKey, two.primaryKey, two.secondaryKey);
    expect(one.id).not.toBe(two.id);
    expect(one.primaryKey).not.toBe(two.primaryKey);
    expect((await manage('GET', 'subscriptions')).json.filter((s: { name: string }) => s.name === 'twin')).toHaveLength(2);
    expect((await score(one.primaryKey)).status).toBe(200);
    expect((await score(one.primaryKey)).status).toBe(429);
    expect((await score(two.primaryKey)).status).toBe(200); // its own window
    expect((await manage('DELETE', `subscriptions/${one.id}`)).status).toBe(200);
    expect((await score(one.secondaryKey)).status).toBe(401);
    expect((await manage('PATCH', `subscriptions/${two.id}`, { productId: 'unlimited' })).status).toBe(200);
    expect((await score(two.secondaryKey)).status).toBe(200);
  });
});

describe('a key sent as "Authorization: <key>" without the Bearer scheme', () => {
  it('gets 401 saying the scheme is missing and how to send the key', async () => {
    const key = stack().demo.subscriptionKey;
    const bare = await score('', { authorization: key });
    expect(bare.status).toBe(401);
    expectClassicBody(bare.json, 'ScoreRequestUnauthorized');
    expect(bare.json.error.message).toMatch(/Authorization header has no scheme/);
    expect(bare.json.error.message).toContain("use 'Authorization: Bearer <key>' or the Ocp-Apim-Subscription-Key header");
    expect(JSON.stringify(bare.json)).not.toContain(key);
    const basic = await score('', { authorization: `Basic ${key}` });
    expect(basic.status).toBe(401);
    expect(basic.json.error.message).toMatch(/scheme other than Bearer/);
    expect(JSON.stringify(basic.json)).not.toContain(key);
    expect((await score('', { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await score('', { authorization: `bearer ${key}` })).status).toBe(200);
  });
});

describe('GET /manage/audit', () => {
  const adminActor = () => `admin-key:sha256:${createHash('sha256').update(stack().adminKey).digest('hex').slice(0, 12)}`;

  it('records every management change: who (no key), what, target, when, outcome; newest first', async () => {
    const all = await manage('GET', 'audit?limit=1000');
    expect(all.status).toBe(200);
    const entries = all.json as any[];
    const text = JSON.stringify(entries);
    for (const key of [stack().adminKey, ...shownKeys]) expect(text).not.toContain(key);
    expect(text).not.toMatch(/primaryKey|secondaryKey|KeyHash/);
    for (const e of entries) {
      expect(e.actor).toBe(adminActor());
      expect(Number.isNaN(Date.parse(e.at))).toBe(false);
      expect(['success', 'failure']).toContain(e.outcome);
      expect(typeof e.requestId).toBe('string');
    }
    const ats = entries.map((e) => Date.parse(e.at));
    expect(ats).toEqual([...ats].sort((a, b) => b - a));

    const find = (operation: string, target: string, outcome = 'success') =>
      entries.filter((e) => e.operation === operation && e.target === target && e.outcome === outcome);
    expect(find('subscription.create', `subscriptions/${ids.deleted}`)[0].details).toMatchObject({ name: 'to-delete', productId: 'unlimited' });
    expect(find('subscription.delete', `subscriptions/${ids.deleted}`)).toHaveLength(1);
    expect(find('subscription.delete', `subscriptions/${ids.deleted}`, 'failure')[0]).toMatchObject({ status: 404, errorCode: 'SubscriptionNotFound' });
    expect(find('product.delete', 'products/doomed', 'failure').map((e) => e.errorCode)).toEqual(['ProductNotFound', 'ProductInUse', 'ProductInUse']);
    expect(find('product.delete', 'products/doomed')).toHaveLength(1);
    expect(find('product.delete', 'products/starter', 'failure')[0]).toMatchObject({ status: 409, errorCode: 'ProductBuiltIn' });
    expect(find('product.put', 'products/doomed')[0].details).toMatchObject({ created: true });
    expect(find('subscription.update', `subscriptions/${ids.moved}`).map((e) => e.details.changed.productId))
      .toEqual([{ from: 'three-calls', to: 'unlimited' }, { from: 'one-call', to: 'three-calls' }]);
    expect(find('subscription.update', `subscriptions/${ids.productUser}`)[0].details.changed.state).toEqual({ from: 'active', to: 'cancelled' });
    expect(find('subscription.update', `subscriptions/${ids.expiring}`).map((e) => Object.keys(e.details.changed).join())).toEqual(['state', 'expiresAt', 'expiresAt']);
    const regenerations = find('subscription.regenerateKey', `subscriptions/${ids.cancelled}`, 'failure');
    expect(regenerations.map((e) => [e.status, e.errorCode, e.details])).toEqual([[400, 'SubscriptionCancelled', undefined], [400, 'SubscriptionCancelled', undefined]]);
    // Reads are not changes.
    expect(entries.some((e) => /list|get/i.test(e.operation))).toBe(false);
  });

  it('records a key regeneration and a catalogue change, and filters by from, to and limit', async () => {
    const before = new Date(Date.now() - 1).toISOString();
    const sub = await createSubscription('audited', 'unlimited');
    const regenerated = await manage('POST', `subscriptions/${sub.id}/regenerate?key=secondary`);
    expect(regenerated.status).toBe(200);
    const entry = (await manage('GET', 'catalogue')).json[0];
    const { workspace, service, ...body } = entry;
    expect((await manage('PUT', `catalogue/${workspace}/${service}`, body)).status).toBe(200);
    const after = new Date(Date.now() + 1).toISOString();

    const recent = await manage('GET', `audit?from=${encodeURIComponent(before)}&to=${encodeURIComponent(after)}`);
    expect(recent.status).toBe(200);
    expect(recent.json.map((e: { operation: string }) => e.operation)).toEqual(['catalogue.put', 'subscription.regenerateKey', 'subscription.create']);
    expect(recent.json[1]).toMatchObject({ target: `subscriptions/${sub.id}`, outcome: 'success', status: 200, details: { key: 'secondary' } });
    expect(recent.json[0]).toMatchObject({ target: `catalogue/${workspace}/${service}`, outcome: 'success' });
    const text = JSON.stringify(recent.json);
    for (const key of [sub.primaryKey, sub.secondaryKey, regenerated.json.secondaryKey, stack().adminKey]) expect(text).not.toContain(key);

    expect((await manage('GET', `audit?to=${encodeURIComponent(before)}&limit=1000`)).json.some((e: { target: string }) => e.target === `subscriptions/${sub.id}`)).toBe(false);
    const one = await manage('GET', 'audit?limit=1');
    expect(one.json).toHaveLength(1);
    expect(one.json[0].operation).toBe('catalogue.put');
  });

  it('validates its query (400 naming the parameter) and needs the admin key', async () => {
    for (const [query, target] of [['limit=0', 'limit'], ['limit=abc', 'limit'], ['limit=1001', 'limit'], ['from=yesterday', 'from'],
      [`from=${encodeURIComponent('2030-01-02T00:00:00Z')}&to=${encodeURIComponent('2030-01-01T00:00:00Z')}`, 'from'], ['extra=1', 'body']] as const) {
      const bad = await manage('GET', `audit?${query}`);
      expect(bad.status, query).toBe(400);
      expectClassicBody(bad.json, 'InvalidQueryParameter');
      if (target !== 'body') expect(bad.json.error.details[0].target, query).toBe(target);
    }
    expect((await manage('GET', 'audit', undefined, null)).status).toBe(401);
    expect((await manage('GET', 'audit', undefined, 'wrong')).status).toBe(401);
  });
});
