// Blob locations of BES jobs: RelativeLocation ("/container/blob") checks, clients built from a classic
// connection string in every form classic clients used (account key with or without EndpointSuffix, BlobEndpoint,
// SharedAccessSignature), read-only links to results, and storage errors told without secrets.
import {
  AnonymousCredential,
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

/** Thrown for connection strings the service cannot use; the message never contains the string. */
export class ConnectionStringError extends Error {}

interface Connection {
  endpoint: string;
  credential: { key: StorageSharedKeyCredential } | { sas: string };
}

const DEVELOPMENT = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1';

/**
 * Reads a connection string as the classic service (the .NET storage library) did: setting names in any letter
 * case, EndpointSuffix defaulting to core.windows.net, BlobEndpoint overriding the derived endpoint, an account
 * key or a SAS. A setting given twice is refused rather than guessed at.
 */
function parseConnection(text: string): Connection {
  const settings = new Map<string, string>();
  for (const piece of text.split(';')) {
    if (piece.trim() === '') continue;
    const eq = piece.indexOf('=');
    if (eq <= 0) throw new ConnectionStringError('the connection string is not valid');
    const name = piece.slice(0, eq).trim().toLowerCase();
    if (settings.has(name)) throw new ConnectionStringError('the connection string names a setting twice');
    settings.set(name, piece.slice(eq + 1).trim());
  }
  if (settings.get('usedevelopmentstorage')?.toLowerCase() === 'true') return parseConnection(DEVELOPMENT);
  const account = settings.get('accountname');
  const protocol = (settings.get('defaultendpointsprotocol') ?? 'https').toLowerCase();
  const suffix = settings.get('endpointsuffix') ?? 'core.windows.net';
  const endpoint = (settings.get('blobendpoint') ?? (account ? `${protocol}://${account}.blob.${suffix}` : '')).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/?#\s]+/i.test(endpoint)) throw new ConnectionStringError('the connection string names no usable blob endpoint');
  const key = settings.get('accountkey');
  const sas = settings.get('sharedaccesssignature')?.replace(/^\?/, '');
  if (key && account) return { endpoint, credential: { key: new StorageSharedKeyCredential(account, key) } };
  if (sas) return { endpoint, credential: { sas } };
  throw new ConnectionStringError('the connection string has neither AccountName with AccountKey nor SharedAccessSignature');
}

// Few, quick retries: a job on a wrong endpoint should fail in seconds, not minutes.
const CLIENT_OPTIONS = { retryOptions: { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 } };

export function serviceClient(connectionString: string): BlobServiceClient {
  const { endpoint, credential } = parseConnection(connectionString);
  try {
    return 'key' in credential
      ? new BlobServiceClient(endpoint, credential.key, CLIENT_OPTIONS)
      : new BlobServiceClient(`${endpoint}?${credential.sas}`, new AnonymousCredential(), CLIENT_OPTIONS);
  } catch {
    throw new ConnectionStringError('the connection string is not valid');
  }
}

export function blockBlob(ref: BlobRef): BlockBlobClient {
  return serviceClient(ref.connectionString).getContainerClient(ref.location.container).getBlockBlobClient(ref.location.blob);
}

export interface ResultLocation {
  ConnectionString: null;
  BaseLocation: string;
  RelativeLocation: string;
  SasBlobToken: string;
}

/**
 * The classic result reference: a read-only SAS for that one blob, valid for an hour from now, signed with the
 * account key; when the caller gave a SAS instead of a key, that SAS (the service can sign nothing else).
 */
export function resultLocation(ref: BlobRef, now = new Date()): ResultLocation {
  const { endpoint, credential } = parseConnection(ref.connectionString);
  let token: string;
  if ('key' in credential) {
    token = generateBlobSASQueryParameters(
      {
        containerName: ref.location.container,
        blobName: ref.location.blob,
        permissions: BlobSASPermissions.parse('r'),
        startsOn: new Date(now.getTime() - CLOCK_SKEW_MS),
        expiresOn: new Date(now.getTime() + SAS_LIFETIME_MS),
      },
      credential.key,
    ).toString();
  } else {
    token = credential.sas;
  }
  return { ConnectionString: null, BaseLocation: `${endpoint}/`, RelativeLocation: relativeLocation(ref.location), SasBlobToken: `?${token}` };
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
