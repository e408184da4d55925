// SecretCache with a fake source and a fake clock: TTL, single flight, grace while the source is down,
// refresh de-duplication after a key rotation.
import { describe, expect, it } from 'vitest';
import { SecretCache } from '../../src/lib/secrets/secret-cache.js';

function setup(options: { ttlMs?: number; graceMs?: number; retryAfterFailureMs?: number } = {}) {
  let t = 1_000_000;
  const values = new Map<string, string>([['k', 'v1']]);
  const source = {
    calls: 0,
    down: false,
    gate: undefined as Promise<void> | undefined,
    open: () => {},
    hold: () => {
      source.gate = new Promise<void>((resolve) => (source.open = resolve));
    },
    fetch: async (name: string): Promise<string> => {
      source.calls += 1;
      if (source.gate) await source.gate;
      if (source.down) throw new Error('vault down');
      const v = values.get(name);
      if (v === undefined) throw new Error(`not found: ${name}`);
      return v;
    },
  };
  const cache = new SecretCache(source.fetch, { ttlMs: 1_000, graceMs: 10_000, ...options, now: () => t });
  return { cache, source, values, advance: (ms: number) => (t += ms) };
}

describe('SecretCache', () => {
  it('serves a fresh value with no I/O and re-fetches after the TTL', async () => {
    const { cache, source, values, advance } = setup();
    expect(await cache.get('k')).toBe('v1');
    values.set('k', 'v2');
    advance(999);
    const p1 = cache.get('k');
    expect(p1).toBe(cache.get('k')); // the same resolved promise: nothing allocated on the hot path
    expect(await p1).toBe('v1');
    expect(source.calls).toBe(1);
    advance(1);
    expect(await cache.get('k')).toBe('v2');
    expect(source.calls).toBe(2);
  });

  it('shares one in-flight fetch between concurrent gets', async () => {
    const { cache, source } = setup();
    source.hold();
    const all = Promise.all(Array.from({ length: 20 }, () => cache.get('k')));
    source.open();
    expect(await all).toEqual(Array(20).fill('v1'));
    expect(source.calls).toBe(1);
  });

  it('serves the stale value within grace while the source is down, then fails after grace', async () => {
    const { cache, source, advance } = setup({ retryAfterFailureMs: 5_000 });
    await cache.get('k');
    source.down = true;
    advance(1_500);
    expect(await cache.get('k')).toBe('v1');
    expect(source.calls).toBe(2);
    // No hammering: within the retry window the source is not asked again.
    advance(1_000);
    expect(await cache.get('k')).toBe('v1');
    expect(await cache.get('k')).toBe('v1');
    expect(source.calls).toBe(2);
    advance(5_000);
    expect(await cache.get('k')).toBe('v1');
    expect(source.calls).toBe(3);
    advance(4_000); // 11.5 s after the fetch: past ttl (1 s) + grace (10 s)
    await expect(cache.get('k')).rejects.toThrow('vault down');
  });

  it('recovers as soon as the source is back after the retry window', async () => {
    const { cache, source, values, advance } = setup();
    await cache.get('k');
    source.down = true;
    advance(2_000);
    expect(await cache.get('k')).toBe('v1');
    source.down = false;
    values.set('k', 'v2');
    advance(5_000);
    expect(await cache.get('k')).toBe('v2');
  });

  it('rethrows when there is no cached value, without asking the source again inside the retry window', async () => {
    const { cache, source, advance } = setup();
    source.down = true;
    await expect(cache.get('k')).rejects.toThrow('vault down');
    await expect(cache.get('k')).rejects.toThrow('vault down');
    expect(source.calls).toBe(1);
    advance(5_000);
    source.down = false;
    expect(await cache.get('k')).toBe('v1');
  });

  it('refresh: concurrent callers that saw the same stale key cause one fetch', async () => {
    const { cache, source, values, advance } = setup({ ttlMs: 300_000 });
    expect(await cache.get('k')).toBe('v1');
    advance(5_000);
    values.set('k', 'v2'); // rotated
    source.hold();
    const refreshed = Promise.all(Array.from({ length: 10 }, () => cache.refresh('k', 'v1')));
    source.open();
    expect(await refreshed).toEqual(Array(10).fill('v2'));
    expect(source.calls).toBe(2);
    // A late 401 for the old key finds the refresh already done.
    expect(await cache.refresh('k', 'v1')).toBe('v2');
    expect(source.calls).toBe(2);
    expect(await cache.get('k')).toBe('v2');
    expect(source.calls).toBe(2);
  });

  it('refresh of the current value re-fetches, but not twice within the minimum interval', async () => {
    const { cache, source, advance } = setup({ ttlMs: 300_000 });
    await cache.get('k');
    advance(2_000);
    expect(await cache.refresh('k', 'v1')).toBe('v1');
    expect(source.calls).toBe(2);
    expect(await cache.refresh('k', 'v1')).toBe('v1');
    expect(source.calls).toBe(2);
  });

  it('refresh failures are not masked by the rejected value', async () => {
    const { cache, source, advance } = setup({ ttlMs: 300_000 });
    await cache.get('k');
    advance(2_000);
    source.down = true;
    await expect(cache.refresh('k', 'v1')).rejects.toThrow('vault down');
    await expect(cache.refresh('k', 'v1')).rejects.toThrow('vault down');
    expect(source.calls).toBe(2);
    // get() still answers from the cache, the value is fresh.
    expect(await cache.get('k')).toBe('v1');
  });

  it('a source that throws synchronously does not wedge the cache', async () => {
    let calls = 0;
    let t = 0;
    const cache = new SecretCache(
      (name) => {
        calls += 1;
        if (calls === 1) throw new Error('sync boom');
        return Promise.resolve(`${name}-ok`);
      },
      { now: () => t },
    );
    await expect(cache.get('x')).rejects.toThrow('sync boom');
    t += 5_000;
    expect(await cache.get('x')).toBe('x-ok');
  });
});
