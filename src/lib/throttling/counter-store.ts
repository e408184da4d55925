// Exact call counters shared by every facade instance: one Azure Table row per (scope, window), changed only
// by ETag-conditional writes, so N instances together never admit more than the limit and a restart forgets nothing.
import type { TableClient } from '@azure/data-tables';
import { GatewayError } from '../errors.js';
import { statusOf, storageUnavailable } from '../storage/errors.js';
import { windowKey, type Window } from './windows.js';

export interface ConsumeResult {
  admitted: boolean;
  /** The window's count after this call, or the current count if refused. */
  count: number;
}

export interface ClaimResult {
  /** How much of the allowance was claimed: 0 (the window is full) up to what was wanted. */
  granted: number;
  /** The window's count after the claim (or the current count when nothing was granted). */
  count: number;
}

/**
 * The only thing the throttling policies call: atomically add 1 iff the count stays ≤ limit.
 * Seam for issue 6: a store that leases blocks of the remaining allowance (one conditional write per block,
 * most calls touching no storage) implements this same interface around the table.
 */
export interface CounterStore {
  tryConsume(scope: string, window: Window, limit: number): Promise<ConsumeResult>;
}

export interface TableCounterStoreOptions {
  /** Conditional-write attempts before refusing with a 503 (fail closed). Default 100. */
  maxAttempts?: number;
  /** Retry n waits a random 0..min(n × jitterMs, 50) ms, so contenders stop colliding in lockstep. Default 5. */
  jitterMs?: number;
  /** Queue this instance's calls per scope so they do not race each other's ETags. Default true. */
  queuePerScope?: boolean;
}

/** For measurements and tests. */
export interface CounterStats { reads: number; writes: number; conflicts: number; localRefusals: number; exhausted: number }

interface RowState { rowKey: string; count: number; etag: string }

// Table keys may not contain / \ # ? or control characters; PartitionKey is at most 1 KiB.
const SAFE_SCOPE = /^[^/\\#?\u0000-\u001f\u007f-\u009f]{1,256}$/;
const MAX_REMEMBERED = 10_000;

export class TableCounterStore implements CounterStore {
  readonly stats: CounterStats = { reads: 0, writes: 0, conflicts: 0, localRefusals: 0, exhausted: 0 };
  private readonly maxAttempts: number;
  private readonly jitterMs: number;
  private readonly queuePerScope: boolean;
  private readonly tails = new Map<string, Promise<unknown>>();
  // The last row state this instance saw per scope. Within a window a count only grows, so a remembered
  // count ≥ limit is a safe refusal with no storage call; a remembered ETag lets the next write skip the read.
  private readonly lastSeen = new Map<string, RowState>();

  constructor(private readonly table: () => Promise<TableClient>, options: TableCounterStoreOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 100;
    this.jitterMs = options.jitterMs ?? 5;
    this.queuePerScope = options.queuePerScope ?? true;
  }

  async tryConsume(scope: string, window: Window, limit: number): Promise<ConsumeResult> {
    const { granted, count } = await this.tryClaim(scope, window, limit, () => 1);
    return { admitted: granted > 0, count };
  }

  /**
   * Atomically adds to the window's count as much as `want(current count)` asks for, cut to what is left of
   * the limit: the building block of per-instance allowance blocks (see BlockCounterStore).
   */
  tryClaim(scope: string, window: Window, limit: number, want: (count: number) => number): Promise<ClaimResult> {
    if (!SAFE_SCOPE.test(scope)) return Promise.reject(new TypeError(`counter scope not usable as a table key: ${JSON.stringify(scope)}`));
    if (!this.queuePerScope) return this.consume(scope, windowKey(window), limit, want);
    const run = (this.tails.get(scope) ?? Promise.resolve()).then(() => this.consume(scope, windowKey(window), limit, want));
    const tail = run.catch(() => undefined);
    this.tails.set(scope, tail);
    void tail.then(() => { if (this.tails.get(scope) === tail) this.tails.delete(scope); });
    return run;
  }

  private async consume(scope: string, rowKey: string, limit: number, want: (count: number) => number): Promise<ClaimResult> {
    const seen = this.lastSeen.get(scope);
    let row: RowState | null | undefined = seen?.rowKey === rowKey ? seen : undefined;
    if (row && row.count >= limit) {
      this.stats.localRefusals++;
      return { granted: 0, count: row.count };
    }
    try {
      const client = await this.table();
      for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
        const fromMemory = row !== undefined && attempt === 1;
        if (row === undefined) row = await this.read(client, scope, rowKey);
        const current = row?.count ?? 0;
        if (current >= limit) {
          if (row) this.remember(scope, row);
          return { granted: 0, count: current };
        }
        const granted = Math.max(1, Math.min(Math.floor(want(current)), limit - current));
        const count = current + granted;
        const etag = await this.write(client, scope, rowKey, count, row?.etag);
        if (etag !== undefined) {
          this.remember(scope, { rowKey, count, etag });
          return { granted, count };
        }
        // Someone else wrote first: re-read. A stale remembered ETag is not contention, so no wait for it.
        this.stats.conflicts++;
        row = undefined;
        if (!fromMemory) await delay(Math.random() * Math.min(attempt * this.jitterMs, 50));
      }
    } catch (error) {
      throw error instanceof GatewayError ? error : storageUnavailable(error);
    }
    // Fail closed: undecided means refused, never admitted beyond the limit.
    this.stats.exhausted++;
    throw new GatewayError('CountersBusy', 'The call counters are too busy to decide; try again shortly.', {
      headers: { 'retry-after': '1' },
    });
  }

  private async read(client: TableClient, scope: string, rowKey: string): Promise<RowState | null> {
    this.stats.reads++;
    try {
      const entity = await client.getEntity<{ count: unknown }>(scope, rowKey);
      if (typeof entity.count !== 'number' || !Number.isInteger(entity.count)) throw new Error(`counter ${scope}/${rowKey} is corrupt`);
      return { rowKey, count: entity.count, etag: entity.etag };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** The new ETag, or undefined when another writer got there first. */
  private async write(client: TableClient, scope: string, rowKey: string, count: number, etag: string | undefined): Promise<string | undefined> {
    this.stats.writes++;
    const entity = { partitionKey: scope, rowKey, count };
    try {
      // Old windows' rows stay behind (a few bytes each); every row's Timestamp is inside its window, so a
      // sweep may delete rows whose Timestamp is older than the longest period (366 days).
      const response = etag === undefined ? await client.createEntity(entity) : await client.updateEntity(entity, 'Replace', { etag });
      if (!response.etag) throw new Error('table storage answered without an ETag');
      return response.etag;
    } catch (error) {
      const status = statusOf(error);
      // 409: created meanwhile; 412: changed meanwhile; 404: deleted meanwhile.
      if (status === 409 || status === 412 || status === 404) return undefined;
      throw error;
    }
  }

  private remember(scope: string, row: RowState): void {
    if (this.lastSeen.size >= MAX_REMEMBERED && !this.lastSeen.has(scope)) this.lastSeen.clear();
    this.lastSeen.set(scope, row);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
