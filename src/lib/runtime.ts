// The app's shared parts, created once per instance on first use (never at import: cold start matters
// and settings may be absent when the module is merely loaded). Triggers and policies get them from here.
import { getSettings, type Settings } from './settings.js';
import { getTableClient } from './storage/tables.js';
import { CatalogueStore } from './catalogue/catalogue-store.js';
import { ClassicWebServiceClient } from './backends/classic-client.js';
import { SecretCache } from './secrets/secret-cache.js';
import { createKeyVaultSecretSource } from './secrets/keyvault-source.js';
import { SubscriptionStore } from './subscriptions/subscription-store.js';
import { ProductStore } from './products/product-store.js';
import { TableCounterStore, type CounterStore } from './throttling/counter-store.js';
import { BlockCounterStore } from './throttling/block-counter-store.js';
import { FacadeBlobs } from './blobs/facade-blobs.js';
import { JobStore } from './jobs/job-store.js';
import { createUsage, type Usage } from './usage/usage-runtime.js';
import { FailedAuthLimiter } from './auth/failed-auth-limiter.js';
import { createSealer, type Sealer } from './secrets/sealer.js';
import { ServiceDocuments } from './documents/service-documents.js';

/** A backend's published document is fetched within this long, or described from the catalogue instead. */
const DOCUMENT_TIMEOUT_MS = 3_000;

export const TABLES = {
  catalogue: 'catalogue',
  subscriptions: 'subscriptions',
  subscriptionKeys: 'subscriptionkeys',
  products: 'products',
  counters: 'counters',
  jobs: 'jobs',
  usage: 'usage',
} as const;

export interface Runtime {
  settings: Settings;
  catalogue: CatalogueStore;
  subscriptions: SubscriptionStore;
  products: ProductStore;
  counters: CounterStore;
  jobs: JobStore;
  secrets: SecretCache;
  failedAuth: FailedAuthLimiter;
  /** Key Vault read directly, bypassing the cache (health checks). */
  vault: { getSecret(name: string): Promise<string> };
  clientFor(baseUrl: string): ClassicWebServiceClient;
  /** BES inputs, staging and results in blob storage. */
  blobs: FacadeBlobs;
  /** This instance's usage counts (in memory, flushed) and the usage table of all instances. */
  usage: Usage;
  /** Seals client credentials kept with jobs, keyed by a Key Vault secret. */
  sealer: Sealer;
  /** Each service's schema (from its backend's document or its catalogue entry) and its Swagger document. */
  documents: ServiceDocuments;
}

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
  runtime ??= createRuntime(getSettings());
  return runtime;
}

/** The stores alone, for tools (seeding, tests) that hold a connection string and nothing else. */
export function createStores(connectionString: string, options: { cacheMs?: number; catalogueCacheMs?: number } = {}) {
  const table = (name: string) => () => getTableClient(connectionString, name);
  const cacheMs = options.cacheMs ?? 0;
  return {
    catalogue: new CatalogueStore(table(TABLES.catalogue), { cacheMs: options.catalogueCacheMs ?? cacheMs }),
    subscriptions: new SubscriptionStore(
      { subscriptions: table(TABLES.subscriptions), keys: table(TABLES.subscriptionKeys) },
      { cacheMs },
    ),
    products: new ProductStore(table(TABLES.products), { cacheMs }),
    counters: new BlockCounterStore(new TableCounterStore(table(TABLES.counters))),
    jobs: new JobStore(table(TABLES.jobs)),
  };
}

function createRuntime(settings: Settings): Runtime {
  const clients = new Map<string, ClassicWebServiceClient>();
  const clientFor = (baseUrl: string): ClassicWebServiceClient => {
    let client = clients.get(baseUrl);
    if (!client) {
      client = new ClassicWebServiceClient(baseUrl);
      clients.set(baseUrl, client);
    }
    return client;
  };
  const vault = createKeyVaultSecretSource(settings.keyVaultUrl);
  const secrets = new SecretCache((name) => vault.getSecret(name), {
    ttlMs: settings.secretCacheTtlSeconds * 1000,
    graceMs: settings.secretGraceSeconds * 1000,
  });
  const stores = createStores(settings.storageConnectionString, {
    cacheMs: settings.authCacheSeconds * 1000,
    catalogueCacheMs: settings.catalogueCacheSeconds * 1000,
  });
  return {
    settings,
    vault,
    ...stores,
    failedAuth: new FailedAuthLimiter({ maxFailures: settings.authFailureLimit, windowMs: settings.authFailureWindowSeconds * 1000 }),
    secrets,
    sealer: createSealer(() => secrets.get(settings.credentialKeySecretName)),
    usage: createUsage(() => getTableClient(settings.storageConnectionString, TABLES.usage), { flushSeconds: settings.usageFlushSeconds }),
    blobs: new FacadeBlobs({
      storageConnectionString: settings.storageConnectionString,
      exchangeConnectionString: settings.besExchangeConnectionString,
      inputSasMinutes: settings.besInputSasMinutes,
      resultSasMinutes: settings.besResultSasMinutes,
    }),
    clientFor,
    documents: new ServiceDocuments({
      async fetchBackendDocument(entry) {
        const answer = await clientFor(entry.backend.baseUrl).getDocument(entry.backend.workspace, entry.backend.service, DOCUMENT_TIMEOUT_MS);
        return answer.status === 200 ? JSON.parse(answer.body.toString('utf8')) : undefined;
      },
    }),
  };
}

/** For tests that rebuild the app's parts with other settings. */
export function resetRuntime(): void {
  runtime = undefined;
}
