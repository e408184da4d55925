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
import { UploadBudget } from './blobs/upload-budget.js';
import { JobStore } from './jobs/job-store.js';
import { OpenJobs } from './jobs/open-jobs.js';
import { isActive } from './jobs/job-record.js';
import { createUsage, type Usage } from './usage/usage-runtime.js';
import { FailedAuthLimiter } from './auth/failed-auth-limiter.js';
import { createSealer, type Sealer } from './secrets/sealer.js';
import { ServiceDocuments } from './documents/service-documents.js';
import type { StorageDeadlines } from './storage/deadlines.js';
import { healthReport, livenessCheck, probeTable, type HealthDeps, type HealthReport, type Liveness } from './health.js';

function healthOf(deps: HealthDeps): Runtime['health'] {
  return { liveness: livenessCheck(deps), report: () => healthReport(deps) };
}

/** A backend's published document is fetched within this long, or described from the catalogue instead. */
const DOCUMENT_TIMEOUT_MS = 3_000;

export const TABLES = {
  catalogue: 'catalogue',
  subscriptions: 'subscriptions',
  subscriptionKeys: 'subscriptionkeys',
  products: 'products',
  counters: 'counters',
  jobs: 'jobs',
  openJobs: 'openjobs',
  usage: 'usage',
} as const;

export interface Runtime {
  settings: Settings;
  catalogue: CatalogueStore;
  subscriptions: SubscriptionStore;
  products: ProductStore;
  counters: CounterStore;
  jobs: JobStore;
  openJobs: OpenJobs;
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
  /** The anonymous liveness answer (cached) and the admin's detailed report. */
  health: { liveness(): Promise<Liveness>; report(): Promise<HealthReport> };
}

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
  runtime ??= createRuntime(getSettings());
  return runtime;
}

/** The stores alone, for tools (seeding, tests) that hold a connection string and nothing else. */
export function createStores(
  connectionString: string,
  options: { cacheMs?: number; catalogueCacheMs?: number; staleIfErrorMs?: number; deadlines?: StorageDeadlines } = {},
) {
  const table = (name: string) => () => getTableClient(connectionString, name, options.deadlines);
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
  const deadlines = { tryTimeoutMs: settings.storageTryTimeoutMs, deadlineMs: settings.storageDeadlineMs };
  const stores = createStores(settings.storageConnectionString, {
    cacheMs: settings.authCacheSeconds * 1000,
    catalogueCacheMs: settings.catalogueCacheSeconds * 1000,
    staleIfErrorMs: settings.storageStaleSeconds * 1000,
    deadlines,
  });
  return {
    settings,
    vault,
    ...stores,
    failedAuth: new FailedAuthLimiter({ maxFailures: settings.authFailureLimit, windowMs: settings.authFailureWindowSeconds * 1000 }),
    secrets,
    sealer: createSealer(() => secrets.get(settings.credentialKeySecretName)),
    usage: createUsage(() => getTableClient(settings.storageConnectionString, TABLES.usage, deadlines), { flushSeconds: settings.usageFlushSeconds }),
    blobs: new FacadeBlobs({
      storageConnectionString: settings.storageConnectionString,
      exchangeConnectionString: settings.besExchangeConnectionString,
      inputSasMinutes: settings.besInputSasMinutes,
      resultSasMinutes: settings.besResultSasMinutes,
      deadlines,
      uploads: { budget: new UploadBudget(settings.uploadMemoryMb * 1024 * 1024) },
      streamIdleMs: settings.streamIdleSeconds * 1000,
    }),
    clientFor,
    health: healthOf({
      readStorage: async () => probeTable(async (pk, rk) => (await getTableClient(settings.storageConnectionString, TABLES.catalogue, deadlines)).getEntity(pk, rk)),
      readKeyVault: async () => void (await vault.getSecret(settings.adminKeySecretName)),
      listCatalogue: () => stores.catalogue.list(),
    }),
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
