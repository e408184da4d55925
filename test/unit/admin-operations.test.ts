// The day-one admin operations below HTTP: subscription expiry as the key check sees it (on the clock, through the
// cache), deletion and moves in the store, the listed state, the PATCH contract, the audit actor, and the 401 for a
// key sent without the Bearer scheme.
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { SubscriptionStore } from '../../src/lib/subscriptions/subscription-store.js';
import { listedState, UpdateSubscriptionInput, CreateSubscriptionInput } from '../../src/lib/contracts/subscriptions.js';
import { adminActor } from '../../src/lib/manage/audit-log.js';
import { authenticate } from '../../src/lib/gateway/policies/authenticate.js';
import type { GatewayContext } from '../../src/lib/gateway/context.js';

/** Just enough of a TableClient for the subscription store: point reads and writes with ETags, a partition scan. */
function memoryTable(): TableClient {
  const rows = new Map<string, Record<string, unknown>>();
  let version = 0;
  const key = (pk: string, rk: string) => `${pk}\n${rk}`;
  const notFound = () => Object.assign(new Error('not found'), { statusCode: 404 });
  const table = {
    async getEntity(pk: string, rk: string) {
      const row = rows.get(key(pk, rk));
      if (!row) throw notFound();
      return { ...row };
    },
    async createEntity(entity: Record<string, unknown> & { partitionKey: string; rowKey: string }) {
      if (rows.has(key(entity.partitionKey, entity.rowKey))) throw Object.assign(new Error('exists'), { statusCode: 409 });
      rows.set(key(entity.partitionKey, entity.rowKey), { ...entity, etag: String(++version) });
      return { etag: String(version) };
    },
    async upsertEntity(entity: Record<string, unknown> & { partitionKey: string; rowKey: string }) {
      rows.set(key(entity.partitionKey, entity.rowKey), { ...entity, etag: String(++version) });
      return { etag: String(version) };
    },
    async updateEntity(entity: Record<string, unknown> & { partitionKey: string; rowKey: string }, _mode: string, options?: { etag?: string }) {
      const current = rows.get(key(entity.partitionKey, entity.rowKey));
      if (!current) throw notFound();
      if (options?.etag && current.etag !== options.etag) throw Object.assign(new Error('changed'), { statusCode: 412 });
      rows.set(key(entity.partitionKey, entity.rowKey), { ...entity, etag: String(++version) });
      return { etag: String(version) };
    },
    async deleteEntity(pk: string, rk: string, options?: { etag?: string }) {
      const current = rows.get(key(pk, rk));
      if (!current) throw notFound();
      if (options?.etag && current.etag !== options.etag) throw Object.assign(new Error('changed'), { statusCode: 412 });
      rows.delete(key(pk, rk));
      return {};
    },
    async *listEntities() {
      for (const row of rows.values()) yield { ...row };
    },
  };
  return table as unknown as TableClient;
}

function store(now: () => number, cacheMs = 60_000) {
  const subscriptions = memoryTable();
  const keys = memoryTable();
  return new SubscriptionStore({ subscriptions: async () => subscriptions, keys: async () => keys }, { cacheMs, now });
}

const codeOf = async (promise: Promise<unknown>) => promise.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

describe('subscription expiry at the key check', () => {
  it('refuses a key past expiresAt with SubscriptionExpired, on the clock even while the caller is cached', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const subs = store(() => clock);
    const created = await subs.create('app', 'starter', { expiresAt: '2030-01-01T01:00:00+01:00' });
    expect(created.expiresAt).toBe('2030-01-01T00:00:00.000Z');
    clock -= 1;
    expect(await subs.verify(created.primaryKey)).toMatchObject({ subscriptionId: created.id, expiresAt: created.expiresAt });
    clock += 1; // cached caller, now expired
    expect(await codeOf(subs.verify(created.primaryKey))).toBe('SubscriptionExpired');
    expect(await codeOf(subs.verify(created.secondaryKey))).toBe('SubscriptionExpired');
    await subs.update(created.id, { expiresAt: null });
    expect(await codeOf(subs.verify(created.primaryKey))).toBe('ok');
    // A cancelled subscription stays a cancelled one (authorize answers SubscriptionNotActive), expired or not.
    await subs.update(created.id, { expiresAt: '2020-01-01T00:00:00Z' });
    expect(await codeOf(subs.verify(created.primaryKey))).toBe('SubscriptionExpired');
    await subs.setState(created.id, 'cancelled');
    expect(await subs.verify(created.primaryKey)).toMatchObject({ state: 'cancelled' });
  });

  it('lists "expired" once expiresAt has passed; cancelled wins; no expiry is never expired', () => {
    const at = Date.parse('2030-01-01T00:00:00Z');
    expect(listedState({ state: 'active', expiresAt: '2030-01-01T00:00:00.000Z' }, at)).toBe('expired');
    expect(listedState({ state: 'active', expiresAt: '2030-01-01T00:00:00.000Z' }, at - 1)).toBe('active');
    expect(listedState({ state: 'suspended', expiresAt: '2020-01-01T00:00:00.000Z' }, at)).toBe('expired');
    expect(listedState({ state: 'cancelled', expiresAt: '2020-01-01T00:00:00.000Z' }, at)).toBe('cancelled');
    expect(listedState({ state: 'suspended', expiresAt: null }, at)).toBe('suspended');
  });
});

