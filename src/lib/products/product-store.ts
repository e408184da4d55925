// Products in Table storage ("products"); the built-in starter and unlimited exist until overridden.
// Reads are cached per instance for a short time so the hot path rarely touches storage.
import type { TableClient } from '@azure/data-tables';
import { BUILT_IN_PRODUCTS, Product, type ProductInput } from '../contracts/products.js';
import { isNotFound, storageUnavailable } from '../storage/errors.js';
import { TtlCache } from '../ttl-cache.js';

const PARTITION = 'product';

export class ProductStore {
  readonly #table: () => Promise<TableClient>;
  readonly #cache: TtlCache<Product | undefined>;

  constructor(table: () => Promise<TableClient>, options: { cacheMs: number; staleIfErrorMs?: number; now?: () => number }) {
    this.#table = table;
    this.#cache = new TtlCache(options.cacheMs, { now: options.now, staleIfErrorMs: options.staleIfErrorMs });
  }

  get(id: string): Promise<Product | undefined> {
    return this.#cache.get(id, () => this.#read(id));
  }

  async list(): Promise<Product[]> {
    const stored = new Map<string, Product>();
    try {
      const table = await this.#table();
      for await (const row of table.listEntities<{ product: string }>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
        const parsed = Product.safeParse(JSON.parse(row.product));
        if (parsed.success) stored.set(parsed.data.id, parsed.data);
      }
    } catch (error) {
      throw storageUnavailable(error);
    }
    for (const builtIn of BUILT_IN_PRODUCTS) if (!stored.has(builtIn.id)) stored.set(builtIn.id, builtIn);
    return [...stored.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async put(id: string, input: ProductInput): Promise<Product> {
    const existing = await this.get(id);
    const product = Product.parse({
      id,
      name: input.name,
      rateLimit: input.rateLimit === undefined ? (existing?.rateLimit ?? null) : input.rateLimit,
      quota: input.quota === undefined ? (existing?.quota ?? null) : input.quota,
      operations: input.operations ?? existing?.operations ?? ['rrs', 'bes'],
      services: input.services ?? existing?.services ?? null,
    });
    try {
      const table = await this.#table();
      await table.upsertEntity({ partitionKey: PARTITION, rowKey: id, product: JSON.stringify(product) }, 'Replace');
    } catch (error) {
      throw storageUnavailable(error);
    }
    this.#cache.delete(id);
    return product;
  }

  /**
   * Deletes a stored product (the caller checks first that nothing uses it); false when there was none. A
   * built-in product's stored row (its changed limits) would come back as the code's definition, so the management
   * API refuses to delete built-ins rather than let a delete silently mean "reset".
   */
  async delete(id: string): Promise<boolean> {
    let deleted: boolean;
    try {
      const table = await this.#table();
      await table.deleteEntity(PARTITION, id);
      deleted = true;
    } catch (error) {
      if (!isNotFound(error)) throw storageUnavailable(error);
      deleted = false;
    }
    this.#cache.delete(id);
    return deleted;
  }

  async #read(id: string): Promise<Product | undefined> {
    try {
      const table = await this.#table();
      const row = await table.getEntity<{ product: string }>(PARTITION, id);
      return Product.parse(JSON.parse(row.product));
    } catch (error) {
      if (isNotFound(error)) return BUILT_IN_PRODUCTS.find((p) => p.id === id);
      throw storageUnavailable(error);
    }
  }
}
