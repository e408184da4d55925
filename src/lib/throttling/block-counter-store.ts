// Exact counters off the per-call path for high limits: an instance claims a block of the window's remaining
// allowance with one conditional write and admits calls from it in memory. Claims never exceed the limit, so N
// instances together still never admit more than it; most calls touch no storage. The price: allowance an
// instance claimed but did not use is lost to the others until the window ends, so blocks shrink as the
// window fills, and limits below `minLimit` keep the exact per-call path.
import type { ClaimResult, ConsumeResult, CounterStore } from './counter-store.js';
import { windowKey, type Window } from './windows.js';

export interface Claimer extends CounterStore {
  tryClaim(scope: string, window: Window, limit: number, want: (count: number) => number): Promise<ClaimResult>;
}

export interface BlockCounterOptions {
  /** Limits below this are counted call by call. Default 1,000. */
  minLimit?: number;
  /** A block is at most this share of the limit… Default 1%. */
  blockShare?: number;
  /** …and at most this many calls. Default 1,000. */
  maxBlock?: number;
  /** A block is at most 1/`tailDivisor` of what is left, so the tail of a window is shared out finely. Default 8. */
  tailDivisor?: number;
}

interface Block {
  rowKey: string;
  left: number;
  /** The window's count as of this instance's last claim. */
  claimed: number;
}

export class BlockCounterStore implements CounterStore {
  readonly #inner: Claimer;
  readonly #options: Required<BlockCounterOptions>;
  readonly #blocks = new Map<string, Block>();
  readonly #claims = new Map<string, Promise<void>>();

  constructor(inner: Claimer, options: BlockCounterOptions = {}) {
    this.#inner = inner;
    this.#options = { minLimit: 1_000, blockShare: 0.01, maxBlock: 1_000, tailDivisor: 8, ...options };
  }

  async tryConsume(scope: string, window: Window, limit: number): Promise<ConsumeResult> {
    if (limit < this.#options.minLimit) return this.#inner.tryConsume(scope, window, limit);
    const rowKey = windowKey(window);
    for (;;) {
      const block = this.#blocks.get(scope);
      if (block && block.rowKey === rowKey && block.left > 0) {
        block.left--;
        return { admitted: true, count: block.claimed - block.left };
      }
      if (block && block.rowKey === rowKey && block.claimed >= limit) return { admitted: false, count: block.claimed };
      // One claim in flight per scope; calls arriving meanwhile wait for it and then draw from the new block.
      let claim = this.#claims.get(scope);
      if (!claim) {
        claim = this.#claim(scope, window, rowKey, limit).finally(() => this.#claims.delete(scope));
        this.#claims.set(scope, claim);
      }
      await claim;
      const after = this.#blocks.get(scope);
      if (after && after.rowKey === rowKey && after.left === 0 && after.claimed >= limit) return { admitted: false, count: after.claimed };
    }
  }

  async #claim(scope: string, window: Window, rowKey: string, limit: number): Promise<void> {
    const { blockShare, maxBlock, tailDivisor } = this.#options;
    const base = Math.max(1, Math.min(maxBlock, Math.floor(limit * blockShare)));
    const { granted, count } = await this.#inner.tryClaim(scope, window, limit, (current) =>
      Math.max(1, Math.min(base, Math.floor((limit - current) / tailDivisor))),
    );
    if (this.#blocks.size >= 10_000 && !this.#blocks.has(scope)) this.#blocks.clear(); // bounded; a lost block only wastes allowance
    this.#blocks.set(scope, { rowKey, left: granted, claimed: granted > 0 ? count : limit });
  }
}
