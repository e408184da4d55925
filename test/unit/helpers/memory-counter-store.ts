// An in-process CounterStore for unit tests: the same contract as the table store, no storage, and a
// call count so a test can prove a policy never touched it.
import type { ConsumeResult, CounterStore } from '../../../src/lib/throttling/counter-store.js';
import { windowKey, type Window } from '../../../src/lib/throttling/windows.js';

export class MemoryCounterStore implements CounterStore {
  readonly counts = new Map<string, number>();
  /** How many times tryConsume was called. */
  calls = 0;

  async tryConsume(scope: string, window: Window, limit: number): Promise<ConsumeResult> {
    this.calls++;
    const key = `${scope}\n${windowKey(window)}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= limit) return { admitted: false, count };
    this.counts.set(key, count + 1);
    return { admitted: true, count: count + 1 };
  }
}
