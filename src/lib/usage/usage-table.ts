// Usage rows in Table storage ("usage"): partition = UTC minute "yyyyMMddHHmm", one row per instance and
// (subscription, product, operation, outcome, backend kind, service, status) holding that instance's running totals
// for the minute. Only its own instance ever writes a row, so a flush is a plain upsert: idempotent, no ETag, no read
// first.
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { GatewayError } from '../errors.js';
import { storageUnavailable } from '../storage/errors.js';
import type { Operation } from '../contracts/operations.js';
import { NO_SERVICE, OUTCOMES, type Outcome } from './call-record.js';

export interface UsageRow {
  /** Epoch minute (ms / 60000) the calls completed in. */
  minute: number;
  instanceId: string;
  subscriptionId: string;
  productId: string;
  operation: Operation;
  outcome: Outcome;
  /** Rows written before backends had kinds read as "classic", the only kind there was. */
  backendKind: string;
  /** "workspace/service" (call-record.ts serviceOf); rows written before services were counted read as NO_SERVICE. */
  service: string;
  /** The HTTP status answered; 0 in rows written before statuses were counted. */
  status: number;
  calls: number;
  bytesIn: number;
  bytesOut: number;
  /** Histogram.encode() of the calls' latencies. */
  latency: string;
  /** The calls' latencies added up (ms), for means; 0 in rows written before. */
  latencyMsSum: number;
  /** Calls that waited for a backend (they have a backendMs), and those waits added up (ms). */
  backendCalls: number;
  backendMsSum: number;
}

/** What a recorder needs: replace its own rows of one minute with its current totals. */
export interface UsageSink {
  upsert(minute: number, rows: readonly UsageRow[]): Promise<void>;
}

/** "yyyyMMddHHmm" in UTC: sorts as time does, so a time range is a PartitionKey range. */
export function minuteKey(minute: number): string {
  return new Date(minute * 60_000).toISOString().slice(0, 16).replace(/\D/g, '');
}

function keyMinute(key: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(key);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!) / 60_000 : NaN;
}

const TRANSACTION_LIMIT = 100; // Table storage's most operations in one batch
const COLUMNS = [
  'PartitionKey', 'instanceId', 'subscriptionId', 'productId', 'operation', 'outcome', 'backendKind', 'service', 'status',
  'calls', 'bytesIn', 'bytesOut', 'latency', 'latencyMsSum', 'backendCalls', 'backendMsSum',
];

type StoredRow = Omit<UsageRow, 'minute'>;

export class UsageTable implements UsageSink {
  readonly #table: () => Promise<TableClient>;

  constructor(table: () => Promise<TableClient>) {
    this.#table = table;
  }

  async upsert(minute: number, rows: readonly UsageRow[]): Promise<void> {
    const partitionKey = minuteKey(minute);
    const entities = rows.map(({ minute: _m, ...row }) => ({
      partitionKey,
      // A service name holds '/', which a RowKey may not: encoded (so are '\\', '#' and '?', should one appear).
      rowKey: `${row.instanceId}|${row.subscriptionId}|${row.productId}|${row.operation}|${row.outcome}|${row.backendKind}|${encodeURIComponent(row.service)}|${row.status}`,
      ...row,
    }));
    await this.#storage(async (table) => {
      if (entities.length === 1) return void (await table.upsertEntity(entities[0]!, 'Replace'));
      // Rows of one minute share a partition, so they go in batches: one round trip per 100 rows.
      for (let i = 0; i < entities.length; i += TRANSACTION_LIMIT) {
        const actions = entities.slice(i, i + TRANSACTION_LIMIT).map((e): TransactionAction => ['upsert', e, 'Replace']);
        await table.submitTransaction(actions);
      }
    });
  }

  /** Every instance's rows for the minutes first…last (epoch minutes, inclusive). */
  async read(first: number, last: number): Promise<UsageRow[]> {
    const filter = `PartitionKey ge '${minuteKey(first)}' and PartitionKey le '${minuteKey(last)}'`;
    return this.#storage(async (table) => {
      const rows: UsageRow[] = [];
      for await (const entity of table.listEntities<StoredRow>({ queryOptions: { filter, select: COLUMNS } })) {
        const row = toUsageRow(entity);
        if (row) rows.push(row);
      }
      return rows;
    });
  }

  async #storage<T>(work: (table: TableClient) => Promise<T>): Promise<T> {
    try {
      return await work(await this.#table());
    } catch (error) {
      throw error instanceof GatewayError ? error : storageUnavailable(error);
    }
  }
}

/** A row as stored, or undefined for one that is not (counted nowhere rather than counted wrong). */
function toUsageRow(entity: Partial<StoredRow> & { partitionKey?: string }): UsageRow | undefined {
  const minute = keyMinute(entity.partitionKey ?? '');
  const calls = Number(entity.calls);
  if (!Number.isFinite(minute) || !(calls >= 0) || !OUTCOMES.includes(entity.outcome as Outcome)) return undefined;
  return {
    minute,
    instanceId: String(entity.instanceId ?? ''),
    subscriptionId: String(entity.subscriptionId ?? ''),
    productId: String(entity.productId ?? ''),
    operation: String(entity.operation ?? '') as Operation,
    outcome: entity.outcome as Outcome,
    backendKind: typeof entity.backendKind === 'string' ? entity.backendKind : 'classic',
    service: typeof entity.service === 'string' ? entity.service : NO_SERVICE,
    status: Number(entity.status) || 0,
    calls,
    bytesIn: Number(entity.bytesIn) || 0,
    bytesOut: Number(entity.bytesOut) || 0,
    latency: typeof entity.latency === 'string' ? entity.latency : '',
    latencyMsSum: Number(entity.latencyMsSum) || 0,
    backendCalls: Number(entity.backendCalls) || 0,
    backendMsSum: Number(entity.backendMsSum) || 0,
  };
}
