// The real SecretClient + real ManagedIdentityCredential against the loopback Key Vault stand-in: read, rotate +
// refresh, outage with and without a cached value, challenge auth, config guards, and no secret in any output.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/lib/errors.js';
import { ConfigurationError, createKeyVaultSecretSource, type SecretSource } from '../../src/lib/secrets/keyvault-source.js';
import { SecretCache } from '../../src/lib/secrets/secret-cache.js';
import { startKeyVaultStandIn, type KeyVaultStandIn } from '../../src/local/keyvault-standin.js';

const SECRET_1 = `first-${randomUUID()}`;
const SECRET_2 = `second-${randomUUID()}`;
const ENV_KEYS = ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'WEBSITE_INSTANCE_ID', 'AZURE_CLIENT_ID', 'MSI_ENDPOINT', 'IDENTITY_SERVER_THUMBPRINT', 'AZURE_LOG_LEVEL'] as const;

const savedEnv = new Map<string, string | undefined>();
const output: string[] = [];
const leakedTokens: string[] = [];
const restoreOutput: Array<() => void> = [];
let kv: KeyVaultStandIn;
let source: SecretSource;
let t = 0;
const cache = new SecretCache((name) => source.getSecret(name), { ttlMs: 10_000, graceMs: 60_000, now: () => t });

function captureOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown) => {
      output.push(String(chunk));
      return true;
    }) as typeof stream.write;
    restoreOutput.push(() => (stream.write = original));
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => void output.push(args.map(String).join(' '));
    restoreOutput.push(() => (console[method] = original));
  }
}

beforeAll(async () => {
  for (const k of ENV_KEYS) savedEnv.set(k, process.env[k]);
  for (const k of ENV_KEYS) delete process.env[k];
  // Verbose SDK logging on purpose: even then nothing secret may be written.
  process.env.AZURE_LOG_LEVEL = 'verbose';
  captureOutput();
  kv = await startKeyVaultStandIn({ secrets: { 'backend-key': SECRET_1 } });
  process.env.IDENTITY_ENDPOINT = kv.identityEndpoint;
  process.env.IDENTITY_HEADER = kv.identityHeader;
  source = createKeyVaultSecretSource(kv.url);
});

