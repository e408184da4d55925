// A small per-instance cache with a time to live and single-flight loading: concurrent misses for one key
// share one load, so a burst of calls with a new key makes one storage read, not hundreds.
export class TtlCache<V> {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #loading = new Map<string, Promise<V>>();
  /** Bumped by delete/clear: a load that began before an invalidation must not cache its (stale) result. */
  #generation = 0;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > this.#now()) return hit.value;
    let pending = this.#loading.get(key);
    if (!pending) {
      const generation = this.#generation;
      const loading: Promise<V> = load().finally(() => {
        if (this.#loading.get(key) === loading) this.#loading.delete(key);
      });
      pending = loading;
      this.#loading.set(key, loading);
      loading.then(
        (value) => {
          if (this.#ttlMs > 0 && generation === this.#generation) {
            this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs });
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
