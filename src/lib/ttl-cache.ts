// A small per-instance cache with a time to live and single-flight loading: concurrent misses for one key
// share one load, so a burst of calls with a new key makes one storage read, not hundreds. With `staleIfErrorMs`,
// a load that fails because storage is unavailable (a 503) serves the last value it had, if it is no older than
// ttl + staleIfErrorMs, and keeps serving it for `retryAfterMs` before storage is tried again: a cached key, product
// or catalogue entry keeps working through a storage brown-out instead of waiting on it call after call.
import { GatewayError } from './errors.js';

export interface TtlCacheOptions {
  now?: () => number;
  /** How much longer than the TTL a value may serve while storage is unavailable (0: never). */
  staleIfErrorMs?: number;
  /** Between two failed loads, the stale value serves without trying storage for this long. */
  retryAfterMs?: number;
}

interface Entry<V> {
  value: V;
  loadedAt: number;
  expiresAt: number;
}

const isStorageFault = (error: unknown): boolean => error instanceof GatewayError && error.status === 503;

export class TtlCache<V> {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #staleIfErrorMs: number;
  readonly #retryAfterMs: number;
  readonly #entries = new Map<string, Entry<V>>();
  readonly #loading = new Map<string, Promise<V>>();
  /** Bumped by delete/clear: a load that began before an invalidation must not cache its (stale) result. */
  #generation = 0;

  constructor(ttlMs: number, options: TtlCacheOptions | (() => number) = {}) {
    const opts = typeof options === 'function' ? { now: options } : options;
    this.#ttlMs = ttlMs;
    this.#now = opts.now ?? Date.now;
    this.#staleIfErrorMs = opts.staleIfErrorMs ?? 0;
    this.#retryAfterMs = opts.retryAfterMs ?? 5_000;
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > this.#now()) return hit.value;
    let pending = this.#loading.get(key);
    if (!pending) {
      const generation = this.#generation;
      const loading: Promise<V> = load()
        .catch((error: unknown) => {
          const stale = this.#entries.get(key);
          const now = this.#now();
          if (!stale || !isStorageFault(error) || now - stale.loadedAt > this.#ttlMs + this.#staleIfErrorMs) throw error;
          stale.expiresAt = Math.min(now + this.#retryAfterMs, stale.loadedAt + this.#ttlMs + this.#staleIfErrorMs);
          return stale.value;
        })
        .finally(() => {
          if (this.#loading.get(key) === loading) this.#loading.delete(key);
        });
      pending = loading;
      this.#loading.set(key, loading);
      loading.then(
        (value) => {
          const current = this.#entries.get(key);
          if (current && current.value === value && current.expiresAt > this.#now()) return; // a stale value kept serving
          if ((this.#ttlMs > 0 || this.#staleIfErrorMs > 0) && generation === this.#generation) {
            const now = this.#now();
            this.#entries.set(key, { value, loadedAt: now, expiresAt: now + this.#ttlMs });
          }
        },
        () => undefined,
      );
    }
    return pending;
  }

  delete(key: string): void {
    this.#generation++;
    this.#entries.delete(key);
    this.#loading.delete(key);
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#loading.clear();
  }
}
