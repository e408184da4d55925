// Rate limit and quota policies on an in-memory counter store with an injected clock: the starter product's
// 5 calls / 60 s and 100 calls / 7 days, the exact window boundaries, and the headers every answer carries.
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { compose, type Policy } from '../../src/lib/gateway/compose.js';
import type { GatewayContext } from '../../src/lib/gateway/context.js';
import { gatewayHandler } from '../../src/lib/gateway/handler.js';
import { rateLimit } from '../../src/lib/gateway/policies/rate-limit.js';
import { quota } from '../../src/lib/gateway/policies/quota.js';
import { BUILT_IN_PRODUCTS, type Product } from '../../src/lib/contracts/products.js';
import { GatewayError } from '../../src/lib/errors.js';
import { MemoryCounterStore } from './helpers/memory-counter-store.js';
import { formatDuration, secondsUntil, windowAt, windowEnd, windowKey } from '../../src/lib/throttling/windows.js';

const starter = BUILT_IN_PRODUCTS.find((p) => p.id === 'starter')!;
const unlimited = BUILT_IN_PRODUCTS.find((p) => p.id === 'unlimited')!;
const WEEK = 7 * 24 * 3600;
const WEEK_START = windowAt(Date.UTC(2025, 0, 8), WEEK).start; // also a minute boundary

function setup(product: Product = starter, start = WEEK_START) {
  const clock = { t: start };
  const store = new MemoryCounterStore();
  const now = () => clock.t;
  const caller: Policy = async (ctx, next) => {
    ctx.caller = { subscriptionId: 'sub1', subscriptionName: 'demo', productId: product.id, state: 'active' };
    ctx.product = product;
    await next();
  };
  let reached = 0;
  const ok: Policy = async (ctx) => { reached++; ctx.response = { status: 200, body: '{}' }; };
  const pipeline = compose([caller, rateLimit({ counters: store, now }), quota({ counters: store, now }), ok]);
  const handler = gatewayHandler('rrs.execute', () => pipeline);
  async function call(): Promise<{ status: number; headers: Record<string, string>; body: any }> {
    const request = new HttpRequest({ method: 'POST', url: 'http://facade/x', params: { workspace: 'ws', service: 'svc' } });
    const res: HttpResponseInit = await handler(request, new InvocationContext());
    return { status: res.status ?? 200, headers: (res.headers ?? {}) as Record<string, string>, body: res.body ? JSON.parse(String(res.body)) : undefined };
  }
  return { clock, store, call, reached: () => reached };
}

describe('windows', () => {
  it('aligns fixed windows to the epoch; an instant on the boundary opens the next window', () => {
    expect(windowAt(59_999, 60)).toEqual({ start: 0, periodSeconds: 60 });
    expect(windowAt(60_000, 60)).toEqual({ start: 60_000, periodSeconds: 60 });
    expect(windowEnd(windowAt(60_000, 60))).toBe(120_000);
    expect(windowKey(windowAt(90_000, 60))).toBe('60-60000');
    expect(() => windowAt(0, 0)).toThrow(RangeError);
    expect(() => windowAt(0, 1.5)).toThrow(RangeError);
  });

  it('rounds waits up to whole seconds, at least 1, and prints durations as TimeSpan does', () => {
    expect(secondsUntil(60_000, 0)).toBe(60);
    expect(secondsUntil(60_000, 59_999)).toBe(1);
    expect(secondsUntil(60_000, 58_999)).toBe(2);
    expect(secondsUntil(60_000, 60_000)).toBe(1);
    expect(formatDuration(0)).toBe('00:00:00');
    expect(formatDuration(3661)).toBe('01:01:01');
    expect(formatDuration(WEEK - 1)).toBe('6.23:59:59');
  });
});

