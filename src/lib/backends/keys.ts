// The credentials adapters send to backends: API keys from Key Vault, and Entra tokens from the app's managed
// identity. A 401 means the credential went stale (a key rotated in Key Vault, a token expired or revoked), so it is
// read afresh once and the call retried once. Still 401 → the owner must fix the credential: 502, not the caller's
// fault.
import { GatewayError } from '../errors.js';

export interface BackendKeys {
  get(secretName: string): Promise<string>;
  refresh(secretName: string, staleValue?: string): Promise<string>;
}

/** Entra access tokens for a scope (e.g. https://ml.azure.com/.default), renewed before they expire. */
export interface BackendTokens {
  get(scope: string): Promise<string>;
  /** A token other than `stale` when the identity provider gives one. */
  refresh(scope: string, stale: string): Promise<string>;
}

/** One credential that can be read afresh. */
export interface RenewableCredential {
  get(): Promise<string>;
  refresh(stale: string): Promise<string>;
  /** What the owner must fix when even a fresh one is refused. */
  remedy: string;
}

export function keyCredential(keys: BackendKeys, secretName: string): RenewableCredential {
  return {
    get: () => keys.get(secretName),
    refresh: (stale) => keys.refresh(secretName, stale),
    remedy: 'the service owner must update its API key in Key Vault',
  };
}

export function tokenCredential(tokens: BackendTokens, scope: string): RenewableCredential {
  return {
    get: () => tokens.get(scope),
    refresh: (stale) => tokens.refresh(scope, stale),
    remedy: "the facade's managed identity must be granted access to the endpoint",
  };
}

export async function withCredential<A extends { status: number }>(credential: RenewableCredential, call: (secret: string) => Promise<A>): Promise<A> {
  let secret = await credential.get();
  let answer = await call(secret);
  if (answer.status !== 401) return answer;
  secret = await credential.refresh(secret);
  answer = await call(secret);
  if (answer.status === 401) {
    throw new GatewayError('BackendUnauthorized', `The backend rejected the facade's credentials; ${credential.remedy}.`);
  }
  return answer;
}

export function withBackendKey<A extends { status: number }>(keys: BackendKeys, secretName: string, call: (apiKey: string) => Promise<A>): Promise<A> {
  return withCredential(keyCredential(keys, secretName), call);
}
