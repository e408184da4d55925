// TtlCache: single-flight loads, time to live, invalidation, negative caching and stale-if-error.
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/lib/errors.js';
import { TtlCache } from '../../src/lib/ttl-cache.js';

describe('TtlCache', () => {
  it('loads once for concurrent misses and serves from memory until the TTL passes', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<number>(1000, () => now);
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)])).toEqual([1, 1, 1]);
    now = 999;
    expect(await cache.get('k', load)).toBe(1);
    now = 1000;
    expect(await cache.get('k', load)).toBe(2);
  });
  it('does not cache a result whose load began before an invalidation', async () => {
    let release!: (v: string) => void;
    const cache = new TtlCache<string>(60_000);
    const stale = cache.get('k', () => new Promise<string>((r) => (release = r)));
    cache.delete('k');
    release('stale');
    expect(await stale).toBe('stale');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
  });
  it('does not cache failures', async () => {
    const cache = new TtlCache<string>(60_000);
    await expect(cache.get('k', async () => { throw new Error('down'); })).rejects.toThrow('down');
    expect(await cache.get('k', async () => 'up')).toBe('up');
  });
  it('caches "not found" (undefined) like any value, without an unhandled rejection', async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<string | undefined>(1000, () => now);
    const load = async () => { loads++; return undefined; };
    expect(await cache.get('unknown-key', load)).toBeUndefined();
    expect(await cache.get('unknown-key', load)).toBeUndefined();
    expect(loads).toBe(1);
    now = 1000;
    await cache.get('unknown-key', load);
    expect(loads).toBe(2);
  });
  it('serves the last value while storage is unavailable (503), within ttl + staleIfErrorMs, then gives up', async () => {
    let now = 0;
    let storageDown = false;
    let loads = 0;
    const cache = new TtlCache<number>(1000, { now: () => now, staleIfErrorMs: 5000, retryAfterMs: 500 });
    const load = async () => {
      loads++;
      if (storageDown) throw new GatewayError('StorageUnavailable', 'down');
      return loads;
    };
    expect(await cache.get('k', load)).toBe(1);
    storageDown = true;
    now = 1500;
    expect(await cache.get('k', load)).toBe(1);
    expect(loads).toBe(2);
    now = 1900; // within retryAfterMs: storage is not tried again
    expect(await cache.get('k', load)).toBe(1);
    expect(loads).toBe(2);
    now = 6001; // older than ttl + staleIfErrorMs
    await expect(cache.get('k', load)).rejects.toMatchObject({ status: 503 });
  });
  it('does not serve a stale value for a caller\'s mistake or a non-storage failure', async () => {
    let now = 0;
    const cache = new TtlCache<number>(1000, { now: () => now, staleIfErrorMs: 5000 });
    expect(await cache.get('k', async () => 1)).toBe(1);
    now = 1500;
    await expect(cache.get('k', async () => { throw new Error('bug'); })).rejects.toThrow('bug');
  });
});
