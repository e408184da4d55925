// Structured telemetry to Application Insights: each data-plane call as a request item with custom dimensions,
// each batch job's change of state as a custom event. Off unless APPLICATIONINSIGHTS_CONNECTION_STRING is set.
//
// Why hand-written calls to the ingestion API rather than the `applicationinsights` package (v3) or
// `@azure/monitor-opentelemetry-exporter`: both bring the OpenTelemetry SDK (tens of modules, loaded and
// initialised before the first item), and the first auto-instruments `http`/`undici` by patching them, which would
// report every backend and storage call a second time beside what the Functions host already reports, and
// intercept the Functions host's own console and HTTP traffic. What this app needs is two item types with custom
// dimensions and one documented endpoint (`POST {IngestionEndpoint}/v2.1/track`, a JSON array of envelopes, answered
// `{"itemsReceived","itemsAccepted","errors"}`), which fits in ~250 lines of no dependency: nothing to load on a
// cold start (these modules load with the app's parts, on the first call, and use Node's own fetch and zlib), no
// monkey-patching, a bounded queue and a deadline per POST under our control. Entra ingestion reuses the app's
// token source (@azure/identity, loaded only when APPLICATIONINSIGHTS_AUTHENTICATION_STRING is set and the first
// batch goes out).
import type { TokenCredential } from '@azure/identity';
import type { UsageCall } from '../usage/call-record.js';
import type { JobRecord, JobState } from '../jobs/job-record.js';
import type { BackendTokens } from '../backends/keys.js';
import { createTokenSource } from '../secrets/token-source.js';
import { runningInAzure } from '../platform.js';
import { INGESTION_SCOPE, parseAuthenticationString, parseConnectionString } from './connection-string.js';
import { jobEventEnvelope, requestEnvelope, type EnvelopeContext } from './envelopes.js';
import { TelemetrySender, type IngestionTokens, type SenderStats } from './sender.js';

export { scrub, formatDuration, requestEnvelope, jobEventEnvelope, JOB_EVENT, SDK_VERSION, type Envelope, type JobTransition } from './envelopes.js';
export { TelemetrySender } from './sender.js';

export interface Telemetry {
  readonly enabled: boolean;
  /** One finished data-plane call. Never throws. */
  trackCall(call: UsageCall): void;
  /** A job saved in a new state. Never throws. */
  trackJobTransition(job: JobRecord, previousState: JobState, backendKind: string): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): SenderStats | undefined;
}

export const NO_TELEMETRY: Telemetry = {
  enabled: false,
  trackCall: () => undefined,
  trackJobTransition: () => undefined,
  flush: async () => undefined,
  close: async () => undefined,
  stats: () => undefined,
};

