// Per-blob SAS tokens with the same narrow permissions and lifetimes whichever way the account is reached: signed
// with the account key of the client the blob was reached through (a connection string: the facade's accounts, or
// a classic client's account for a read link to its output), or, for an identity-based account (no key anywhere),
// a user-delegation SAS signed with a user delegation key the identity asks the account for (the Storage Blob
// Delegator role), cached per account until shortly before it expires.
import type { BlobClient, UserDelegationKey } from '@azure/storage-blob';
import type { TokenCredential } from '@azure/core-auth';
import { loadBlobSdk } from './blob-sdk.js';

export interface BlobSas {
  /** The query string without its leading "?". */
  token: string;
  expiresOn: Date;
}

/**
 * What a SAS holder may do with the one blob: read it ("r"); create it, once ("c": a new blob in one PUT, never an
 * overwrite); create and write its blocks ("cw", what a backend gets for its staged output). Never list or delete.
 */
export type BlobPermissions = 'r' | 'c' | 'cw';

/** Whole seconds: the signed expiry has no fractions, and ExpiresAt must say exactly what was signed. */
export const sasExpiry = (ttlMs: number, now = Date.now()): Date => new Date(Math.floor((now + ttlMs) / 1000) * 1000);

/**
 * A SAS for this one blob alone (sr=b: no list, no other blob). Valid from now (no start time, so clock
 * skew cannot make a fresh token fail); https-only unless the endpoint itself is http (Azurite).
 */
export async function blobSas(blob: BlobClient, permissions: BlobPermissions, expiresOn: Date): Promise<BlobSas> {
  const { BlobSASPermissions, SASProtocol, StorageSharedKeyCredential, generateBlobSASQueryParameters } = await loadBlobSdk();
  const credential = blob.credential;
  const https = new URL(blob.url).protocol === 'https:';
  const values = {
    containerName: blob.containerName,
    blobName: blob.name,
    permissions: BlobSASPermissions.parse(permissions),
    expiresOn,
    protocol: https ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
  };
  if (credential instanceof StorageSharedKeyCredential) return { token: generateBlobSASQueryParameters(values, credential).toString(), expiresOn };
  if (!('getToken' in credential)) throw new Error('Issuing a SAS needs an account key or an identity (token credential)');
  const key = await delegationKey(blob, expiresOn);
  // Signed with the key's own service version (sv = skv): the version the key was made under, which every service
  // accepts for the SAS it signs (the emulator derives the key from sv).
  return { token: generateBlobSASQueryParameters({ ...values, version: key.signedVersion }, key, blob.accountName).toString(), expiresOn };
}

/** A user delegation key lives at most 7 days; one is asked for a day at a time (or as long as a SAS needs). */
const KEY_MAX_MS = 7 * 24 * 3_600_000;
const KEY_MIN_MS = 24 * 3_600_000;
const delegationKeys = new Map<string, Promise<UserDelegationKey>>();

async function delegationKey(blob: BlobClient, expiresOn: Date): Promise<UserDelegationKey> {
  const { BlobServiceClient } = await loadBlobSdk();
  const url = new URL(blob.url);
  // The account's service URL: the host, plus the account segment where the emulator puts it in the path.
  const serviceUrl = `${url.origin}${url.pathname.startsWith(`/${blob.accountName}/`) ? `/${blob.accountName}` : ''}`;
  const cacheKey = serviceUrl;
  const cached = delegationKeys.get(cacheKey);
  if (cached) {
    const key = await cached.catch(() => undefined);
    // Usable when it outlives the SAS it signs (a SAS may not outlive its key).
    if (key && key.signedExpiresOn.getTime() >= expiresOn.getTime()) return key;
  }
  // Whole seconds: the key's times travel as text in the SAS (skt, ske), and the service derives the key from them.
  const now = Math.floor(Date.now() / 1000) * 1000;
  const startsOn = new Date(now - 5 * 60_000); // clock skew
  const keyExpires = new Date(Math.min(now + KEY_MAX_MS, Math.max(now + KEY_MIN_MS, Math.ceil(expiresOn.getTime() / 1000) * 1000 + 60_000)));
  const service = new BlobServiceClient(serviceUrl, blob.credential as TokenCredential);
  const pending = service.getUserDelegationKey(startsOn, keyExpires, { abortSignal: AbortSignal.timeout(10_000) });
  delegationKeys.set(cacheKey, pending);
  pending.catch(() => delegationKeys.delete(cacheKey));
  return pending;
}