afterAll(async () => {
  await kv?.close().catch(() => undefined);
  restoreOutput.forEach((restore) => restore());
  for (const [k, v] of savedEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('Key Vault stand-in with the real SDK', () => {
  it('reads a seeded secret through the challenge flow and managed identity', async () => {
    expect(await source.getSecret('backend-key')).toBe(SECRET_1);
    expect(await cache.get('backend-key')).toBe(SECRET_1);
  });

  it('maps an unknown secret to 503 naming the secret', async () => {
    const err: unknown = await source.getSecret('no-such-secret').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 503, classCode: 'ServiceUnavailable', code: 'KeyVaultUnavailable' });
    expect((err as Error).message).toContain('no-such-secret');
  });

  it('picks up a rotated key with one refresh', async () => {
    kv.setSecret('backend-key', SECRET_2);
    t += 2_000; // beyond the cache's minimum refresh interval, within its TTL
    expect(await cache.get('backend-key')).toBe(SECRET_1); // still fresh: no Key Vault read
    const refreshed = await Promise.all([1, 2, 3].map(() => cache.refresh('backend-key', SECRET_1)));
    expect(refreshed).toEqual([SECRET_2, SECRET_2, SECRET_2]);
    expect(await cache.get('backend-key')).toBe(SECRET_2);
  });

  it('answers 401 with a Key Vault challenge to a missing or forged token, and validates the identity header', async () => {
    const secretUrl = `${kv.url}/secrets/backend-key?api-version=7.5`;
    const none = await fetch(secretUrl);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[^"]+", resource="https:\/\/vault\.azure\.net"$/);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('Unauthorized');
    const forged = await fetch(secretUrl, { headers: { authorization: 'Bearer eyJhdWQiOiJ4In0.forged' } });
    expect(forged.status).toBe(401);
    await forged.body?.cancel();

    const tokenUrl = `${kv.identityEndpoint}?api-version=2019-08-01&resource=${encodeURIComponent('https://vault.azure.net')}`;
    const wrongHeader = await fetch(tokenUrl, { headers: { 'x-identity-header': 'wrong' } });
    expect(wrongHeader.status).toBe(401);
    await wrongHeader.body?.cancel();
    const issued = await fetch(tokenUrl, { headers: { 'x-identity-header': kv.identityHeader } });
    const body = (await issued.json()) as { access_token: string; token_type: string; expires_on: string };
    expect(body.token_type).toBe('Bearer');
    leakedTokens.push(body.access_token);
    const ok = await fetch(secretUrl, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(ok.status).toBe(200);
    const bundle = (await ok.json()) as { value: string; id: string; attributes: { enabled: boolean } };
    expect(bundle.value === SECRET_2).toBe(true);
    expect(bundle.id.startsWith(`${kv.url}/secrets/backend-key/`)).toBe(true);
    const tampered = await fetch(secretUrl, { headers: { authorization: `Bearer ${body.access_token.slice(0, -2)}xx` } });
    expect(tampered.status).toBe(401);
    await tampered.body?.cancel();
  });

  it('refuses insecure or mismatched configuration', () => {
    expect(() => createKeyVaultSecretSource('http://vault.example.com')).toThrow(ConfigurationError);
    expect(() => createKeyVaultSecretSource('ftp://127.0.0.1/')).toThrow(ConfigurationError);
    expect(() => createKeyVaultSecretSource('https://myvault.vault.azure.net')).not.toThrow();
    expect(() => createKeyVaultSecretSource('http://[::1]:8200')).not.toThrow();
    process.env.WEBSITE_INSTANCE_ID = 'abc';
    try {
      expect(() => createKeyVaultSecretSource(kv.url)).toThrow(/https when running in Azure/);
    } finally {
      delete process.env.WEBSITE_INSTANCE_ID;
    }
    const header = process.env.IDENTITY_HEADER;
    delete process.env.IDENTITY_HEADER;
    try {
      expect(() => createKeyVaultSecretSource(kv.url)).toThrow(/IDENTITY_ENDPOINT and IDENTITY_HEADER/);
    } finally {
      process.env.IDENTITY_HEADER = header;
    }
  });

  it('does not load the Azure SDKs when the module is imported', () => {
    const text = readFileSync(new URL('../../src/lib/secrets/keyvault-source.ts', import.meta.url), 'utf8');
    expect(text).not.toMatch(/^import (?!type )[^;]*from '@azure\//m);
  });

  it('keeps serving a cached key while Key Vault is down, and fails with 503 without one', async () => {
    await kv.close();
    t += 20_000; // past the TTL: the cache must try Key Vault, fail, and fall back
    const started = Date.now();
    expect(await cache.get('backend-key')).toBe(SECRET_2);
    const err: unknown = await source.getSecret('backend-key').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 503, classCode: 'ServiceUnavailable', code: 'KeyVaultUnavailable', message: 'Key Vault is unavailable' });
    const empty = new SecretCache((name) => source.getSecret(name), { now: () => t });
    await expect(empty.get('backend-key')).rejects.toMatchObject({ status: 503, message: 'Key Vault is unavailable' });
    expect(Date.now() - started).toBeLessThan(10_000); // an outage fails fast
    t += 60_000; // past the grace period
    await expect(cache.get('backend-key')).rejects.toBeInstanceOf(GatewayError);
  });

  it('never wrote a secret value or token to stdout, stderr or the console', () => {
    const all = output.join('\n');
    expect(all.length).toBeGreaterThan(0); // the verbose SDK logging above was captured
    for (const needle of [SECRET_1, SECRET_2, kv.identityHeader, ...leakedTokens]) {
      expect(all.includes(needle)).toBe(false);
    }
  });
});
