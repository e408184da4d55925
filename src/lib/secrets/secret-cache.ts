// In-memory cache in front of a secret source (Key Vault): no I/O while a value is fresh, one fetch per name at a
// time, stale values keep serving through a Key Vault outage for a grace period, and a rotated backend key is
// picked up by one refresh however many requests saw the backend reject the old one.

export type SecretFetcher = (name: string) => Promise<string>;

export interface SecretCacheOptions {
  /** How long a fetched value is served without asking the source (default 5 min). */
  ttlMs?: number;
  /** How long past its TTL a value keeps serving while the source fails (default 1 h). */
  graceMs?: number;
  /** After a failed fetch, calls within this window don't ask the source again (default 5 s). */
  retryAfterFailureMs?: number;
  /** A forced refresh within this long of the last successful fetch returns that value (default 1 s). */
  minRefreshIntervalMs?: number;
  now?: () => number;
}

interface Entry {
  value?: string;
  /** The value as an already-resolved promise, so the hot path allocates nothing. */
  resolved?: Promise<string>;
  fetchedAt: number;
  inflight?: Promise<string>;
  failedAt?: number;
  lastError?: unknown;
}

export class SecretCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly graceMs: number;
  private readonly retryAfterFailureMs: number;
  private readonly minRefreshIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly source: SecretFetcher,
    options: SecretCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 300_000;
    this.graceMs = options.graceMs ?? 3_600_000;
    this.retryAfterFailureMs = options.retryAfterFailureMs ?? 5_000;
    this.minRefreshIntervalMs = options.minRefreshIntervalMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  get(name: string): Promise<string> {
    const e = this.entry(name);
    if (e.resolved && this.now() - e.fetchedAt < this.ttlMs) return e.resolved;
    if (e.inflight) return e.inflight.catch((err: unknown) => this.fallback(e, err));
    // While the source is failing, answer from what we have instead of sending every request to a dead vault.
    if (e.failedAt !== undefined && this.now() - e.failedAt < this.retryAfterFailureMs) {
      return this.fallback(e, e.lastError);
    }
    return this.fetch(name, e).catch((err: unknown) => this.fallback(e, err));
  }

  /**
   * Re-fetches after the backend rejected `staleValue` (a rotated key). If the cache already holds a different
   * value, or a fetch is under way, no new fetch starts, so N concurrent 401s cost one Key Vault read.
   * Failures are not masked by the stale value: it is the one the backend just rejected.
   */
  refresh(name: string, staleValue?: string): Promise<string> {
    const e = this.entry(name);
    if (e.inflight) return e.inflight;
    const t = this.now();
    if (e.resolved && ((staleValue !== undefined && e.value !== staleValue) || t - e.fetchedAt < this.minRefreshIntervalMs)) {
      return e.resolved;
    }
    if (e.failedAt !== undefined && t - e.failedAt < this.retryAfterFailureMs) return Promise.reject(e.lastError);
    return this.fetch(name, e);
  }

  private entry(name: string): Entry {
    let e = this.entries.get(name);
    if (!e) {
      e = { fetchedAt: 0 };
      this.entries.set(name, e);
    }
    return e;
  }

  private fetch(name: string, e: Entry): Promise<string> {
    // Started from a microtask so that even a source that throws synchronously settles after `inflight` is set.
    const flight: Promise<string> = Promise.resolve()
      .then(() => this.source(name))
      .then(
        (value) => {
          e.value = value;
          e.resolved = Promise.resolve(value);
          e.fetchedAt = this.now();
          e.failedAt = undefined;
          e.lastError = undefined;
          return value;
        },
        (err: unknown) => {
          e.failedAt = this.now();
          e.lastError = err;
          throw err;
        },
      )
      .finally(() => {
        if (e.inflight === flight) e.inflight = undefined;
      });
    e.inflight = flight;
    // Callers attach their own handlers; this one only keeps an unobserved failure from becoming an unhandled rejection.
    flight.catch(() => undefined);
    return flight;
  }

  private fallback(e: Entry, err: unknown): Promise<string> {
    if (e.resolved && this.now() - e.fetchedAt < this.ttlMs + this.graceMs) return e.resolved;
    return Promise.reject(err);
  }
}
