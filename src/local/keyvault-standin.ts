// A loopback stand-in for Azure Key Vault (secrets data plane) plus an App Service-style managed-identity
// token endpoint, so the real SecretClient + ManagedIdentityCredential run unchanged locally and in tests.
// Values and tokens live only in memory and are never logged. The identity endpoint also issues tokens for Azure ML
// (https://ml.azure.com), which the Azure ML online endpoint stand-in accepts when it shares the signing key.

import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../lib/platform.js';
import { createTokenIssuer } from './identity-tokens.js';

export const VAULT_RESOURCE = 'https://vault.azure.net';
export const ML_RESOURCE = 'https://ml.azure.com';
export const MANAGEMENT_RESOURCE = 'https://management.azure.com';
export const STORAGE_RESOURCE = 'https://storage.azure.com';
/** The resources the identity endpoint issues tokens for; Key Vault itself accepts only VAULT_RESOURCE tokens. */
export const TOKEN_RESOURCES: readonly string[] = [VAULT_RESOURCE, ML_RESOURCE, MANAGEMENT_RESOURCE, STORAGE_RESOURCE];
const TENANT_ID = '00000000-0000-0000-0000-000000000000';
const MSI_PATH = '/msi/token';
const NAME_RE = /^[0-9a-zA-Z-]{1,127}$/;
const MAX_BODY = 64 * 1024;

export interface KeyVaultStandInOptions {
  port?: number;
  host?: string;
  secrets?: Record<string, string>;
  /** Seconds a token issued by the identity endpoint stays valid (default 3600). */
  tokenTtlSeconds?: number;
  /** Fixed token-signing key and identity header (default: random per instance); a restart with the same ones accepts old tokens. */
  signingKey?: string;
  identityHeader?: string;
}

export interface KeyVaultStandIn {
  url: string;
  identityEndpoint: string;
  identityHeader: string;
  setSecret(name: string, value: string): void;
  close(): Promise<void>;
}

interface Version { id: string; value: string; contentType?: string; created: number }

export async function startKeyVaultStandIn(options: KeyVaultStandInOptions = {}): Promise<KeyVaultStandIn> {
  const host = options.host ?? '127.0.0.1';
  // Plain HTTP with a well-known identity protocol: exposing it beyond loopback would hand out tokens to anyone.
  if (!isLoopbackHost(host)) throw new Error(`Key Vault stand-in only listens on loopback, not '${host}'`);
  const signingKey = options.signingKey !== undefined ? Buffer.from(options.signingKey) : randomBytes(32);
  const tokens = createTokenIssuer(signingKey, options.tokenTtlSeconds ?? 3600);
  const identityHeader = options.identityHeader ?? randomBytes(24).toString('base64url');
  const store = new Map<string, Version[]>();
  let vaultUrl = '';

  const setSecret = (name: string, value: string, contentType?: string): Version => {
    if (!NAME_RE.test(name)) throw new Error(`Invalid secret name '${name}'`);
    const v: Version = { id: randomUUID().replace(/-/g, ''), value, contentType, created: Math.floor(Date.now() / 1000) };
    const versions = store.get(name) ?? [];
    versions.push(v);
    store.set(name, versions);
    return v;
  };
  for (const [name, value] of Object.entries(options.secrets ?? {})) setSecret(name, value);

  const bundle = (name: string, v: Version) => ({
    value: v.value,
    ...(v.contentType ? { contentType: v.contentType } : {}),
    id: `${vaultUrl}/secrets/${name}/${v.id}`,
    attributes: { enabled: true, created: v.created, updated: v.created, recoveryLevel: 'Purgeable' },
    tags: {},
  });

  const handleIdentity = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void => {
    const given = req.headers['x-identity-header'];
    // Never 404 here: the identity SDK retries 404/410 with multi-second backoff.
    if (typeof given !== 'string' || !safeEqual(given, identityHeader)) {
      return json(res, 401, { error: 'unauthorized', error_description: 'Missing or wrong X-IDENTITY-HEADER' });
    }
    const resource = (query.get('resource') ?? '').replace(/\/+$/, '');
    if (query.get('api-version') !== '2019-08-01' || !TOKEN_RESOURCES.includes(resource)) {
      return json(res, 400, { error: 'invalid_request', error_description: `Only resources ${TOKEN_RESOURCES.join(', ')} with api-version 2019-08-01 are supported` });
    }
    const { token, exp } = tokens.issue(resource);
    json(res, 200, { access_token: token, expires_on: String(exp), resource, token_type: 'Bearer', client_id: query.get('client_id') ?? TENANT_ID });
  };

  const handleVault = async (req: IncomingMessage, res: ServerResponse, path: string[], query: URLSearchParams): Promise<void> => {
    if (!tokens.verify(req.headers.authorization, VAULT_RESOURCE)) {
      req.resume();
      res.setHeader('WWW-Authenticate', `Bearer authorization="https://login.microsoftonline.com/${TENANT_ID}", resource="${VAULT_RESOURCE}"`);
      return kvError(res, 401, 'Unauthorized', req.headers.authorization ? 'AKV10032: Invalid or expired token.' : 'AKV10000: Request is missing a Bearer or PoP token.');
    }
    if (!query.get('api-version')) return kvError(res, 400, 'BadParameter', 'The api-version query parameter is required.');
    const [root, name, version] = path;
    if (root !== 'secrets') return kvError(res, 404, 'NotFound', 'Unknown operation.');
    if (name === undefined) {
      if (req.method !== 'GET') return kvError(res, 405, 'BadParameter', 'Method not allowed.');
      const value = [...store].map(([n, vs]) => {
        const { value: _omit, ...props } = bundle(n, vs[vs.length - 1]!);
        return { ...props, id: `${vaultUrl}/secrets/${n}` };
      });
      return json(res, 200, { value, nextLink: null });
    }
    if (!NAME_RE.test(name)) return kvError(res, 400, 'BadParameter', 'The secret name is invalid.');
    if (req.method === 'PUT' && version === undefined) {
      const body = await readJson(req);
      if (typeof body?.value !== 'string') return kvError(res, 400, 'BadParameter', 'Property value is required.');
      const ct = typeof body.contentType === 'string' ? body.contentType : undefined;
      return json(res, 200, bundle(name, setSecret(name, body.value, ct)));
    }
    if (req.method !== 'GET') return kvError(res, 405, 'BadParameter', 'Method not allowed.');
    const versions = store.get(name) ?? [];
    const v = version ? versions.find((x) => x.id === version) : versions[versions.length - 1];
    if (!v) return kvError(res, 404, 'SecretNotFound', `A secret with (name/id) ${name}${version ? `/${version}` : ''} was not found in this key vault.`);
    json(res, 200, bundle(name, v));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path: string[];
    try {
      path = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    } catch {
      return kvError(res, 400, 'BadParameter', 'The request URI is malformed.');
    }
    if (path.length > 3) return kvError(res, 404, 'NotFound', 'Unknown operation.');
    if (url.pathname === MSI_PATH && req.method === 'GET') return handleIdentity(req, res, url.searchParams);
    handleVault(req, res, path, url.searchParams).catch(() => {
      if (!res.headersSent) kvError(res, 400, 'BadParameter', 'The request body is invalid.');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  vaultUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: vaultUrl,
    identityEndpoint: `${vaultUrl}${MSI_PATH}`,
    identityHeader,
    setSecret: (name, value) => void setSecret(name, value),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function kvError(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, { error: { code, message } });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk);
  }
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
}
