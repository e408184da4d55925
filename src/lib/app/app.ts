// The composition root: every part of the app built once, from the settings, and wired together here. Nothing
// below src/lib/app knows this module: each part receives what it needs as arguments. Built on the first call
// that needs it (app/instance.ts), never at import: a cold start loads no SDK, and a missing setting does not
// stop the app from loading.
import type { Settings } from '../settings/settings.js';
import type { CatalogueEntry } from '../catalogue/entry.js';
import { getTableClient, TABLES } from '../storage/tables.js';
import { INSTANCE_ID } from '../platform.js';
import { SecretCache } from '../secrets/secret-cache.js';
import { createKeyVaultSecretSource } from '../secrets/keyvault-source.js';
import { createTokenSource } from '../secrets/token-source.js';
import { createSealer, type Sealer } from '../secrets/sealer.js';
import { FailedAuthLimiter } from '../auth/failed-auth-limiter.js';
import { FacadeBlobs } from '../blobs/facade-blobs.js';
import { BlobAccounts } from '../blobs/blob-accounts.js';
import { BlobBatchExchange } from '../blobs/batch-exchange.js';
import { UploadBudget } from '../blobs/upload-budget.js';
import { allowedStorageHosts } from '../blobs/allowed-storage.js';
import { createBackends, type BackendFor } from '../backends/kinds.js';
import { ServiceDocuments } from '../documents/service-documents.js';
import { UsageRecorder } from '../usage/recorder.js';
import { UsageTable } from '../usage/usage-table.js';
import { RequestLog } from '../usage/request-log.js';
import { RequestLogTable } from '../usage/request-log-table.js';
import { CounterReader } from '../self/counter-reader.js';
import { NO_BACKEND } from '../usage/call-record.js';
import { createTelemetry, jobTransitionsTo, type Telemetry } from '../telemetry/index.js';
import type { BesDeps } from '../gateway/policies/bes-job.js';
import type { SubscriptionState } from '../contracts/operations.js';
import { TtlCache } from '../ttl-cache.js';
import { healthReport, livenessCheck, probeTable, type HealthReport, type Liveness } from '../health.js';
import { createStores, type Stores } from './stores.js';

/** A backend's published document is fetched within this long, or described from the catalogue instead. */
const DOCUMENT_TIMEOUT_MS = 3_000;
/** The poller asks per job and step: a subscription's state is read at most once per 10 s per instance. */
const SUBSCRIPTION_STATE_CACHE_MS = 10_000;

export interface App extends Stores {
  settings: Settings;
  secrets: SecretCache;
  /** Key Vault read directly, bypassing the cache (health checks). */
  vault: { getSecret(name: string): Promise<string> };
  failedAuth: FailedAuthLimiter;
  /** Seals client credentials kept with jobs, keyed by a Key Vault secret. */
  sealer: Sealer;
  /** BES inputs, staging and results in blob storage. */
  blobs: FacadeBlobs;
  /** The adapter of a catalogue entry's backend. */
  backends: BackendFor;
  /** Each service's schema (from its backend's document or its catalogue entry). */
  documents: ServiceDocuments;
  /**
   * This instance's usage counts (in memory, flushed) and the usage table of all instances; the request log (each
   * call, written on the same flush); the throttling counters read without spending a call (windows, quotas).
   */
  usage: { recorder: UsageRecorder; table: UsageTable; requestLog: RequestLog; counters: CounterReader };
  /** What the BES job policies and the poller work with. */
  bes: BesDeps;
  /** Application Insights items (calls, job transitions); a no-op unless APPLICATIONINSIGHTS_CONNECTION_STRING is set. */
  telemetry: Telemetry;
  /** The anonymous liveness answer (cached) and the admin's detailed report. */
  health: { liveness(): Promise<Liveness>; report(): Promise<HealthReport> };
}

