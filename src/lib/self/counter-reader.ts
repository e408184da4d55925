// Read-only view of the throttling counters: the same rows the rate-limit and quota policies write (one per
// scope and window: PartitionKey `rate:<subscriptionId>` or `quota:<subscriptionId>`, RowKey windowKey(window)),
// read with one point read and never written, so looking never spends a call.
//
// Exactness: below BlockCounterStore's minLimit (1,000 calls) every admitted call adds 1 to the row, so the row's
// count is the calls admitted in the window. At or above it, instances claim allowance in blocks (at most 1% of the
// limit, 1,000 calls), so the row counts what was claimed: at most the calls admitted plus each instance's unused
// block — `exact: false` says so.
import type { TableClient } from '@azure/data-tables';
import { GatewayError } from '../errors.js';
import { statusOf, storageUnavailable } from '../storage/errors.js';
import { windowAt, windowEnd, windowKey } from '../throttling/windows.js';
import type { Limit } from '../contracts/products.js';

/** BlockCounterStore's default minLimit: below it counts are per call (exact). */
const BLOCK_MIN_LIMIT = 1_000;

export interface WindowUsage {
  /** Calls counted in the current window (admitted calls; refused ones are not counted). */
  calls: number;
  limit: number;
  /** The window's length in seconds. */
  renewalPeriod: number;
  /** When the current window started and when it renews (UTC ISO 8601). */
  startedAt: string;
  renewsAt: string;
  remaining: number;
  /** false when the limit is counted in claimed blocks (≥ 1,000 calls): `calls` may exceed the calls admitted. */
  exact: boolean;
}

export class CounterReader {
  readonly #table: () => Promise<TableClient>;

  constructor(table: () => Promise<TableClient>) {
    this.#table = table;
  }

  /** The current window of `kind` for the subscription, as the throttling policies count it. */
  async window(kind: 'rate' | 'quota', subscriptionId: string, limit: Limit, nowMs: number): Promise<WindowUsage> {
    const window = windowAt(nowMs, limit.renewalPeriod);
    const calls = await this.#count(`${kind}:${subscriptionId}`, windowKey(window));
    return {
      calls,
      limit: limit.calls,
      renewalPeriod: limit.renewalPeriod,
      startedAt: new Date(window.start).toISOString(),
      renewsAt: new Date(windowEnd(window)).toISOString(),
      remaining: Math.max(0, limit.calls - calls),
      exact: limit.calls < BLOCK_MIN_LIMIT,
    };
  }

  async #count(scope: string, rowKey: string): Promise<number> {
    try {
      const entity = await (await this.#table()).getEntity<{ count: unknown }>(scope, rowKey);
      return typeof entity.count === 'number' && Number.isInteger(entity.count) ? entity.count : 0;
    } catch (error) {
      if (statusOf(error) === 404) return 0; // nothing counted in this window yet
      throw error instanceof GatewayError ? error : storageUnavailable(error);
    }
  }
}
