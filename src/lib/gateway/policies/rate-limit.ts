// Policy: the product's rate limit (calls per fixed window) per subscription, counted in shared storage so
// it holds across instances. Refused calls get 429 with Retry-After; every answer says what is left.
import { GatewayError } from '../../errors.js';
import type { CounterStore } from '../../throttling/counter-store.js';
import { secondsUntil, windowAt, windowEnd } from '../../throttling/windows.js';
import type { Policy } from '../compose.js';

export interface ThrottleOptions {
  counters: CounterStore;
  /** Epoch milliseconds; injected by tests. */
  now?: () => number;
}

export function rateLimit(options: ThrottleOptions): Policy {
  const { counters, now = Date.now } = options;
  return async function rateLimitPolicy(ctx, next) {
    if (!ctx.product || !ctx.caller) throw new Error('rateLimit needs the authenticate and authorize policies before it');
    const limit = ctx.product.rateLimit;
    if (!limit) return next();
    const at = now();
    const window = windowAt(at, limit.renewalPeriod);
    const { admitted, count } = await counters.tryConsume(`rate:${ctx.caller.subscriptionId}`, window, limit.calls);
    const reset = secondsUntil(windowEnd(window), at);
    ctx.responseHeaders['x-ratelimit-limit'] = String(limit.calls);
    ctx.responseHeaders['x-ratelimit-remaining'] = String(Math.max(0, limit.calls - count));
    ctx.responseHeaders['x-ratelimit-reset'] = String(reset);
    if (!admitted) {
      throw new GatewayError('RateLimitExceeded', `Rate limit is exceeded. Try again in ${reset} seconds.`, {
        headers: { 'retry-after': String(reset) },
      });
    }
    await next();
  };
}
