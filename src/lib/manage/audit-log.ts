// The management audit log: one row per management change (subscriptions, products, catalogue entries, keys,
// states), in Table storage ("audit"), read newest first. A row says who (the admin credential's id: a short
// SHA-256 of the admin key, never the key), what (the operation), on what (the target), when, and how it ended
// (status, and the error code of a refusal). Its details are chosen field by field by each operation and never
// hold a key: a regeneration records which key (primary/secondary), not its value.
//
// One partition; the row key is the inverted time (newest sorts first) with a per-process sequence and a random
// suffix, so a range of time is a range of row keys and a page of `limit` rows is the newest `limit`.
import { createHash, randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { storageUnavailable } from '../storage/errors.js';

const PARTITION = 'audit';
/** Larger than any millisecond instant until the year 2286: inverted times stay 13 digits. */
const MAX_MS = 9_999_999_999_999;
const MAX_DETAILS_CHARACTERS = 16_000;

export const AuditOutcome = z.enum(['success', 'failure']);

export const AuditEntry = z.object({
  id: z.string(),
  /** When the change was answered (UTC ISO 8601). */
  at: z.string(),
  /** Who: the admin credential's id ("admin-key:sha256:<12 hex>"). */
  actor: z.string(),
  /** What, e.g. "subscription.delete". */
  operation: z.string(),
  /** On what, e.g. "subscriptions/<id>", "products/<id>", "catalogue/<workspace>/<service>". */
  target: z.string(),
  outcome: AuditOutcome,
  /** The HTTP status answered. */
  status: z.number().int(),
  /** The specific error code of a refusal or failure. */
  errorCode: z.string().optional(),
  /** The request id (x-ms-request-id) of the management call. */
  requestId: z.string(),
  /** What changed, as the operation tells it (never a key). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'> & { at?: Date };

/** The admin credential's id: enough to tell admin keys apart (e.g. across a rotation), useless to find the key. */
export function adminActor(adminKey: string): string {
  return `admin-key:sha256:${createHash('sha256').update(adminKey, 'utf8').digest('hex').slice(0, 12)}`;
}

const inverted = (ms: number) => String(MAX_MS - ms).padStart(13, '0');

export interface AuditQuery {
  /** Epoch ms, inclusive; undefined: from the first entry. */
  from?: number;
  /** Epoch ms, inclusive. */
  to: number;
  limit: number;
}

export class AuditLog {
  readonly #table: () => Promise<TableClient>;
  #sequence = 0;

  constructor(table: () => Promise<TableClient>) {
    this.#table = table;
  }

  async record(entry: NewAuditEntry): Promise<AuditEntry> {
    const at = entry.at ?? new Date();
    // Within one millisecond of one process, later rows sort first too (inverted sequence).
    const sequence = String(999_999 - (this.#sequence++ % 1_000_000)).padStart(6, '0');
    const id = `${inverted(at.getTime())}-${sequence}-${randomBytes(4).toString('hex')}`;
    const { at: _at, details, ...rest } = entry;
    const stored: AuditEntry = { id, at: at.toISOString(), ...rest, ...(details ? { details: bounded(details) } : {}) };
    try {
      const table = await this.#table();
      await table.createEntity({ partitionKey: PARTITION, rowKey: id, entry: JSON.stringify(stored) });
    } catch (error) {
      throw storageUnavailable(error);
    }
    return stored;
  }

  /** Newest first. */
  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const filters = [`PartitionKey eq '${PARTITION}'`, `RowKey ge '${inverted(query.to)}'`];
    if (query.from !== undefined) filters.push(`RowKey lt '${inverted(query.from - 1)}'`);
    const out: AuditEntry[] = [];
    try {
      const table = await this.#table();
      const pages = table.listEntities<{ entry: string }>({ queryOptions: { filter: filters.join(' and ') } }).byPage({ maxPageSize: Math.min(query.limit, 1000) });
      for await (const page of pages) {
        for (const row of page) {
          const parsed = AuditEntry.safeParse(safeJson(row.entry));
          if (parsed.success) out.push(parsed.data);
          if (out.length >= query.limit) return out;
        }
      }
    } catch (error) {
      throw storageUnavailable(error);
    }
    return out;
  }
}

function safeJson(text: unknown): unknown {
  try {
    return typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Details stay well inside one Table property (32K characters). */
function bounded(details: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(details);
  return text.length <= MAX_DETAILS_CHARACTERS ? details : { truncated: true, characters: text.length };
}