export function createApp(settings: Settings): App {
  const vault = createKeyVaultSecretSource(settings.keyVaultUrl);
  const secrets = new SecretCache((name) => vault.getSecret(name), {
    ttlMs: settings.secretCacheTtlSeconds * 1000,
    graceMs: settings.secretGraceSeconds * 1000,
  });
  const deadlines = { tryTimeoutMs: settings.storageTryTimeoutMs, deadlineMs: settings.storageDeadlineMs };
  const stores = createStores(settings.storage, {
    cacheMs: settings.authCacheSeconds * 1000,
    catalogueCacheMs: settings.catalogueCacheSeconds * 1000,
    staleIfErrorMs: settings.storageStaleSeconds * 1000,
    deadlines,
  });
  const sealer = createSealer(() => secrets.get(settings.credentialKeySecretName));
  const batch = new BlobBatchExchange(new BlobAccounts(settings.storage, settings.besExchange, deadlines), sealer);
  const tokens = createTokenSource();
  const backends = createBackends({ keys: secrets, tokens, batch, controlTimeoutMs: settings.besBackendTimeoutMs, documentTimeoutMs: DOCUMENT_TIMEOUT_MS });
  const blobs = new FacadeBlobs({
    storage: settings.storage,
    exchange: settings.besExchange,
    inputSasMinutes: settings.besInputSasMinutes,
    resultSasMinutes: settings.besResultSasMinutes,
    deadlines,
    uploads: { budget: new UploadBudget(settings.uploadMemoryMb * 1024 * 1024) },
    streamIdleMs: settings.streamIdleSeconds * 1000,
  });
  const documents = new ServiceDocuments({ fetchBackendDocument: (entry) => backends(entry).document(entry) });
  const usageTable = new UsageTable(() => getTableClient(settings.storage, TABLES.usage, deadlines));
  const requestLog = new RequestLog({
    store: new RequestLogTable(() => getTableClient(settings.storage, TABLES.requestLog, deadlines)),
    instanceId: INSTANCE_ID,
    hours: settings.requestLogHours,
  });
  const telemetry = createTelemetry({
    connectionString: settings.appInsightsConnectionString,
    authenticationString: settings.appInsightsAuthenticationString,
    flushIntervalMs: settings.telemetryFlushSeconds * 1000,
    maxQueue: settings.telemetryMaxQueue,
    tokens,
    roleInstance: INSTANCE_ID,
  });
  const subscriptionStates = new TtlCache<SubscriptionState | undefined>(SUBSCRIPTION_STATE_CACHE_MS);
  const healthDeps = {
    readStorage: async () => probeTable(async (pk, rk) => (await getTableClient(settings.storage, TABLES.catalogue, deadlines)).getEntity(pk, rk)),
    readKeyVault: async () => void (await vault.getSecret(settings.adminKeySecretName)),
    listCatalogue: () => stores.catalogue.list(),
    probeBackend: (entry: CatalogueEntry, timeoutMs: number) => backends(entry).ready(entry, { timeoutMs }),
  };
  return {
    ...stores,
    settings,
    vault,
    secrets,
    failedAuth: new FailedAuthLimiter({ maxFailures: settings.authFailureLimit, windowMs: settings.authFailureWindowSeconds * 1000 }),
    sealer,
    blobs,
    backends,
    documents,
    usage: {
      table: usageTable,
      recorder: new UsageRecorder({ sink: usageTable, instanceId: INSTANCE_ID, flushIntervalMs: settings.usageFlushSeconds * 1000, alsoFlush: requestLog }),
      requestLog,
      counters: new CounterReader(() => getTableClient(settings.storage, TABLES.counters, deadlines)),
    },
    bes: {
      store: stores.jobs,
      openJobs: stores.openJobs,
      backends,
      blobs,
      catalogue: stores.catalogue,
      subscriptionState: async (id) => (await subscriptionStates.get(id, async () => (await stores.subscriptions.get(id))?.state)) ?? undefined,
      now: Date.now,
      pollIntervalMs: settings.besPollIntervalSeconds * 1000,
      maxRunMs: settings.besMaxRunMinutes * 60_000,
      startWindowMs: settings.besStartWindowMinutes * 60_000,
      sealer,
      outputNames: (entry) => documents.outputNames(entry),
      inputColumns: (entry) => documents.inputColumns(entry),
      // Leases tell instances apart in the job records: one owner name per process.
      owner: INSTANCE_ID,
      leaseMs: settings.besLeaseSeconds * 1000,
      statusRefreshMs: settings.besStatusRefreshSeconds * 1000,
      maxSubmitBytes: settings.maxRequestBytes,
      allowedStorageHosts: allowedStorageHosts(settings.besAllowedStorageHosts, [settings.storage, settings.besExchange]),
      maxOpenJobsPerSubscription: settings.besMaxOpenJobsPerSubscription,
      onTransition: jobTransitionsTo(telemetry, stores.catalogue, NO_BACKEND),
    },
    telemetry,
    health: { liveness: livenessCheck(healthDeps), report: () => healthReport(healthDeps) },
  };
}
