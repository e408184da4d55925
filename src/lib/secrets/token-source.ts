// Entra access tokens for backends (Azure ML endpoints take `Authorization: Bearer <token>` with audience
// https://ml.azure.com), from the app's managed identity through @azure/identity, loaded on first use so a cold start
// pays nothing. A token is reused until shortly before it expires (or the identity service says to refresh it); a
// token a backend refused is dropped so the next read asks the identity service again. Every fetch has a deadline.
import type { AccessToken, TokenCredential } from '@azure/identity';
import { GatewayError } from '../errors.js';
import type { BackendTokens } from '../backends/keys.js';
import { chooseCredential } from './azure-credential.js';

export interface TokenSourceOptions {
  /** Overrides the credential chosen from the environment. */
  credential?: TokenCredential;
  /** Upper bound of one token fetch. */
  timeoutMs?: number;
  now?: () => number;
}

/** Renew this long before expiry: a token must not expire between being read and reaching the backend. */
const EXPIRY_MARGIN_MS = 60_000;

export function createTokenSource(options: TokenSourceOptions = {}): BackendTokens {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  const cached = new Map<string, { token: string; renewAt: number }>();
  const inflight = new Map<string, Promise<string>>();
  let credential: Promise<TokenCredential> | undefined;

  const getCredential = (): Promise<TokenCredential> => {
    credential ??= options.credential ? Promise.resolve(options.credential) : import('@azure/identity').then((identity) => chooseCredential(identity, 1));
    credential.catch(() => (credential = undefined));
    return credential;
  };

  const fetch = (scope: string): Promise<string> => {
    let pending = inflight.get(scope);
    if (pending) return pending;
    pending = (async () => {
      let token: AccessToken | null;
      try {
        const c = await getCredential();
        token = await c.getToken(scope, { abortSignal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        // SDK errors may carry the request; only the kind of failure is kept.
        throw new GatewayError('IdentityUnavailable', `The managed identity issued no token for ${scope}.`, { cause: new Error(String((error as Error)?.name ?? 'Error')) });
      }
      if (!token) throw new GatewayError('IdentityUnavailable', `The managed identity issued no token for ${scope}.`);
      const renewAt = Math.min(token.refreshAfterTimestamp ?? Infinity, token.expiresOnTimestamp - EXPIRY_MARGIN_MS);
      cached.set(scope, { token: token.token, renewAt });
      return token.token;
    })().finally(() => inflight.delete(scope));
    inflight.set(scope, pending);
    return pending;
  };

  return {
    async get(scope) {
      const entry = cached.get(scope);
      return entry && now() < entry.renewAt ? entry.token : fetch(scope);
    },
    async refresh(scope, stale) {
      if (cached.get(scope)?.token === stale) cached.delete(scope);
      return fetch(scope);
    },
  };
}