describe('the subscription store', () => {
  it('deletes: both keys stop at once through the cache, a second delete finds nothing', async () => {
    const subs = store(Date.now);
    const created = await subs.create('app', 'starter');
    expect(await subs.verify(created.primaryKey)).toBeDefined(); // cached now
    expect(await subs.delete(created.id)).toMatchObject({ id: created.id, name: 'app' });
    expect(await subs.verify(created.primaryKey)).toBeUndefined();
    expect(await subs.verify(created.secondaryKey)).toBeUndefined();
    expect(await subs.get(created.id)).toBeUndefined();
    expect(await subs.delete(created.id)).toBeUndefined();
    expect(await subs.delete('not-an-id')).toBeUndefined();
  });

  it('moves a subscription and reports before and after; a cancelled one takes no change', async () => {
    const subs = store(Date.now);
    const created = await subs.create('app', 'starter');
    await subs.verify(created.primaryKey);
    const { before, after } = await subs.update(created.id, { productId: 'unlimited' });
    expect([before.productId, after.productId]).toEqual(['starter', 'unlimited']);
    expect(await subs.verify(created.primaryKey)).toMatchObject({ productId: 'unlimited' }); // the cache was cleared
    await subs.setState(created.id, 'cancelled');
    expect(await codeOf(subs.update(created.id, { productId: 'starter' }))).toBe('SubscriptionCancelled');
    expect(await codeOf(subs.update(created.id, { expiresAt: null }))).toBe('SubscriptionCancelled');
    expect(await codeOf(subs.setState(created.id, 'active'))).toBe('SubscriptionCancelled');
    expect(await codeOf(subs.regenerate(created.id, 'primary'))).toBe('SubscriptionCancelled');
    expect(await codeOf(subs.setState(created.id, 'cancelled'))).toBe('ok');
  });
});

describe('contracts', () => {
  it('PATCH takes state, productId and expiresAt (null removes it), at least one, nothing else', () => {
    expect(UpdateSubscriptionInput.safeParse({ productId: 'unlimited' }).success).toBe(true);
    expect(UpdateSubscriptionInput.safeParse({ expiresAt: null }).success).toBe(true);
    expect(UpdateSubscriptionInput.safeParse({ state: 'active', productId: 'p', expiresAt: '2030-01-01T00:00:00Z' }).success).toBe(true);
    expect(UpdateSubscriptionInput.safeParse({}).success).toBe(false);
    expect(UpdateSubscriptionInput.safeParse({ productId: 'Bad!' }).error?.issues[0]?.path).toEqual(['productId']);
    expect(UpdateSubscriptionInput.safeParse({ expiresAt: '2030-01-01' }).error?.issues[0]?.path).toEqual(['expiresAt']);
    expect(UpdateSubscriptionInput.safeParse({ state: 'expired' }).success).toBe(false);
    expect(CreateSubscriptionInput.safeParse({ name: 'a', productId: 'starter', expiresAt: '2030-01-01T00:00:00+02:00' }).success).toBe(true);
  });

  it('the audit actor names the admin key without giving it away', () => {
    const key = 'x'.repeat(44);
    expect(adminActor(key)).toMatch(/^admin-key:sha256:[0-9a-f]{12}$/);
    expect(adminActor(key)).not.toContain(key.slice(0, 8));
    expect(adminActor(key)).not.toBe(adminActor(`${key}y`));
  });
});

describe('a key without the Bearer scheme', () => {
  const policy = authenticate({ verify: async () => undefined });
  const refusal = async (headers: Record<string, string>) => {
    const ctx = {
      requestId: 'r', operation: 'rrs.execute', workspace: 'w', service: 's', startedAt: 0, responseHeaders: {},
      request: new HttpRequest({ method: 'POST', url: 'http://x/', headers }), invocation: new InvocationContext(),
    } as GatewayContext;
    return policy(ctx, async () => {}).then(() => undefined, (e: { status: number; message: string }) => e);
  };

  it('is a 401 saying the scheme is missing (and never echoing the header)', async () => {
    const bare = await refusal({ authorization: 'secret-key-value' });
    expect(bare?.status).toBe(401);
    expect(bare?.message).toBe("Access denied: the Authorization header has no scheme: use 'Authorization: Bearer <key>' or the Ocp-Apim-Subscription-Key header.");
    const basic = await refusal({ authorization: 'Basic secret-key-value' });
    expect(basic?.message).toMatch(/uses a scheme other than Bearer/);
    expect(`${bare?.message}${basic?.message}`).not.toContain('secret');
    expect((await refusal({ authorization: 'Bearer secret-key-value' }))?.message).toBe('Access denied: the subscription key is not valid.');
    expect((await refusal({ authorization: 'Bearer' }))?.message).toMatch(/a subscription key is required/);
    // A key elsewhere wins over an odd Authorization header (e.g. a proxy's own credentials).
    expect((await refusal({ authorization: 'Basic abc', 'ocp-apim-subscription-key': 'k' }))?.message).toBe('Access denied: the subscription key is not valid.');
  });
});
