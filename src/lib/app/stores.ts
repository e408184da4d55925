// The facade's stores over its storage account: what the app's parts are built on, and all that tools (seeding
// the local stack, tests) need when they hold a connection string and nothing else.
import type { StorageAccess } from '../storage/access.js';
import { getTableClient, TABLES } from '../storage/tables.js';
import type { StorageDeadlines } from '../storage/deadlines.js';
import { CatalogueStore } from '../catalogue/catalogue-store.js';
import { SubscriptionStore } from '../subscriptions/subscription-store.js';
import { ProductStore } from '../products/product-store.js';
import { TableCounterStore } from '../throttling/counter-store.js';
import { BlockCounterStore } from '../throttling/block-counter-store.js';
import { JobStore } from '../jobs/job-store.js';
import { OpenJobs } from '../jobs/open-jobs.js';
import { isActive } from '../jobs/job-record.js';

export interface StoreOptions {
  /** How long what was read about keys, subscriptions and products is reused (0: read every time). */
  cacheMs?: number;
  catalogueCacheMs?: number;
  /** How much longer a cached read serves while storage is unavailable. */
  staleIfErrorMs?: number;
  deadlines?: StorageDeadlines;
}

export type Stores = ReturnType<typeof createStores>;

/** `storage`: a connection string, or an identity-based account. */
export function createStores(storage: StorageAccess, options: StoreOptions = {}) {
  const table = (name: string) => () => getTableClient(storage, name, options.deadlines);
  const cacheMs = options.cacheMs ?? 0;
  const staleIfErrorMs = options.staleIfErrorMs ?? 0;
  const jobs = new JobStore(table(TABLES.jobs));
  return {
    catalogue: new CatalogueStore(table(TABLES.catalogue), { cacheMs: options.catalogueCacheMs ?? cacheMs, staleIfErrorMs }),
    subscriptions: new SubscriptionStore(
      { subscriptions: table(TABLES.subscriptions), keys: table(TABLES.subscriptionKeys) },
      { cacheMs, staleIfErrorMs },
    ),
    products: new ProductStore(table(TABLES.products), { cacheMs, staleIfErrorMs }),
    counters: new BlockCounterStore(new TableCounterStore(table(TABLES.counters))),
    jobs,
    openJobs: new OpenJobs(table(TABLES.openJobs), {
      isOpen: async (id) => {
        const job = await jobs.get(id);
        return job === undefined ? undefined : job.state === 'NotStarted' || isActive(job.state);
      },
    }),
  };
}
