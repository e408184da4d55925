// Blob storage plumbing shared by the facade's blob side: the SDK imported lazily (cold start matters),
// clients from connection strings with the http rule (Azurite on loopback only), and error texts safe to log.
import type { BlobServiceClient } from '@azure/storage-blob';
import { isLoopbackHost, runningInAzure } from '../platform.js';
import { canonicalConnectionString, parseConnectionString } from '../storage/connection-string.js';
import { DEFAULT_STORAGE_DEADLINES, type StorageDeadlines } from '../storage/deadlines.js';
import { storageCredential, type IdentityStorage } from '../storage/access.js';

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
  if (runningInAzure()) return 'must use https when running in Azure';
  if (!isLoopbackHost(parsed.hostname)) return 'uses http; only loopback hosts (an emulator such as Azurite) may';
  return undefined;
}

/** A client for an identity-based account: Entra tokens, no key; its SAS are user-delegation SAS (sas.ts). */
export async function serviceFromIdentity(access: IdentityStorage, deadlines: StorageDeadlines = DEFAULT_STORAGE_DEADLINES): Promise<BlobServiceClient> {
  const { BlobServiceClient } = await loadBlobSdk();
  const client = new BlobServiceClient(access.blobServiceUri, await storageCredential(access), { retryOptions: { ...RETRY, tryTimeoutInMs: deadlines.tryTimeoutMs } });
  const problem = insecureEndpointProblem(client.url);
  if (problem) throw new Error(`the blob service URI ${problem}`);
  return client;
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