describe('rateLimit (starter: 5 calls per 60 s)', () => {
  it('admits five, answers the sixth 429 with Retry-After from the clock, and admits again in the next window', async () => {
    const s = setup(starter, WEEK_START + 10_500);
    for (let i = 1; i <= 5; i++) {
      const res = await s.call();
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(5 - i));
      expect(res.headers['x-ratelimit-reset']).toBe('50');
    }
    const refused = await s.call();
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('TooManyRequests');
    expect(refused.body.error.details[0].code).toBe('RateLimitExceeded');
    expect(refused.body.error.message).toBe('Rate limit is exceeded. Try again in 50 seconds.');
    expect(refused.headers['retry-after']).toBe('50');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(refused.headers['x-ms-request-id']).toBeTruthy();
    expect(s.reached()).toBe(5);

    s.clock.t = WEEK_START + 59_999;
    expect((await s.call()).headers['retry-after']).toBe('1');
    s.clock.t = WEEK_START + 60_000; // exactly the window end
    const next = await s.call();
    expect(next.status).toBe(200);
    expect(next.headers['x-ratelimit-remaining']).toBe('4');
    expect(next.headers['x-ratelimit-reset']).toBe('60');
  });

  it('Retry-After is always between 1 and 60 and a call made that many seconds later passes', async () => {
    for (const offset of [0, 1, 999, 30_000, 59_000, 59_001, 59_999]) {
      const s = setup(starter, WEEK_START + 600_000 + offset);
      for (let i = 0; i < 5; i++) await s.call();
      const refused = await s.call();
      const wait = Number(refused.headers['retry-after']);
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect(wait).toBe(Math.ceil((60_000 - offset) / 1000));
      s.clock.t += wait * 1000;
      expect((await s.call()).status).toBe(200);
    }
  });

  it('a call refused by the rate limit does not spend quota', async () => {
    const s = setup();
    for (let i = 0; i < 8; i++) await s.call();
    expect(s.store.counts.get(`quota:sub1\n${windowKey(windowAt(WEEK_START, WEEK))}`)).toBe(5);
  });
});

describe('quota (starter: 100 calls per 7 days)', () => {
  it('the 101st call in the period gets 403 QuotaExceeded naming the renewal time; the next period admits again', async () => {
    const s = setup();
    for (let i = 1; i <= 100; i++) {
      s.clock.t = WEEK_START + i * 61_000; // one call a minute or so: never rate limited
      const res = await s.call();
      expect(res.status).toBe(200);
      expect(res.headers['x-quota-remaining']).toBe(String(100 - i));
    }
    s.clock.t = WEEK_START + 3 * 24 * 3600_000;
    const refused = await s.call();
    const renewal = new Date(WEEK_START + WEEK * 1000).toISOString();
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('Forbidden');
    expect(refused.body.error.message).toBe(`Out of call volume quota. Quota will be replenished at ${renewal} (in 4.00:00:00).`);
    expect(refused.body.error.details).toEqual([{ code: 'QuotaExceeded', target: 'quota', message: `renews at ${renewal}` }]);
    expect(refused.headers['retry-after']).toBe(String(4 * 24 * 3600));
    expect(refused.headers['x-quota-limit']).toBe('100');
    expect(refused.headers['x-quota-remaining']).toBe('0');
    expect(refused.headers['x-quota-renewal']).toBe(renewal);
    expect(refused.headers['x-ratelimit-limit']).toBe('5');

    s.clock.t = WEEK_START + WEEK * 1000;
    const renewed = await s.call();
    expect(renewed.status).toBe(200);
    expect(renewed.headers['x-quota-remaining']).toBe('99');
  });
});

describe('products without limits', () => {
  it('never touch the counter store and add no throttling headers', async () => {
    const s = setup(unlimited);
    for (let i = 0; i < 20; i++) expect((await s.call()).status).toBe(200);
    expect(s.store.calls).toBe(0);
    expect(Object.keys((await s.call()).headers).filter((h) => /ratelimit|quota/.test(h))).toEqual([]);
  });

  it('a policy without a product before it is a wiring bug, not a caller error', async () => {
    const ctx = { responseHeaders: {} } as GatewayContext;
    const error = await rateLimit({ counters: new MemoryCounterStore() })(ctx, async () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(GatewayError);
  });
});
