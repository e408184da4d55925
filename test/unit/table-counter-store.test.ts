// TableCounterStore's decisions against a fake table with real ETag semantics: fail closed when conditional
// writes keep losing, 503 when storage is down, no storage call once a window is known to be full.
import type { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/lib/errors.js';
import { TableCounterStore } from '../../src/lib/throttling/counter-store.js';
import { windowAt } from '../../src/lib/throttling/windows.js';

const W = windowAt(0, 60);

function fakeTable(options: { alwaysConflict?: boolean; down?: boolean } = {}) {
  const rows = new Map<string, { count: number; etag: string }>();
  let version = 0;
  const calls = { get: 0, create: 0, update: 0 };
  const fail = (statusCode: number) => Object.assign(new Error(`status ${statusCode}`), { statusCode });
  const client = {
    async getEntity(pk: string, rk: string) {
      calls.get++;
      if (options.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      const row = rows.get(`${pk}|${rk}`);
      if (!row) throw fail(404);
      return { partitionKey: pk, rowKey: rk, ...row };
    },
    async createEntity(e: { partitionKey: string; rowKey: string; count: number }) {
      calls.create++;
      const key = `${e.partitionKey}|${e.rowKey}`;
      if (rows.has(key) || options.alwaysConflict) throw fail(409);
      const etag = `v${++version}`;
      rows.set(key, { count: e.count, etag });
      return { etag };
    },
    async updateEntity(e: { partitionKey: string; rowKey: string; count: number }, _mode: string, o: { etag: string }) {
      calls.update++;
      const key = `${e.partitionKey}|${e.rowKey}`;
      const row = rows.get(key);
      if (!row) throw fail(404);
      if (row.etag !== o.etag || options.alwaysConflict) throw fail(412);
      const etag = `v${++version}`;
      rows.set(key, { count: e.count, etag });
      return { etag };
    },
  };
  return { rows, calls, table: async () => client as unknown as TableClient };
}

describe('TableCounterStore (fake table)', () => {
  it('admits up to the limit, then refuses from memory without touching storage', async () => {
    const t = fakeTable();
    const store = new TableCounterStore(t.table);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.tryConsume('rate:s1', W, 3)));
    expect(results.filter((r) => r.admitted)).toHaveLength(3);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 3, 3, 3, 3, 3]);
    // one read to learn the row is missing; afterwards the remembered ETag makes each admission one write
    expect(t.calls).toEqual({ get: 1, create: 1, update: 2 });
    expect(store.stats.localRefusals).toBe(5);
  });

  it('several instances on one table never admit more than the limit together', async () => {
    const t = fakeTable();
    const stores = Array.from({ length: 4 }, () => new TableCounterStore(t.table, { jitterMs: 1 }));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 4]!.tryConsume('rate:s1', W, 10)));
    expect(results.filter((r) => r.admitted)).toHaveLength(10);
    expect(t.rows.get('rate:s1|60-0')?.count).toBe(10);
  });

  it('fails closed with 503 and Retry-After 1 when the conditional write keeps losing', async () => {
    const t = fakeTable({ alwaysConflict: true });
    const store = new TableCounterStore(t.table, { maxAttempts: 5, jitterMs: 0 });
    const error = (await store.tryConsume('rate:s1', W, 10).catch((e: unknown) => e)) as GatewayError;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(503);
    expect(error.classCode).toBe('ServiceUnavailable');
    expect(error.headers['retry-after']).toBe('1');
    expect(t.calls.create).toBe(5);
    expect(t.rows.size).toBe(0);
  });

  it('storage unreachable → 503 ServiceUnavailable, whether the client cannot start or a call fails', async () => {
    const down = new TableCounterStore(fakeTable({ down: true }).table);
    await expect(down.tryConsume('rate:s1', W, 10)).rejects.toMatchObject({ status: 503, classCode: 'ServiceUnavailable' });
    const noClient = new TableCounterStore(() => Promise.reject(new Error('ENOTFOUND')));
    await expect(noClient.tryConsume('rate:s1', W, 10)).rejects.toMatchObject({ status: 503, classCode: 'ServiceUnavailable' });
    // one failed call does not block the next in the per-scope queue
    await expect(noClient.tryConsume('rate:s1', W, 10)).rejects.toMatchObject({ status: 503 });
  });

  it('refuses scopes that are not valid table keys', async () => {
    const store = new TableCounterStore(fakeTable().table);
    for (const scope of ['', 'rate/x', 'rate\\x', 'rate#x', 'rate?x', 'rate\nx']) {
      await expect(store.tryConsume(scope, W, 1)).rejects.toThrow(TypeError);
    }
  });
});
