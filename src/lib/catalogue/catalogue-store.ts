// The catalogue of exposed services, kept in Table storage (partition = workspace, row = service, both
// lower-cased because routes match case-insensitively) and cached per instance for the hot path.
import type { TableClient } from '@azure/data-tables';
import { CatalogueEntrySchema, type CatalogueEntry } from './entry.js';
import { isNotFound, storageUnavailable } from '../storage/errors.js';

interface CachedLookup {
  entry: CatalogueEntry | undefined;
  loadedAt: number;
  expiresAt: number;
}

export interface CatalogueStoreOptions {
  cacheMs: number;
  /** Unknown names are remembered for less time, so a newly added service shows up soon. */
  negativeCacheMs?: number;
  /** While storage is unavailable, an entry read before keeps serving for this much longer than cacheMs. */
  staleIfErrorMs?: number;
  now?: () => number;
}

/** Between two failed reads, a stale entry serves without trying storage for this long. */
const RETRY_STORAGE_AFTER_MS = 5_000;

export class CatalogueStore {
  readonly #table: () => Promise<TableClient>;
  readonly #options: Required<CatalogueStoreOptions>;
  readonly #cache = new Map<string, CachedLookup>();

  constructor(table: () => Promise<TableClient>, options: CatalogueStoreOptions) {
    this.#table = table;
    this.#options = { negativeCacheMs: Math.min(5_000, options.cacheMs), staleIfErrorMs: 0, now: Date.now, ...options };
  }

  async get(workspace: string, service: string): Promise<CatalogueEntry | undefined> {
    const key = `${workspace.toLowerCase()}/${service.toLowerCase()}`;
    const now = this.#options.now();
    const hit = this.#cache.get(key);
    if (hit && hit.expiresAt > now) return hit.entry;
    let entry: CatalogueEntry | undefined;
    try {
      entry = await this.#read(workspace.toLowerCase(), service.toLowerCase());
    } catch (error) {
      // Storage unavailable: an entry read not too long ago keeps the service reachable (see TtlCache).
      if (!hit?.entry || now - hit.loadedAt > this.#options.cacheMs + this.#options.staleIfErrorMs) throw error;
      hit.expiresAt = now + RETRY_STORAGE_AFTER_MS;
      return hit.entry;
    }
    const ttl = entry ? this.#options.cacheMs : this.#options.negativeCacheMs;
    this.#cache.set(key, { entry, loadedAt: now, expiresAt: now + ttl });
    return entry;
  }

  async put(entry: CatalogueEntry): Promise<CatalogueEntry> {
    const valid = CatalogueEntrySchema.parse(entry);
    try {
      const table = await this.#table();
      await table.upsertEntity(
        { partitionKey: valid.workspace.toLowerCase(), rowKey: valid.service.toLowerCase(), entry: JSON.stringify(valid) },
        'Replace',
      );
    } catch (error) {
      throw storageUnavailable(error);
    }
    this.#cache.delete(`${valid.workspace.toLowerCase()}/${valid.service.toLowerCase()}`);
    return valid;
  }

  async list(): Promise<CatalogueEntry[]> {
    const rows: string[] = [];
    try {
      const table = await this.#table();
      for await (const row of table.listEntities<{ entry: string }>()) rows.push(row.entry);
    } catch (error) {
      throw storageUnavailable(error); // a storage fault is a 503, never a bare 500
    }
    const entries: CatalogueEntry[] = [];
    for (const row of rows) {
      const parsed = CatalogueEntrySchema.safeParse(JSON.parse(row));
      if (parsed.success) entries.push(parsed.data);
    }
    return entries;
  }

  async #read(partitionKey: string, rowKey: string): Promise<CatalogueEntry | undefined> {
    try {
      const table = await this.#table();
      const row = await table.getEntity<{ entry: string }>(partitionKey, rowKey);
      return CatalogueEntrySchema.parse(JSON.parse(row.entry));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw storageUnavailable(error);
    }
  }
}
