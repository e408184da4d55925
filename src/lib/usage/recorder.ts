// Per-instance usage aggregation: recording a call is a few Map operations in memory; a flush (every
// USAGE_FLUSH_SECONDS, on demand, and at shutdown) writes this instance's running totals per minute as rows
// it alone owns, then whatever else waits for the same flush (the request log). Totals only grow and flushes run one at a time, so every write is a complete, newer state.
import { Histogram } from './histogram.js';
import { serviceOf, type UsageSample } from './call-record.js';
import type { UsageRow, UsageSink } from './usage-table.js';

export interface RecorderOptions {
  sink: UsageSink;
  /** Unique per process: its rows are its own, and a restarted process must not overwrite its predecessor's. */
  instanceId: string;
  flushIntervalMs: number;
  now?: () => number;
  /** Where a failed background flush or dropped data is reported. */
  warn?: (message: string) => void;
  /** Minutes kept while storage is unreachable; older ones are dropped (and reported) to bound memory. */
  maxPendingMinutes?: number;
  /** Written by every flush too, after the usage rows (the request log): one timer, one shutdown flush. */
  alsoFlush?: { flush(): Promise<unknown> };
}

export interface FlushResult {
  instanceId: string;
  /** Rows written. */
  rows: number;
  /** Minutes still held in memory after the flush (the current one at least, until it is over). */
  pendingMinutes: number;
}

type Dimensions = Pick<UsageRow, 'subscriptionId' | 'productId' | 'operation' | 'outcome' | 'backendKind' | 'service' | 'status'>;

interface Cell {
  dimensions: Dimensions;
  calls: number;
  bytesIn: number;
  bytesOut: number;
  latency: Histogram;
  latencyMsSum: number;
  backendCalls: number;
  backendMsSum: number;
  /** `calls` as last written: a cell is dirty while they differ (calls only grow). */
  flushedCalls: number;
}

const live = new Set<UsageRecorder>();

/** Flushes every recorder of this process and stops its timer (the Functions appTerminate hook). */
export async function closeAllRecorders(): Promise<void> {
  await Promise.allSettled([...live].map((r) => r.close()));
}

export class UsageRecorder {
  readonly instanceId: string;
  readonly #sink: UsageSink;
  readonly #now: () => number;
  readonly #warn: (message: string) => void;
  readonly #flushIntervalMs: number;
  readonly #maxPendingMinutes: number;
  readonly #alsoFlush: RecorderOptions['alsoFlush'];
  /** Epoch minute → (dimension key → cell), in time order. */
  readonly #minutes = new Map<number, Map<string, Cell>>();
  #latestMinute = -Infinity;
  #latestCells: Map<string, Cell> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #flushing: Promise<unknown> = Promise.resolve();

  constructor(options: RecorderOptions) {
    this.instanceId = options.instanceId;
    this.#sink = options.sink;
    this.#now = options.now ?? Date.now;
    this.#warn = options.warn ?? ((message) => console.warn(message));
    this.#flushIntervalMs = options.flushIntervalMs;
    this.#maxPendingMinutes = options.maxPendingMinutes ?? 180;
    this.#alsoFlush = options.alsoFlush;
  }

  record(sample: UsageSample): void {
    // Minutes never go back (a clock step backwards counts in the current one): a minute that was flushed and
    // dropped is never reopened, whose fresh totals would overwrite the row already written.
    const minute = Math.max(Math.floor(this.#now() / 60_000), this.#latestMinute);
    let cells = minute === this.#latestMinute ? this.#latestCells : undefined;
    if (!cells) cells = this.#openMinute(minute);
    const service = serviceOf(sample);
    const key = `${sample.subscriptionId}|${sample.productId}|${sample.operation}|${sample.outcome}|${sample.backendKind}|${service}|${sample.status}`;
    let cell = cells.get(key);
    if (!cell) {
      const { subscriptionId, productId, operation, outcome, backendKind, status } = sample;
      const dimensions = { subscriptionId, productId, operation, outcome, backendKind, service, status };
      cell = { dimensions, calls: 0, bytesIn: 0, bytesOut: 0, latency: new Histogram(), latencyMsSum: 0, backendCalls: 0, backendMsSum: 0, flushedCalls: 0 };
      cells.set(key, cell);
    }
    cell.calls++;
    cell.bytesIn += sample.bytesIn;
    cell.bytesOut += sample.bytesOut;
    cell.latency.add(sample.latencyMs);
    cell.latencyMsSum += sample.latencyMs;
    if (sample.backendMs !== null) {
      cell.backendCalls++;
      cell.backendMsSum += sample.backendMs;
    }
  }

  /** Writes what changed since the last flush; rejects (after trying every minute) if a write failed. */
  flush(): Promise<FlushResult> {
    const run = this.#flushing.then(() => this.#flushOnce());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and flushes; later calls are still counted and written by later flushes. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    live.delete(this);
    await this.flush();
  }

  #openMinute(minute: number): Map<string, Cell> {
    const cells = new Map<string, Cell>();
    this.#minutes.set(minute, cells);
    this.#latestMinute = minute;
    this.#latestCells = cells;
    for (const [old, oldCells] of this.#minutes) {
      if (this.#minutes.size <= this.#maxPendingMinutes) break;
      this.#minutes.delete(old);
      const lost = [...oldCells.values()].reduce((sum, c) => sum + c.calls - c.flushedCalls, 0);
      if (lost > 0) this.#warn(`usage: storage unreachable for ${this.#maxPendingMinutes} minutes; ${lost} calls of minute ${new Date(old * 60_000).toISOString()} not recorded`);
    }
    if (!this.#timer && !this.#closed) {
      this.#timer = setInterval(() => this.flush().catch((e: unknown) => this.#warn(`usage flush failed: ${(e as Error).message}`)), this.#flushIntervalMs);
      this.#timer.unref(); // pending usage never keeps a process alive; shutdown flushes it
      live.add(this);
    }
    return cells;
  }

  async #flushOnce(): Promise<FlushResult> {
    let written = 0;
    let failure: unknown;
    for (const [minute, cells] of [...this.#minutes]) {
      const dirty = [...cells.values()].filter((c) => c.calls !== c.flushedCalls);
      if (dirty.length > 0) {
        // Snapshot before awaiting: calls recorded during the write leave their cell dirty for the next flush.
        const rows = dirty.map((c) => this.#toRow(minute, c));
        try {
          await this.#sink.upsert(minute, rows);
          dirty.forEach((cell, i) => (cell.flushedCalls = rows[i]!.calls));
          written += rows.length;
        } catch (error) {
          failure ??= error;
          continue;
        }
      }
      const done = [...cells.values()].every((c) => c.calls === c.flushedCalls);
      if (done && minute < this.#latestMinute) this.#minutes.delete(minute);
    }
    try {
      await this.#alsoFlush?.flush();
    } catch (error) {
      failure ??= error;
    }
    if (failure !== undefined) throw failure;
    return { instanceId: this.instanceId, rows: written, pendingMinutes: this.#minutes.size };
  }

  #toRow(minute: number, cell: Cell): UsageRow {
    return {
      minute, instanceId: this.instanceId, ...cell.dimensions,
      calls: cell.calls, bytesIn: cell.bytesIn, bytesOut: cell.bytesOut, latency: cell.latency.encode(),
      latencyMsSum: cell.latencyMsSum, backendCalls: cell.backendCalls, backendMsSum: cell.backendMsSum,
    };
  }
}
