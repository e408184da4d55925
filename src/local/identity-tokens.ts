// Bearer tokens of the local stand-ins (Key Vault's managed-identity endpoint issues them; the Key Vault and Azure ML
// online endpoint stand-ins verify them). Not JWTs: `<base64url JSON payload>.<base64url HMAC-SHA256 of it>`, the
// payload {aud, exp (whole seconds), iat (float seconds), n (uuid)}. Whoever holds the signing key can mint tokens,
// so stand-ins that share one key accept each other's tokens and nothing else does.

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  aud: string;
  exp: number;
  iat: number;
}

export interface TokenIssuer {
  issue(resource: string): { token: string; exp: number };
  /** The claims of a valid, unexpired `Bearer <token>` for the audience; undefined for anything else. */
  verify(authorizationHeader: string | undefined, audience: string): TokenClaims | undefined;
}

const BEARER_RE = /^Bearer ([A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/;

export function createTokenIssuer(signingKey: Buffer, ttlSeconds: number): TokenIssuer {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new Error('Token lifetime must be a positive number of seconds');
  if (signingKey.length === 0) throw new Error('Token signing key must not be empty');
  // Compared as text, not decoded bytes: base64url has several spellings of the same last byte, and a token must
  // have exactly one.
  const sign = (payload: string): Buffer => Buffer.from(createHmac('sha256', signingKey).update(payload).digest('base64url'));

  return {
    issue(resource) {
      const now = Date.now() / 1000;
      const exp = Math.floor(now) + ttlSeconds;
      const payload = Buffer.from(JSON.stringify({ aud: resource, exp, iat: now, n: randomUUID() })).toString('base64url');
      return { token: `${payload}.${sign(payload).toString()}`, exp };
    },
    verify(authorizationHeader, audience) {
      const m = BEARER_RE.exec(authorizationHeader ?? '');
      if (!m?.[1] || !m[2]) return undefined;
      const given = Buffer.from(m[2]);
      const expected = sign(m[1]);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let claims: Partial<Record<keyof TokenClaims, unknown>>;
      try {
        claims = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as typeof claims;
      } catch {
        return undefined;
      }
      const { aud, exp, iat } = claims ?? {};
      if (aud !== audience || typeof exp !== 'number' || typeof iat !== 'number') return undefined;
      if (!(exp > Date.now() / 1000)) return undefined;
      return { aud, exp, iat };
    },
  };
}
