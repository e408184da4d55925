// Policy: the product's call-volume quota per subscription, a long fixed window counted in shared storage.
// Exhausted → 403 QuotaExceeded saying when it renews, as APIM answers; every answer says what is left.
import { GatewayError } from '../../errors.js';
import { formatDuration, secondsUntil, windowAt, windowEnd } from '../../throttling/windows.js';
import type { Policy } from '../compose.js';
import type { ThrottleOptions } from './rate-limit.js';

export function quota(options: ThrottleOptions): Policy {
  const { counters, now = Date.now } = options;
  return async function quotaPolicy(ctx, next) {
    if (!ctx.product || !ctx.caller) throw new Error('quota needs the authenticate and authorize policies before it');
    const limit = ctx.product.quota;
    if (!limit) return next();
    const at = now();
    const window = windowAt(at, limit.renewalPeriod);
    const { admitted, count } = await counters.tryConsume(`quota:${ctx.caller.subscriptionId}`, window, limit.calls);
    const renewal = new Date(windowEnd(window)).toISOString();
    ctx.responseHeaders['x-quota-limit'] = String(limit.calls);
    ctx.responseHeaders['x-quota-remaining'] = String(Math.max(0, limit.calls - count));
    ctx.responseHeaders['x-quota-renewal'] = renewal;
    if (!admitted) {
      const wait = secondsUntil(windowEnd(window), at);
      throw new GatewayError('QuotaExceeded', `Out of call volume quota. Quota will be replenished at ${renewal} (in ${formatDuration(wait)}).`, {
        headers: { 'retry-after': String(wait) },
        details: [{ code: 'QuotaExceeded', target: 'quota', message: `renews at ${renewal}` }],
      });
    }
    await next();
  };
}
