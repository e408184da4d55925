// Where a service's schema comes from, and its documents: the backend's own published document when it has one
// (read once in a while, never on every call), else the catalogue entry's declared schema, else an open one.
import type { CatalogueEntry } from '../catalogue/entry.js';
import type { ServiceSchema } from '../contracts/service-schema.js';
import { TtlCache } from '../ttl-cache.js';
import { OPEN_SCHEMA } from './service-document.js';

export interface ServiceDocumentsOptions {
  /** What the backend publishes about the service, or undefined when it has nothing or cannot be reached. */
  fetchBackendDocument(entry: CatalogueEntry): Promise<ServiceSchema | undefined>;
  /** How long what a backend publishes (or that it publishes nothing) is reused. */
  cacheMs?: number;
  now?: () => number;
}

export class ServiceDocuments {
  readonly #fetch: ServiceDocumentsOptions['fetchBackendDocument'];
  readonly #cache: TtlCache<ServiceSchema | null>;

  constructor(options: ServiceDocumentsOptions) {
    this.#fetch = options.fetchBackendDocument;
    this.#cache = new TtlCache<ServiceSchema | null>(options.cacheMs ?? 60_000, options.now);
  }

  /** The schema a service is described by: the backend's, else the catalogue's, else an open one. */
  async schemaFor(entry: CatalogueEntry): Promise<ServiceSchema> {
    // The whole backend configuration is the key: two entries on one server may be two models.
    const key = JSON.stringify(entry.backend);
    const published = await this.#cache.get(key, async () => (await this.#fetch(entry).catch(() => undefined)) ?? null);
    return published ?? entry.schema ?? OPEN_SCHEMA;
  }

  /** The columns each declared input needs (the service's document or its entry), by input name. */
  async inputColumns(entry: CatalogueEntry): Promise<Record<string, string[]>> {
    const inputs = (await this.schemaFor(entry)).inputs ?? {};
    return Object.fromEntries(Object.entries(inputs).map(([name, table]) => [name, Object.keys(table.columns)]));
  }

  /** The outputs a BES job of this service writes when the caller names none. */
  async outputNames(entry: CatalogueEntry): Promise<string[]> {
    const outputs = (await this.schemaFor(entry)).outputs;
    return outputs && Object.keys(outputs).length > 0 ? Object.keys(outputs) : ['output1'];
  }
}
