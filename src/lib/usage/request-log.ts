// The request log: finished calls, one entry each (ids, names, numbers — never a key or a body), so the owner and
// each subscriber can find a call by the x-ms-request-id they were given. Recording is an array push; entries are
// written on the usage flush (same timer, same shutdown flush: the recorder's alsoFlush) to the "requestlog" table,
// and entries older than REQUEST_LOG_HOURS are deleted by the flushing instance.
// It is a log of recent calls, not a count (usage counts every call): between two flushes an instance keeps at most
// ERRORS_PER_FLUSH error answers and OTHERS_PER_FLUSH others. Under load an entity per call would cost more than
// the call (a bench at 5,000 calls/s spent 10× the gateway's CPU in the storage emulator, and a minute partition
// takes at most 2,000 entities/s in Azure), so the rest are skipped and counted; errors, which people come looking
// for, get most of the room.
import { callFacts, type Outcome, type UsageCall } from './call-record.js';
import type { Operation } from '../contracts/operations.js';

export interface RequestLogEntry {
  /** When the call ended (UTC ISO 8601). */
  time: string;
  requestId: string;
  subscriptionId: string;
  productId: string;
  operation: Operation;
  workspace: string;
  service: string;
  backendKind: string;
  status: number;
  outcome: Outcome;
  errorCode: string | null;
  latencyMs: number;
  backendMs: number | null;
  /** latencyMs less backendMs: the time spent in the facade itself. */
  gatewayMs: number;
  bytesIn: number;
  bytesOut: number;
}

/** An entry with when it ended in epoch ms, which places it in the table. */
export interface TimedEntry {
  atMs: number;
  entry: RequestLogEntry;
}

/** What the log reads back: newest first, at most `limit`, in [from, to), those `accept` takes. */
export interface CallsScan {
  from: number;
  to: number;
  limit: number;
  /** Narrows what storage returns; `accept` still checks every entry. */
  subscriptionId?: string | undefined;
  errorsOnly?: boolean | undefined;
  accept(entry: RequestLogEntry): boolean;
}

export interface RequestLogStore {
  /** Writes the entries; how many storage refused as malformed (dropped: retrying could never succeed). */
  append(instanceId: string, entries: readonly TimedEntry[]): Promise<number>;
  read(scan: CallsScan): Promise<RequestLogEntry[]>;
  /** Deletes at most `max` entries that ended before `beforeMs`; how many it deleted. */
  purgeBefore(beforeMs: number, max: number): Promise<number>;
}

export interface RequestLogOptions {
  store: RequestLogStore;
  instanceId: string;
  /** REQUEST_LOG_HOURS: how long entries are kept; 0 turns the log off (nothing is recorded). */
  hours: number;
  /** Entries held while storage is unreachable; past it the oldest are dropped (one warning). */
  maxPending?: number;
  /** Most entries one retention pass deletes; a pass that finds more goes on at the next flushes. */
  purgeBatch?: number;
  now?: () => number;
  warn?: (message: string) => void;
}

const PURGE_EVERY_MS = 3600_000;
/** Entries kept per instance between two flushes (every USAGE_FLUSH_SECONDS, 15 s by default): ~33 writes/s at most. */
export const ERRORS_PER_FLUSH = 400;
export const OTHERS_PER_FLUSH = 100;

export function entryOf(call: UsageCall, atMs: number): RequestLogEntry {
  return { time: new Date(atMs).toISOString(), ...callFacts(call) };
}

export class RequestLog {
  readonly enabled: boolean;
  readonly #store: RequestLogStore;
  readonly #instanceId: string;
  readonly #retentionMs: number;
  readonly #maxPending: number;
  readonly #purgeBatch: number;
  readonly #now: () => number;
  readonly #warn: (message: string) => void;
  #pending: TimedEntry[] = [];
  /** Entries kept since the last flush began, and calls skipped past the caps. */
  #kept = { errors: 0, others: 0 };
  #skipped = 0;
  #dropping = false;
  #nextPurgeAt = 0;
  #retaining: Promise<void> | undefined;

  constructor(options: RequestLogOptions) {
    this.enabled = options.hours > 0;
    this.#store = options.store;
    this.#instanceId = options.instanceId;
    this.#retentionMs = options.hours * 3600_000;
    this.#maxPending = options.maxPending ?? 5_000;
    this.#purgeBatch = options.purgeBatch ?? 5_000;
    this.#now = options.now ?? Date.now;
    this.#warn = options.warn ?? ((message) => console.warn(message));
  }

  /** Entries waiting for the next flush. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Calls left out since the last flush because the caps were reached (usage still counts them). */
  get skipped(): number {
    return this.#skipped;
  }

  record(call: UsageCall): void {
    if (!this.enabled) return;
    const kind = call.status >= 400 ? 'errors' : 'others';
    if (this.#kept[kind] >= (kind === 'errors' ? ERRORS_PER_FLUSH : OTHERS_PER_FLUSH)) {
      this.#skipped++;
      return;
    }
    this.#kept[kind]++;
    const atMs = this.#now();
    this.#pending.push({ atMs, entry: entryOf(call, atMs) });
    this.#bound();
  }

  /** Writes what waits (called by the usage recorder's flush, which runs one at a time), then retention when due. */
  async flush(): Promise<{ written: number; pending: number }> {
    if (!this.enabled) return { written: 0, pending: 0 };
    const batch = this.#pending;
    this.#pending = [];
    this.#kept = { errors: 0, others: 0 };
    this.#skipped = 0;
    if (batch.length > 0) {
      try {
        const refused = await this.#store.append(this.#instanceId, batch);
        if (refused > 0) this.#warn(`request log: storage refused ${refused} entries; they are dropped`);
      } catch (error) {
        // Kept for the next flush, ahead of what came meanwhile; the bound still holds.
        this.#pending = [...batch, ...this.#pending];
        this.#bound();
        throw error;
      }
    }
    this.#dropping = false;
    // Housekeeping runs beside the flush: a query that flushes first never waits for old entries to go.
    this.#retaining ??= this.#retain().finally(() => (this.#retaining = undefined));
    return { written: batch.length, pending: this.#pending.length };
  }

  /** Newest first; nothing while the log is off. */
  async read(scan: CallsScan): Promise<RequestLogEntry[]> {
    return this.enabled ? this.#store.read(scan) : [];
  }

  #bound(): void {
    const over = this.#pending.length - this.#maxPending;
    if (over <= 0) return;
    this.#pending.splice(0, over);
    if (!this.#dropping) {
      this.#dropping = true;
      this.#warn(`request log: more than ${this.#maxPending} calls wait to be written (storage unreachable?); the oldest are dropped until a flush succeeds`);
    }
  }

  /** A retention pass at most once an hour; one that deleted a full batch goes on at the next flush. */
  async #retain(): Promise<void> {
    const now = this.#now();
    if (now < this.#nextPurgeAt) return;
    this.#nextPurgeAt = now + PURGE_EVERY_MS;
    try {
      const deleted = await this.#store.purgeBefore(now - this.#retentionMs, this.#purgeBatch);
      if (deleted >= this.#purgeBatch) this.#nextPurgeAt = 0;
    } catch (error) {
      // Retention is housekeeping: the flush succeeded, and the next pass catches up.
      this.#warn(`request log: retention failed: ${(error as Error).message}`);
    }
  }
}
