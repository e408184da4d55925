// Entra tokens for backends: reused until a minute before they expire (or when the identity service says to refresh),
// a token a backend refused is dropped and a new one asked for, concurrent readers share one fetch, and a hanging or
// failing identity service is a bounded 503 IdentityUnavailable, never a hang.
import { describe, expect, it } from 'vitest';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { createTokenSource } from '../../src/lib/secrets/token-source.js';

const SCOPE = 'https://ml.azure.com/.default';

function fakeCredential(lifetimeMs: number, now: () => number) {
  const calls: string[] = [];
  let n = 0;
  const credential: TokenCredential = {
    async getToken(scopes): Promise<AccessToken> {
      calls.push(String(scopes));
      return { token: `token-${++n}`, expiresOnTimestamp: now() + lifetimeMs };
    },
  };
  return { credential, calls };
}

describe('createTokenSource', () => {
  it('reuses a token until a minute before it expires, then fetches a new one', async () => {
    let t = 1_000_000;
    const { credential, calls } = fakeCredential(3_600_000, () => t);
    const tokens = createTokenSource({ credential, now: () => t });
    expect(await tokens.get(SCOPE)).toBe('token-1');
    t += 3_500_000;
    expect(await tokens.get(SCOPE)).toBe('token-1');
    t += 50_000; // within the last minute
    expect(await tokens.get(SCOPE)).toBe('token-2');
    expect(calls).toEqual([SCOPE, SCOPE]);
  });

  it('drops a token a backend refused and asks again; a refresh with another token in hand keeps the newer one', async () => {
    const t = 0;
    const { credential, calls } = fakeCredential(3_600_000, () => t);
    const tokens = createTokenSource({ credential, now: () => t });
    const first = await tokens.get(SCOPE);
    expect(await tokens.refresh(SCOPE, first)).toBe('token-2');
    expect(await tokens.get(SCOPE)).toBe('token-2');
    expect(calls.length).toBe(2);
  });

  it('concurrent readers share one fetch', async () => {
    const { credential, calls } = fakeCredential(3_600_000, Date.now);
    const tokens = createTokenSource({ credential });
    expect(new Set(await Promise.all([tokens.get(SCOPE), tokens.get(SCOPE), tokens.get(SCOPE)]))).toEqual(new Set(['token-1']));
    expect(calls.length).toBe(1);
  });

  it('an identity service that hangs or fails is a bounded 503 IdentityUnavailable', async () => {
    const hanging: TokenCredential = { getToken: (_s, options) => new Promise((_, reject) => options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')))) };
    await expect(createTokenSource({ credential: hanging, timeoutMs: 50 }).get(SCOPE)).rejects.toMatchObject({ status: 503, code: 'IdentityUnavailable' });
    const failing: TokenCredential = { getToken: async () => { throw new Error('secret-bearing message'); } };
    const error = await createTokenSource({ credential: failing }).get(SCOPE).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'IdentityUnavailable' });
    expect(String((error as Error).cause)).not.toContain('secret-bearing');
  });
});
