// Per-blob service SAS tokens, signed with the account key from the connection string. An identity-based
// account (no key) would use a user-delegation SAS instead (getUserDelegationKey + the same query
// parameters signed with that key); not needed while the facade's storage is reached by connection string.
import type { BlobClient } from '@azure/storage-blob';
import { loadBlobSdk } from './blob-sdk.js';

export interface BlobSas {
  /** The query string without its leading "?". */
  token: string;
  expiresOn: Date;
}

/**
 * A SAS for this one blob alone (sr=b: no list, no other blob). Valid from now (no start time, so clock
 * skew cannot make a fresh token fail); https-only unless the endpoint itself is http (Azurite).
 */
export async function blobSas(blob: BlobClient, permissions: 'r' | 'cw', ttlMs: number): Promise<BlobSas> {
  const { BlobSASPermissions, SASProtocol, StorageSharedKeyCredential, generateBlobSASQueryParameters } = await loadBlobSdk();
  const credential = blob.credential;
  if (!(credential instanceof StorageSharedKeyCredential)) {
    throw new Error('Issuing a SAS needs a storage connection string with an AccountKey');
  }
  // Whole seconds: the signed expiry has no fractions, and ExpiresAt must say exactly what was signed.
  const expiresOn = new Date(Math.floor((Date.now() + ttlMs) / 1000) * 1000);
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