export interface TelemetryOptions {
  /** APPLICATIONINSIGHTS_CONNECTION_STRING; unset: telemetry is off. */
  connectionString?: string | undefined;
  /** APPLICATIONINSIGHTS_AUTHENTICATION_STRING (`Authorization=AAD[;ClientId=…]`): ingestion with an Entra token. */
  authenticationString?: string | undefined;
  flushIntervalMs: number;
  maxQueue: number;
  /** The app's token source (its identity); a ClientId other than AZURE_CLIENT_ID gets a source of its own. */
  tokens?: BackendTokens | undefined;
  roleName?: string;
  roleInstance: string;
  warn?: (message: string) => void;
  postTimeoutMs?: number;
  maxBatch?: number;
  /** Test seams. */
  fetch?: typeof fetch;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

const live = new Set<Telemetry>();

/** Sends what every telemetry client of this process holds (the Functions appTerminate hook). */
export async function closeAllTelemetry(): Promise<void> {
  await Promise.allSettled([...live].map((t) => t.close()));
}

export function createTelemetry(options: TelemetryOptions): Telemetry {
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  if (!options.connectionString) return NO_TELEMETRY;
  // A wrong telemetry setting must not take the gateway down: it is reported (naming the part, never the value)
  // and telemetry stays off.
  const target = parseConnectionString(options.connectionString, env);
  if (!target.ok) {
    warn(`telemetry: APPLICATIONINSIGHTS_CONNECTION_STRING is unusable (${target.problem}); telemetry is off`);
    return NO_TELEMETRY;
  }
  let tokens: IngestionTokens | undefined;
  if (options.authenticationString) {
    const auth = parseAuthenticationString(options.authenticationString);
    if (!auth.ok) {
      warn(`telemetry: APPLICATIONINSIGHTS_AUTHENTICATION_STRING is unusable (${auth.problem}); telemetry is off`);
      return NO_TELEMETRY;
    }
    const ownIdentity = !auth.value.clientId || auth.value.clientId.toLowerCase() === (env.AZURE_CLIENT_ID ?? '').toLowerCase();
    const source = ownIdentity && options.tokens ? options.tokens : createTokenSource({ credential: lazyCredential(auth.value.clientId, env) });
    tokens = { get: () => source.get(INGESTION_SCOPE), refresh: (stale) => source.refresh(INGESTION_SCOPE, stale) };
  }
  const ctx: EnvelopeContext = {
    iKey: target.value.instrumentationKey,
    roleName: options.roleName ?? env.WEBSITE_SITE_NAME ?? 'ml-facade',
    roleInstance: options.roleInstance,
  };
  const now = options.now ?? Date.now;
  const sender = new TelemetrySender({
    trackUrl: target.value.trackUrl,
    tokens,
    flushIntervalMs: options.flushIntervalMs,
    maxQueue: options.maxQueue,
    maxBatch: options.maxBatch,
    postTimeoutMs: options.postTimeoutMs,
    warn,
    fetch: options.fetch,
    now,
  });
  const guarded = (build: () => void) => {
    try {
      build();
    } catch (error) {
      warn(`telemetry: item not built: ${(error as Error)?.name ?? 'Error'}`);
    }
  };
  const telemetry: Telemetry = {
    enabled: true,
    trackCall: (call) => guarded(() => sender.enqueue(requestEnvelope(call, now(), ctx))),
    trackJobTransition: (job, previousState, backendKind) => guarded(() => sender.enqueue(jobEventEnvelope({ job, previousState, backendKind }, now(), ctx))),
    flush: () => sender.flush(),
    close: async () => {
      live.delete(telemetry);
      await sender.close(options.postTimeoutMs ?? 5_000);
    },
    stats: () => sender.stats,
  };
  live.add(telemetry);
  return telemetry;
}

/**
 * The poller's hook for job transitions (jobs/poller.ts `onTransition`): the event names the kind of backend,
 * read from the (cached) catalogue; nothing is read when telemetry is off.
 */
export function jobTransitionsTo(
  telemetry: Telemetry,
  catalogue: { get(workspace: string, service: string): Promise<{ backend: { kind: string } } | undefined> },
  noBackend: string,
): ((job: JobRecord, previousState: JobState) => void) | undefined {
  if (!telemetry.enabled) return undefined;
  return (job, previousState) => {
    void catalogue.get(job.workspace, job.service).then(
      (entry) => telemetry.trackJobTransition(job, previousState, entry?.backend.kind ?? noBackend),
      () => telemetry.trackJobTransition(job, previousState, noBackend),
    );
  };
}

/** A user-assigned identity named by the authentication string's ClientId, loaded on the first token. */
function lazyCredential(clientId: string | undefined, env: NodeJS.ProcessEnv): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, options) {
      credential ??= import('@azure/identity').then((identity) => {
        const retryOptions = { maxRetries: 1, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 };
        const managed = Boolean(env.IDENTITY_ENDPOINT && env.IDENTITY_HEADER) || Boolean(env.MSI_ENDPOINT) || runningInAzure(env);
        return managed ? new identity.ManagedIdentityCredential({ clientId, retryOptions }) : new identity.DefaultAzureCredential({ managedIdentityClientId: clientId, retryOptions });
      });
      credential.catch(() => (credential = undefined));
      return (await credential).getToken(scopes, options);
    },
  };
}
