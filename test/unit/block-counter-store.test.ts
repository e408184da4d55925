// Allowance blocks: several instances drawing on one exact window counter never admit more than the limit
// together, most calls touch no storage, and small limits keep the per-call path.
import { describe, expect, it } from 'vitest';
import { BlockCounterStore, type Claimer } from '../../src/lib/throttling/block-counter-store.js';
import { windowKey, type Window } from '../../src/lib/throttling/windows.js';

/** An exact shared counter, like the Table row: claims are atomic and never pass the limit. */
class SharedCounter implements Claimer {
  counts = new Map<string, number>();
  claims = 0;
  consumes = 0;
  async tryClaim(scope: string, window: Window, limit: number, want: (count: number) => number) {
    await Promise.resolve();
    this.claims++;
    const key = `${scope}|${windowKey(window)}`;
    const current = this.counts.get(key) ?? 0;
    if (current >= limit) return { granted: 0, count: current };
    const granted = Math.max(1, Math.min(Math.floor(want(current)), limit - current));
    this.counts.set(key, current + granted);
    return { granted, count: current + granted };
  }
  async tryConsume(scope: string, window: Window, limit: number) {
    this.consumes++;
    const { granted, count } = await this.tryClaim(scope, window, limit, () => 1);
    return { admitted: granted > 0, count };
  }
}

const window: Window = { start: 0, periodSeconds: 60 };

describe('BlockCounterStore', () => {
  it('three instances with concurrent calls admit exactly the limit, with few storage claims', async () => {
    const shared = new SharedCounter();
    const instances = [0, 1, 2].map(() => new BlockCounterStore(shared));
    const results = await Promise.all(
      Array.from({ length: 12_000 }, (_, i) => instances[i % 3]!.tryConsume('rate:s1', window, 10_000)),
    );
    expect(results.filter((r) => r.admitted)).toHaveLength(10_000);
    expect(shared.counts.get(`rate:s1|${windowKey(window)}`)).toBe(10_000);
    expect(shared.claims).toBeLessThan(300); // vs 12,000 with a write per call
  });

  it('shares the tail of the window out in ever smaller blocks, so little allowance is stranded', async () => {
    const shared = new SharedCounter();
    const a = new BlockCounterStore(shared);
    const b = new BlockCounterStore(shared);
    let admittedA = 0;
    for (let i = 0; i < 990; i++) if ((await a.tryConsume('s', window, 1_000)).admitted) admittedA++;
    // a claimed ahead of its use; b can still get what a has not claimed.
    let admittedB = 0;
    for (let i = 0; i < 1_000; i++) if ((await b.tryConsume('s', window, 1_000)).admitted) admittedB++;
    expect(admittedA).toBe(990);
    expect(admittedA + admittedB).toBeLessThanOrEqual(1_000);
    expect(admittedB).toBeGreaterThan(0);
  });

  it('starts afresh in a new window', async () => {
    const shared = new SharedCounter();
    const store = new BlockCounterStore(shared);
    for (let i = 0; i < 1_000; i++) await store.tryConsume('s', window, 1_000);
    expect((await store.tryConsume('s', window, 1_000)).admitted).toBe(false);
    expect((await store.tryConsume('s', { start: 60_000, periodSeconds: 60 }, 1_000)).admitted).toBe(true);
  });

  it('counts small limits call by call', async () => {
    const shared = new SharedCounter();
    const store = new BlockCounterStore(shared);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.tryConsume('s', window, 5)));
    expect(results.filter((r) => r.admitted)).toHaveLength(5);
    expect(shared.consumes).toBe(8);
  });
});
