// Bearer tokens of the local stand-ins (Key Vault's managed-identity endpoint issues them; the Key Vault and Azure ML
// stand-ins verify them). JWTs signed with HS256 (Entra's are RS256; the shape is what matters to readers):
// claims {aud, iss (an Entra issuer), iat, nbf, exp (whole seconds), oid and tid (the identity and its tenant, which
// Azurite reads to make user delegation keys), n (uuid)}. Whoever holds the signing key can mint tokens, so
// stand-ins that share one key accept each other's tokens; Azurite, which does not check signatures, reads them too.

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

const BEARER_RE = /^Bearer ([A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,4096})\.([A-Za-z0-9_-]{43})$/;
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
export const STANDIN_TENANT = '00000000-0000-0000-0000-000000000000';
/** The object id of the stand-in's one managed identity. */
export const STANDIN_OBJECT_ID = '11111111-1111-1111-1111-111111111111';

export function createTokenIssuer(signingKey: Buffer, ttlSeconds: number): TokenIssuer {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) throw new Error('Token lifetime must be a positive number of seconds');
  if (signingKey.length === 0) throw new Error('Token signing key must not be empty');
  // Compared as text, not decoded bytes: base64url has several spellings of the same last byte, and a token must
  // have exactly one.
  const sign = (payload: string): Buffer => Buffer.from(createHmac('sha256', signingKey).update(payload).digest('base64url'));

  return {
    issue(resource) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + ttlSeconds;
      const claims = { aud: resource, iss: `https://sts.windows.net/${STANDIN_TENANT}/`, iat: now, nbf: now - 60, exp, oid: STANDIN_OBJECT_ID, tid: STANDIN_TENANT, n: randomUUID() };
      const signed = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      return { token: `${signed}.${sign(signed).toString()}`, exp };
    },
    verify(authorizationHeader, audience) {
      const m = BEARER_RE.exec(authorizationHeader ?? '');
      if (!m?.[1] || !m[2]) return undefined;
      const given = Buffer.from(m[2]);
      const expected = sign(m[1]);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let claims: Partial<Record<keyof TokenClaims, unknown>>;
      try {
        claims = JSON.parse(Buffer.from(m[1].split('.')[1]!, 'base64url').toString('utf8')) as typeof claims;
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
