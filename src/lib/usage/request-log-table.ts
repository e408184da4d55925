// The request log in Table storage ("requestlog"): partition = the UTC minute the call ended ("yyyyMMddHHmm", as
// usage), RowKey = (59999 − its millisecond within the minute) | instance | request id, so a partition lists newest
// first and two calls never share a row. Written as upserts in transactions of at most 100 (a flush retried after a
// partial failure rewrites the same rows); read newest first by walking partition ranges backwards; purged by range.
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { GatewayError } from '../errors.js';
import { statusOf, storageUnavailable } from '../storage/errors.js';
import { OUTCOMES, type Outcome } from './call-record.js';
import { minuteKey } from './usage-table.js';
import type { CallsScan, RequestLogEntry, RequestLogStore, TimedEntry } from './request-log.js';

const TRANSACTION_LIMIT = 100; // Table storage's most operations in one batch
/** Entities one read goes through at most: a busy range answers the newest it found, never an unbounded scan. */
const MAX_SCANNED = 50_000;
/** A query over several minutes that returns more than this is dropped and read again a minute at a time. */
const DENSE = 2_000;
/** Empty stretches are read in ever longer ranges, up to this many minutes per query. */
const MAX_SPAN_MINUTES = 360;

/** Table storage holds no nulls: an absent property reads as null. */
type Stored = Omit<RequestLogEntry, 'errorCode' | 'backendMs'> & { errorCode?: string; backendMs?: number };

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

function rowKey(instanceId: string, atMs: number, requestId: string): string {
  const inverted = 59_999 - (((atMs % 60_000) + 60_000) % 60_000);
  return `${String(Math.floor(inverted)).padStart(5, '0')}|${instanceId}|${encodeURIComponent(requestId)}`;
}

function toEntity(instanceId: string, { atMs, entry }: TimedEntry) {
  const { errorCode, backendMs, ...rest } = entry;
  return {
    partitionKey: minuteKey(Math.floor(atMs / 60_000)),
    rowKey: rowKey(instanceId, atMs, entry.requestId),
    ...rest,
    ...(errorCode === null ? {} : { errorCode }),
    ...(backendMs === null ? {} : { backendMs }),
  };
}

/** An entry as stored, or undefined for a row that is not one (listed nowhere rather than listed wrong). */
function fromEntity(e: Partial<Stored>): RequestLogEntry | undefined {
  const numbers = [e.status, e.latencyMs, e.gatewayMs, e.bytesIn, e.bytesOut].map(Number);
  if (typeof e.time !== 'string' || typeof e.requestId !== 'string' || !OUTCOMES.includes(e.outcome as Outcome) || numbers.some((n) => !Number.isFinite(n))) return undefined;
  const [status, latencyMs, gatewayMs, bytesIn, bytesOut] = numbers as [number, number, number, number, number];
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    time: e.time, requestId: e.requestId, subscriptionId: text(e.subscriptionId), productId: text(e.productId),
    operation: text(e.operation) as RequestLogEntry['operation'], workspace: text(e.workspace), service: text(e.service),
    backendKind: text(e.backendKind), status, outcome: e.outcome as Outcome,
    errorCode: typeof e.errorCode === 'string' ? e.errorCode : null,
    latencyMs, backendMs: typeof e.backendMs === 'number' ? e.backendMs : null, gatewayMs, bytesIn, bytesOut,
  };
}

function appendTo<T>(groups: Map<string, T[]>, key: string, item: T): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}

const newestFirst = (a: RequestLogEntry, b: RequestLogEntry) => b.time.localeCompare(a.time) || a.requestId.localeCompare(b.requestId);

export class RequestLogTable implements RequestLogStore {
  readonly #table: () => Promise<TableClient>;

  constructor(table: () => Promise<TableClient>) {
    this.#table = table;
  }

