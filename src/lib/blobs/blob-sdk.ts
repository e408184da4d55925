// Blob storage plumbing shared by the facade's blob side: the SDK imported lazily (cold start matters),
// clients from connection strings with the http rule (Azurite on loopback only), and error texts safe to log.
import type { BlobServiceClient } from '@azure/storage-blob';
import { GatewayError } from '../errors.js';
import { storageUnavailable } from '../storage/tables.js';
import { isLoopbackHost } from '../secrets/keyvault-source.js';
import { canonicalConnectionString, parseConnectionString } from '../storage/connection-string.js';
import { DEFAULT_STORAGE_DEADLINES, type StorageDeadlines } from '../storage/deadlines.js';

export type BlobSdk = typeof import('@azure/storage-blob');

let sdk: Promise<BlobSdk> | undefined;

export function loadBlobSdk(): Promise<BlobSdk> {
  if (!sdk) {
    sdk = import('@azure/storage-blob');
    sdk.catch(() => (sdk = undefined));
  }
  return sdk;
}

// Three tries at most, each bounded by the deadline HTTP client: a storage brown-out costs a call seconds, not minutes.
const RETRY = { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 1000 };

/** Plain http would expose account-key-signed requests and SAS tokens; only a loopback emulator may use it. */
export function insecureEndpointProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol !== 'http:') return `must use https, not ${parsed.protocol}`;
  if (process.env.WEBSITE_INSTANCE_ID) return 'must use https when running in Azure';
  if (!isLoopbackHost(parsed.hostname)) return 'uses http; only loopback hosts (an emulator such as Azurite) may';
  return undefined;
}

/** A client for a connection string, built from its canonical form (the one parser's reading, not the SDK's). */
export async function serviceFromConnectionString(
  connectionString: string,
  what: string,
  deadlines: StorageDeadlines = DEFAULT_STORAGE_DEADLINES,
): Promise<BlobServiceClient> {
  const { BlobServiceClient } = await loadBlobSdk();
  const parsed = parseConnectionString(connectionString);
  // Say which setting is wrong and why, never its value.
  if (!parsed.ok) throw new Error(`${what} is not a valid storage connection string: ${parsed.problem}`);
  let client: BlobServiceClient;
  try {
    // tryTimeoutInMs is the server's timeout; the client's own deadline is each call's abortSignal (controlSignal).
    client = BlobServiceClient.fromConnectionString(canonicalConnectionString(parsed.value), {
      retryOptions: { ...RETRY, tryTimeoutInMs: deadlines.tryTimeoutMs },
    });
  } catch {
    throw new Error(`${what} is not a valid storage connection string`);
  }
  const problem = insecureEndpointProblem(client.url);
  if (problem) throw new Error(`${what}: the blob endpoint ${problem}`);
  return client;
}

/**
 * The deadline of one small blob request (properties, container creation), retries included: storage that
 * accepts connections and answers nothing costs a call this long, then a 503. Streamed transfers use a stall
 * watchdog instead (streams.ts), since their length depends on their size.
 */
export function controlSignal(deadlines: StorageDeadlines): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(deadlines.deadlineMs) };
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Query strings (SAS), account keys and signatures removed: SDK messages and URLs may carry them. */
export function redact(text: string): string {
  return text
    .replace(/(https?:\/\/[^\s?#"'<>]*)[?#][^\s"'<>]*/gi, '$1?[redacted]')
    .replace(/\b(AccountKey|SharedAccessSignature|sig|se|sv)=[^;&\s"'<>]*/gi, '$1=[redacted]');
}

/** One line about a storage error, safe to log. */
export function describeStorageError(error: unknown): string {
  const e = (error ?? {}) as { name?: string; code?: string; statusCode?: number; message?: string };
  const firstLine = String(e.message ?? error).split('\n')[0] ?? '';
  const parts = [e.name ?? 'Error', e.statusCode, e.code, firstLine].filter((p) => p !== undefined && p !== '');
  return redact(parts.join(' ')).slice(0, 500);
}

/** A 503 whose cause is the redacted text, so that logging the error chain cannot leak a SAS or a key. */
export function storageFault(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return storageUnavailable(new Error(describeStorageError(error)));
}
