// The facade's settings, parsed once with zod when the app's parts are first built (never at import: a cold start
// and a missing setting must not fail merely loading the app). The few read as the app loads, to register its
// triggers, are in load-time.ts. Every one is documented in the README's configuration table.
import { z } from 'zod';
import { storageAccessFromEnv, type StorageAccess } from '../storage/access.js';

/** A storage setting: `connectionSetting` as a connection string, else `<identityPrefix>__…` identity-based. */
function storageFrom(env: NodeJS.ProcessEnv, connectionSetting: string, identityPrefix: string): StorageAccess | undefined {
  const connectionString = env[connectionSetting];
  if (connectionString) return connectionString;
  try {
    return storageAccessFromEnv({ ...env, [identityPrefix]: undefined }, identityPrefix);
  } catch (error) {
    throw new Error(`Invalid app settings: ${(error as Error).message}`);
  }
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const SettingsSchema = z.object({
  /**
   * The facade's own storage (tables for catalogue/counters/jobs, blobs for inputs/results): a connection string, or
   * an identity-based connection (service URIs and a managed identity, no key) as Functions configures them.
   */
  storage: z.custom<StorageAccess>((v) => v !== undefined && v !== '', 'set FACADE_STORAGE_CONNECTION_STRING, FACADE_STORAGE__blobServiceUri and __tableServiceUri, or AzureWebJobsStorage (or its __ settings)'),
  /** Key Vault holding backend API keys and the admin key, e.g. https://my-vault.vault.azure.net */
  keyVaultUrl: z.url({ message: 'KEY_VAULT_URL must be a URL' }),
  /**
   * How long an instance reuses what it read about a key, subscription or product. Changes made through
   * an instance apply there at once; other instances see them within this time. 0 = read on every call.
   */
  authCacheSeconds: z.coerce.number().min(0).max(300).default(1),
  /** Missing or wrong keys one client address may send per window before it gets 429s (slows key guessing). */
  authFailureLimit: positiveInt(30),
  authFailureWindowSeconds: positiveInt(60),
  /** Name of the Key Vault secret holding the management API's admin key. */
  adminKeySecretName: z.string().min(1).default('facade-admin-key'),
  /** Name of the Key Vault secret whose value keys the sealing of client credentials kept with jobs (any long random text). */
  credentialKeySecretName: z.string().regex(/^[0-9A-Za-z-]{1,127}$/, 'a Key Vault secret name').default('facade-credential-key'),
  /** Most rows one RRS call may score (400 above; BES is for more). */
  maxRrsRows: positiveInt(1000),
  /** Largest RRS request body accepted, in bytes (413 above). */
  maxRequestBytes: positiveInt(4 * 1024 * 1024),
  /** How long a Key Vault secret is used before it is read again. */
  secretCacheTtlSeconds: positiveInt(300),
  /** How long a cached secret keeps serving while Key Vault is unreachable. */
  secretGraceSeconds: positiveInt(3600),
  /** How long a catalogue entry is cached per instance. */
  catalogueCacheSeconds: positiveInt(30),
  /** Storage: a try's answer within this long (plus 1 s per MiB it sends); a storage brown-out then costs seconds, not its length. */
  storageTryTimeoutMs: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Storage: one Table operation, or one small blob request, retries included, ends by this deadline (then 503). */
  storageDeadlineMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** While storage is unavailable, what an instance read about keys, products and services keeps serving this much longer. */
  storageStaleSeconds: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Backend timeout used when a catalogue entry sets none. */
  defaultBackendTimeoutMs: positiveInt(100_000),
  /**
   * BES: the account for uploaded inputs and staged outputs, whose connection string backends receive.
   * A separate account keeps the facade's own tables (keys, counters) out of a backend's reach.
   */
  besExchange: z.custom<StorageAccess>().optional(),
  /** BES: memory all uploads through one instance may hold at once (each takes ~12 MiB); past it new ones wait, then 503. */
  uploadMemoryMb: z.coerce.number().int().min(16).max(16_384).default(256),
  /** BES: an upload or a result copy that moves no bytes for this long ends (the client's or storage's stall). */
  streamIdleSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  /** BES: minutes an input upload SAS (create only, one blob) stays valid. */
  besInputSasMinutes: z.coerce.number().int().positive().max(24 * 60).default(15),
  /** BES: minutes the read-only result SAS in a status answer stays valid. */
  besResultSasMinutes: z.coerce.number().int().positive().max(7 * 24 * 60).default(60),
  /** How often a running job is asked for its status. */
  besPollIntervalSeconds: positiveInt(5),
  /** Jobs reconciled at once by one poller run. */
  besPollConcurrency: positiveInt(16),
  /** Most due jobs one poller run takes on. */
  besPollBatch: positiveInt(5000),
  /** A job that ended more than this many days ago goes, with its staged outputs and facade-held results (0: never). */
  besRetentionDays: z.coerce.number().int().min(0).max(3650).default(30),
  /** A job running longer than this is stopped and failed. */
  besMaxRunMinutes: positiveInt(24 * 60),
  /** A job must be started within this long of its submit; the SAS its backend gets lasts start window + run time. */
  besStartWindowMinutes: positiveInt(24 * 60),
  /** How long a poller's claim on a job holds if the poller dies (a later run then takes over). */
  besLeaseSeconds: positiveInt(300),
  /** A status read of a job not polled for this long refreshes it inline. */
  besStatusRefreshSeconds: positiveInt(5),
  /** Storage hosts (patterns, "*." wildcard) a client's pass-through connection string may name; the facade's own are always allowed. */
  besAllowedStorageHosts: z.string().default('*.blob.core.windows.net'),
  /** Jobs one subscription may have open (not started or running) at once. */
  besMaxOpenJobsPerSubscription: z.coerce.number().int().positive().max(500, 'BES_MAX_OPEN_JOBS_PER_SUBSCRIPTION is at most 500 (the open jobs are listed in one Table row)').default(100),
  /** Timeout of one BES control call to a backend (submit, start, status, delete). */
  besBackendTimeoutMs: positiveInt(30_000),
  /**
   * How often an instance writes the usage it counted in memory to Table storage. Longer = fewer writes; what
   * a crashed (not stopped) instance loses and what other instances' usage queries miss is at most this long.
   */
  usageFlushSeconds: z.coerce.number().int().positive().max(3600).default(15),
  /** One structured log line per data-plane call (0 turns it off, e.g. where log volume costs too much). */
  usageCallLog: z.enum(['0', '1', 'false', 'true']).default('1').transform((v) => v === '1' || v === 'true'),
  /**
   * Hours the request log (every call by request id, table "requestlog") keeps its entries; one Table entity per
   * call is the log's cost. 0 turns it off: nothing is recorded. At most 31 days, the longest range a query takes.
   */
  requestLogHours: z.coerce.number().int().min(0).max(31 * 24).default(48),
  /**
   * Application Insights: each call as a request item and each job transition as a custom event (telemetry/).
   * Unset: none sent. Checked by the telemetry module, which turns itself off (with a warning) rather than the app.
   */
  appInsightsConnectionString: z.string().max(4096).optional(),
  /** `Authorization=AAD[;ClientId=<guid>]`: ingestion with an Entra token (the resource's local auth disabled). */
  appInsightsAuthenticationString: z.string().max(1024).optional(),
  /** How often queued telemetry is sent (and whenever 500 items wait). */
  telemetryFlushSeconds: z.coerce.number().int().min(1).max(300).default(5),
  /** Telemetry items an instance holds while ingestion is slow or down; past it new ones are dropped. */
  telemetryMaxQueue: z.coerce.number().int().min(100).max(100_000).default(10_000),
});

export type Settings = z.infer<typeof SettingsSchema>;

/** Hard ceiling for any synchronous backend call: the Azure load balancer drops idle HTTP calls at 230 s. */
export const MAX_SYNC_TIMEOUT_MS = 220_000;

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = SettingsSchema.safeParse({
    storage: storageFrom(env, 'FACADE_STORAGE_CONNECTION_STRING', 'FACADE_STORAGE') ?? storageFrom(env, 'AzureWebJobsStorage', 'AzureWebJobsStorage'),
    keyVaultUrl: env.KEY_VAULT_URL,
    authCacheSeconds: env.AUTH_CACHE_SECONDS || undefined,
    authFailureLimit: env.AUTH_FAILURE_LIMIT || undefined,
    authFailureWindowSeconds: env.AUTH_FAILURE_WINDOW_SECONDS || undefined,
    adminKeySecretName: env.ADMIN_KEY_SECRET_NAME || undefined,
    credentialKeySecretName: env.CREDENTIAL_KEY_SECRET_NAME || undefined,
    maxRequestBytes: env.MAX_REQUEST_BYTES || undefined,
    maxRrsRows: env.MAX_RRS_ROWS || undefined,
    secretCacheTtlSeconds: env.SECRET_CACHE_TTL_SECONDS || undefined,
    secretGraceSeconds: env.SECRET_GRACE_SECONDS || undefined,
    catalogueCacheSeconds: env.CATALOGUE_CACHE_SECONDS || undefined,
    defaultBackendTimeoutMs: env.DEFAULT_BACKEND_TIMEOUT_MS || undefined,
    storageTryTimeoutMs: env.STORAGE_TRY_TIMEOUT_MS || undefined,
    storageDeadlineMs: env.STORAGE_DEADLINE_MS || undefined,
    storageStaleSeconds: env.STORAGE_STALE_SECONDS || undefined,
    besExchange: storageFrom(env, 'BES_EXCHANGE_CONNECTION_STRING', 'BES_EXCHANGE'),
    besInputSasMinutes: env.BES_INPUT_SAS_MINUTES || undefined,
    uploadMemoryMb: env.UPLOAD_MEMORY_MB || undefined,
    streamIdleSeconds: env.STREAM_IDLE_SECONDS || undefined,
    besResultSasMinutes: env.BES_RESULT_SAS_MINUTES || undefined,
    besPollIntervalSeconds: env.BES_POLL_INTERVAL_SECONDS || undefined,
    besPollConcurrency: env.BES_POLL_CONCURRENCY || undefined,
    besPollBatch: env.BES_POLL_BATCH || undefined,
    besMaxRunMinutes: env.BES_MAX_RUN_MINUTES || undefined,
    besRetentionDays: env.BES_RETENTION_DAYS || undefined,
    besStartWindowMinutes: env.BES_START_WINDOW_MINUTES || undefined,
    besLeaseSeconds: env.BES_LEASE_SECONDS || undefined,
    besStatusRefreshSeconds: env.BES_STATUS_REFRESH_SECONDS || undefined,
    besBackendTimeoutMs: env.BES_BACKEND_TIMEOUT_MS || undefined,
    usageFlushSeconds: env.USAGE_FLUSH_SECONDS || undefined,
    usageCallLog: env.USAGE_CALL_LOG?.toLowerCase() || undefined,
    requestLogHours: env.REQUEST_LOG_HOURS || undefined,
    besAllowedStorageHosts: env.BES_ALLOWED_STORAGE_HOSTS ?? undefined,
    besMaxOpenJobsPerSubscription: env.BES_MAX_OPEN_JOBS_PER_SUBSCRIPTION || undefined,
    appInsightsConnectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING || undefined,
    appInsightsAuthenticationString: env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING || undefined,
    telemetryFlushSeconds: env.TELEMETRY_FLUSH_SECONDS || undefined,
    telemetryMaxQueue: env.TELEMETRY_MAX_QUEUE || undefined,
  });
  if (!parsed.success) {
    // Name the settings, never echo their values: some of them are secrets.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid app settings: ${problems}`);
  }
  return parsed.data;
}
