// Per-blob service SAS tokens, signed with the account key of the client the blob was reached through (the
// facade's own accounts, or a classic client's account for a read link to its output). An identity-based
// account (no key) would use a user-delegation SAS instead (getUserDelegationKey + the same query parameters
// signed with that key); not needed while storage is reached by connection string.
import type { BlobClient } from '@azure/storage-blob';
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
  if (!(credential instanceof StorageSharedKeyCredential)) {
    throw new Error('Issuing a SAS needs a storage connection string with an AccountKey');
  }
  const https = new URL(blob.url).protocol === 'https:';
  const token = generateBlobSASQueryParameters(
    {
      containerName: blob.containerName,
      blobName: blob.name,
      permissions: BlobSASPermissions.parse(permissions),
      expiresOn,
      protocol: https ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
    },
    credential,
  ).toString();
  return { token, expiresOn };
}
