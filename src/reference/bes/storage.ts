// Blob locations of BES jobs: RelativeLocation ("/container/blob") checks, clients built from a classic
// connection string, read-only SAS for results, and storage errors told without secrets.
import {
  BlobSASPermissions,
  BlobServiceClient,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
  type BlockBlobClient,
} from '@azure/storage-blob';

export interface BlobLocation {
  container: string;
  blob: string;
}

export interface BlobRef {
  /** input1 / output1: named in Details so the caller knows which side failed. */
  name: string;
  connectionString: string;
  location: BlobLocation;
}

// Azure's container rules: 3–63 characters, lower-case letters, digits and single inner hyphens.
const CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_BLOB_NAME = 1024;
const SAS_LIFETIME_MS = 60 * 60 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** "/container/path/blob.csv" (leading slash optional) → location, or a message saying what is wrong. */
export function parseRelativeLocation(value: string): BlobLocation | string {
  const trimmed = value.startsWith('/') ? value.slice(1) : value;
  const slash = trimmed.indexOf('/');
  if (slash < 0) return 'must be /container/blob (a container and a blob name)';
  const container = trimmed.slice(0, slash);
  const blob = trimmed.slice(slash + 1);
  if (!CONTAINER.test(container)) {
    return `container name '${container}' is invalid: 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit`;
  }
  if (blob === '' || blob.endsWith('/')) return 'the blob name is missing';
  if (blob.length > MAX_BLOB_NAME) return `the blob name is longer than ${MAX_BLOB_NAME} characters`;
  return { container, blob };
}

/** "container/blob": appended to BaseLocation (which ends with "/") it is the blob's URL path. */
export function relativeLocation(location: BlobLocation): string {
  return `${location.container}/${location.blob}`;
}

/** Thrown for connection strings the SDK cannot use; the message never contains the string. */
export class ConnectionStringError extends Error {}

export function serviceClient(connectionString: string): BlobServiceClient {
  try {
    // Few, quick retries: a job on a wrong endpoint should fail in seconds, not minutes.
    return BlobServiceClient.fromConnectionString(connectionString, {
      retryOptions: { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 },
    });
  } catch {
    throw new ConnectionStringError('the connection string is not valid');
  }
}

export function blockBlob(ref: BlobRef): BlockBlobClient {
  return serviceClient(ref.connectionString).getContainerClient(ref.location.container).getBlockBlobClient(ref.location.blob);
}

/** Whether results at `ref` can be handed out: the service signs their SAS with the account key. */
export function hasAccountKey(ref: BlobRef): boolean {
  return serviceClient(ref.connectionString).credential instanceof StorageSharedKeyCredential;
}

export interface ResultLocation {
  ConnectionString: null;
  BaseLocation: string;
  RelativeLocation: string;
  SasBlobToken: string;
}

/** The classic result reference: a read-only SAS for that one blob, valid for an hour from now. */
export function resultLocation(ref: BlobRef, now = new Date()): ResultLocation {
  const client = serviceClient(ref.connectionString);
  const credential = client.credential;
  if (!(credential instanceof StorageSharedKeyCredential)) throw new ConnectionStringError('the connection string has no AccountKey');
  const sas = generateBlobSASQueryParameters(
    {
      containerName: ref.location.container,
      blobName: ref.location.blob,
      permissions: BlobSASPermissions.parse('r'),
      startsOn: new Date(now.getTime() - CLOCK_SKEW_MS),
      expiresOn: new Date(now.getTime() + SAS_LIFETIME_MS),
    },
    credential,
  );
  return {
    ConnectionString: null,
    BaseLocation: client.url.endsWith('/') ? client.url : `${client.url}/`,
    RelativeLocation: relativeLocation(ref.location),
    SasBlobToken: `?${sas.toString()}`,
  };
}

/** A storage failure in words for job Details: status and error code only, never URLs, keys or SAS. */
export function describeStorageError(err: unknown): string {
  if (err instanceof ConnectionStringError) return err.message;
  const e = err as { statusCode?: number; code?: string; details?: { errorCode?: string } } | null;
  const raw = e?.details?.errorCode ?? e?.code;
  const code = typeof raw === 'string' && /^[\w.-]{1,64}$/.test(raw) ? raw : undefined;
  const status = e?.statusCode;
  switch (status) {
    case 404:
      return code === 'ContainerNotFound' ? 'the container does not exist (ContainerNotFound)' : `the blob does not exist (${code ?? 'BlobNotFound'})`;
    case 403:
      return `access was denied; check the account key (${code ?? 'AuthenticationFailed'})`;
    case undefined:
      break;
    default:
      return `storage answered HTTP ${status}${code ? ` (${code})` : ''}`;
  }
  if (code && /^E[A-Z]+$/.test(code)) return `the storage endpoint could not be reached (${code})`;
  return `storage error${code ? ` (${code})` : ''}`;
}
