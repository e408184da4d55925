// How the facade reaches a storage account: by connection string (an account key or SAS: local use, or by choice),
// or by identity, configured the way Azure Functions configures identity-based connections —
// `<NAME>__blobServiceUri`, `__tableServiceUri` (or `__accountName`), `__credential` (managedidentity) and
// `__clientId` — with Entra tokens and no key anywhere. Which one a setting names is decided here, once.
import type { TokenCredential } from '@azure/identity';
import { chooseCredential } from '../secrets/azure-credential.js';
import { isLoopbackHost } from '../platform.js';

export interface IdentityStorage {
  kind: 'identity';
  blobServiceUri: string;
  tableServiceUri: string;
  /** A user-assigned identity's client id; the system-assigned one (or the developer's sign-in) without. */
  clientId?: string | undefined;
  /** `managedidentity` (as Functions names it): that identity only; otherwise the default credential chain. */
  credential?: string | undefined;
}

/** A connection string, or an identity-based account. */
export type StorageAccess = string | IdentityStorage;

export function isIdentity(access: StorageAccess): access is IdentityStorage {
  return typeof access !== 'string';
}

function uri(text: string | undefined, name: string): string | undefined {
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${name} is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) throw new Error(`${name} must use https`);
  return url.href.replace(/\/+$/, '');
}

/**
 * The account a setting names: `<name>` as a connection string, else `<name>__…` as an identity-based connection
 * (service URIs, or an account name on the public cloud); undefined when neither is set.
 */
export function storageAccessFromEnv(env: NodeJS.ProcessEnv, name: string): StorageAccess | undefined {
  const connectionString = env[name];
  if (connectionString) return connectionString;
  const account = env[`${name}__accountName`];
  const blob = uri(env[`${name}__blobServiceUri`], `${name}__blobServiceUri`) ?? (account ? `https://${account}.blob.core.windows.net` : undefined);
  const table = uri(env[`${name}__tableServiceUri`], `${name}__tableServiceUri`) ?? (account ? `https://${account}.table.core.windows.net` : undefined);
  if (!blob && !table) return undefined;
  if (!blob || !table) throw new Error(`${name}__blobServiceUri and ${name}__tableServiceUri (or ${name}__accountName) are both needed`);
  return { kind: 'identity', blobServiceUri: blob, tableServiceUri: table, clientId: env[`${name}__clientId`] || undefined, credential: env[`${name}__credential`] || undefined };
}

/** A stable key for caches (a connection string is kept only in memory, never logged). */
export function accessKey(access: StorageAccess): string {
  return isIdentity(access) ? `identity ${access.blobServiceUri} ${access.tableServiceUri} ${access.clientId ?? ''}` : access;
}

const credentials = new Map<string, Promise<TokenCredential>>();

/** The token credential of an identity-based account, one per identity, @azure/identity loaded on first use. */
export function storageCredential(access: IdentityStorage): Promise<TokenCredential> {
  const key = `${access.credential ?? ''}/${access.clientId ?? ''}`;
  let credential = credentials.get(key);
  if (!credential) {
    credential = import('@azure/identity').then((identity) =>
      access.credential?.toLowerCase() === 'managedidentity'
        ? new identity.ManagedIdentityCredential({ clientId: access.clientId, retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 } })
        : chooseCredential(identity, 2));
    credentials.set(key, credential);
    credential.catch(() => credentials.delete(key));
  }
  return credential;
}
