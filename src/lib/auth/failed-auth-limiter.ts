// Slows key guessing: an address that sent more than `maxFailures` wrong or missing keys in a window gets 429
// instead of 401 for its further wrong keys, until the window ends. It refuses bad keys, never good ones: a valid key
// from the same address (a NAT, a corporate proxy, a front door: many callers) is always served. Per instance and
// in memory on purpose: it needs no exactness (N instances allow up to N × maxFailures per window), and a storage
// write per failed guess would hand attackers a way to load the storage.
import { GatewayError } from '../errors.js';

export interface FailedAuthLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Addresses remembered at most; the oldest windows are dropped first. */
  maxAddresses?: number;
  now?: () => number;
}

export class FailedAuthLimiter {
  readonly #options: Required<FailedAuthLimiterOptions>;
  readonly #failures = new Map<string, { count: number; windowStart: number }>();

  constructor(options: FailedAuthLimiterOptions) {
    this.#options = { maxAddresses: 10_000, now: Date.now, ...options };
  }

  /**
   * A missing or wrong key from `address`: throws 429 when the address used up its failures in this window, else
   * counts the failure and throws `refusal` (the 401).
   */
  refuse(address: string, refusal: Error): never {
    this.check(address);
    this.recordFailure(address);
    throw refusal;
  }

  /** Throws 429 when the address used up its failures in this window. */
  check(address: string): void {
    const entry = this.#current(address);
    if (entry && entry.count >= this.#options.maxFailures) {
      const seconds = Math.max(1, Math.ceil((entry.windowStart + this.#options.windowMs - this.#options.now()) / 1000));
      throw new GatewayError('TooManyFailedAuthentications', `Too many requests with a missing or invalid key from this address. Try again in ${seconds} seconds.`, {
        headers: { 'retry-after': String(seconds) },
      });
    }
  }

  recordFailure(address: string): void {
    const now = this.#options.now();
    const entry = this.#current(address);
    if (entry) {
      entry.count++;
      return;
    }
    if (this.#failures.size >= this.#options.maxAddresses) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(address, { count: 1, windowStart: now });
  }

  #current(address: string): { count: number; windowStart: number } | undefined {
    const entry = this.#failures.get(address);
    if (entry && entry.windowStart + this.#options.windowMs <= this.#options.now()) {
      this.#failures.delete(address);
      return undefined;
    }
    return entry;
  }
}