  async append(instanceId: string, entries: readonly TimedEntry[]): Promise<number> {
    const byPartition = new Map<string, ReturnType<typeof toEntity>[]>();
    for (const timed of entries) {
      const entity = toEntity(instanceId, timed);
      appendTo(byPartition, entity.partitionKey, entity);
    }
    return this.#storage(async (table) => {
      let refused = 0;
      for (const entities of byPartition.values()) {
        for (let i = 0; i < entities.length; i += TRANSACTION_LIMIT) {
          const batch = entities.slice(i, i + TRANSACTION_LIMIT);
          try {
            await table.submitTransaction(batch.map((e): TransactionAction => ['upsert', e, 'Replace']));
          } catch (error) {
            // A batch storage refuses as malformed would be refused on every flush: dropped, never retried for ever.
            if (statusOf(error) !== 400) throw error;
            refused += batch.length;
          }
        }
      }
      return refused;
    });
  }

  /**
   * Newest first. A range query lists partitions oldest first, so minutes are read backwards in ranges that grow
   * while they are sparse; a dense one is read a minute at a time, whose rows come newest first (their RowKey).
   */
  async read(scan: CallsScan): Promise<RequestLogEntry[]> {
    return this.#storage(async (table) => {
      const first = Math.floor(scan.from / 60_000);
      let last = Math.ceil(scan.to / 60_000) - 1;
      let span = 1;
      let scanned = 0;
      const found: RequestLogEntry[] = [];
      while (last >= first && found.length < scan.limit && scanned < MAX_SCANNED) {
        const start = Math.max(first, last - span + 1);
        const chunk: RequestLogEntry[] = [];
        let seen = 0;
        let dropped = false;
        // Several minutes come oldest first: their newest are known only at the end, so such a range is read whole.
        const several = start < last;
        for await (const entity of table.listEntities<Stored>({ queryOptions: { filter: this.#filter(start, last, scan) } })) {
          seen++;
          scanned++;
          const entry = fromEntity(entity);
          const at = entry ? Date.parse(entry.time) : NaN;
          if (entry && at >= scan.from && at < scan.to && scan.accept(entry)) chunk.push(entry);
          if (several ? seen > DENSE || scanned >= MAX_SCANNED : found.length + chunk.length >= scan.limit || scanned >= MAX_SCANNED) {
            dropped = several;
            break;
          }
        }
        if (dropped) {
          if (scanned >= MAX_SCANNED) break;
          span = 1;
          continue;
        }
        found.push(...chunk.sort(newestFirst));
        last = start - 1;
        span = seen * 4 < DENSE ? Math.min(span * 2, MAX_SPAN_MINUTES) : 1;
      }
      return found.slice(0, scan.limit);
    });
  }

  async purgeBefore(beforeMs: number, max: number): Promise<number> {
    const filter = `PartitionKey lt ${quoted(minuteKey(Math.floor(beforeMs / 60_000)))}`;
    return this.#storage(async (table) => {
      const byPartition = new Map<string, string[]>();
      let listed = 0;
      for await (const e of table.listEntities({ queryOptions: { filter, select: ['PartitionKey', 'RowKey'] } })) {
        appendTo(byPartition, e.partitionKey!, e.rowKey!);
        if (++listed >= max) break;
      }
      let deleted = 0;
      for (const [partitionKey, rowKeys] of byPartition) {
        for (let i = 0; i < rowKeys.length; i += TRANSACTION_LIMIT) {
          const batch = rowKeys.slice(i, i + TRANSACTION_LIMIT);
          try {
            await table.submitTransaction(batch.map((rk): TransactionAction => ['delete', { partitionKey, rowKey: rk }]));
            deleted += batch.length;
          } catch (error) {
            // Another instance's pass deleted some of them first (the batch fails whole): the next pass takes the rest.
            if (statusOf(error) !== 404) throw error;
          }
        }
      }
      return deleted;
    });
  }

  #filter(firstMinute: number, lastMinute: number, scan: CallsScan): string {
    const clauses = [`PartitionKey ge ${quoted(minuteKey(firstMinute))}`, `PartitionKey le ${quoted(minuteKey(lastMinute))}`];
    if (scan.subscriptionId !== undefined) clauses.push(`subscriptionId eq ${quoted(scan.subscriptionId)}`);
    if (scan.errorsOnly) clauses.push('status ge 400');
    return clauses.join(' and ');
  }

  async #storage<T>(work: (table: TableClient) => Promise<T>): Promise<T> {
    try {
      return await work(await this.#table());
    } catch (error) {
      throw error instanceof GatewayError ? error : storageUnavailable(error);
    }
  }
}
