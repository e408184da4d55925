// The Azure ML online endpoint stand-in over real loopback HTTP, in front of tiny node:http "inference servers"
// (one echoing 200 JSON, one failing with 500, one that never answers): key and token auth, deployment routing,
// 424/408/429/502, request ids. Also the shared identity tokens and the Key Vault stand-in issuing ml.azure.com tokens.
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAzureMlOnlineStandIn, type AzureMlOnlineStandIn } from '../../src/local/azureml-online-standin.js';
import { createTokenIssuer } from '../../src/local/identity-tokens.js';
import { startKeyVaultStandIn, TOKEN_RESOURCES } from '../../src/local/keyvault-standin.js';

const PRIMARY = `primary-${randomUUID()}`;
const SECONDARY = `secondary-${randomUUID()}`;
const SIGNING_KEY = `signing-${randomUUID()}`;
const ML = 'https://ml.azure.com';

const servers: http.Server[] = [];
const standIns: AzureMlOnlineStandIn[] = [];
let echoUrl = '';
let failingUrl = '';
let hangingUrl = '';
let hangingHits = 0;

async function upstream(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function standIn(options: Partial<Parameters<typeof startAzureMlOnlineStandIn>[0]> = {}): Promise<AzureMlOnlineStandIn> {
  const s = await startAzureMlOnlineStandIn({
    deployments: { blue: { upstream: echoUrl, traffic: 100 }, green: { upstream: failingUrl }, slow: { upstream: hangingUrl } },
    auth: { mode: 'key', keys: [PRIMARY, SECONDARY] },
    ...options,
  });
  standIns.push(s);
  return s;
}

async function score(s: AzureMlOnlineStandIn, auth: string | undefined, headers: Record<string, string> = {}, signal?: AbortSignal) {
  const res = await request(`${s.url}/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers },
    body: JSON.stringify({ input_data: { data: [[1, 2]] } }),
    signal,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

let keyed: AzureMlOnlineStandIn;

beforeAll(async () => {
  echoUrl = await upstream((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.stringify({ path: req.url, contentType: req.headers['content-type'], echo: JSON.parse(Buffer.concat(chunks).toString()) as unknown });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  failingUrl = await upstream((req, res) => {
    req.resume();
    res.writeHead(500, { 'content-type': 'text/plain' }).end('boom\r\nTraceback: model crashed');
  });
  hangingUrl = await upstream((req) => {
    hangingHits += 1;
    req.resume(); // never answers
  });
  keyed = await standIn();
});

afterAll(async () => {
  await Promise.all(standIns.map((s) => s.close()));
  await Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

describe('identity tokens', () => {
  const issuer = createTokenIssuer(Buffer.from(SIGNING_KEY), 60);

  it('issues a token that verifies for its audience only', () => {
    const before = Date.now() / 1000;
    const { token, exp } = issuer.issue(ML);
    const claims = issuer.verify(`Bearer ${token}`, ML);
    expect(claims).toMatchObject({ aud: ML, exp });
    expect(claims!.iat).toBeGreaterThanOrEqual(Math.floor(before) - 1); // whole seconds, as JWTs carry them
    expect(token.split('.')).toHaveLength(3); // a JWT: header, claims, signature
    expect(exp - Math.floor(claims!.iat)).toBe(60);
    expect(issuer.verify(`Bearer ${token}`, 'https://vault.azure.net')).toBeUndefined();
    expect(issuer.verify(token, ML)).toBeUndefined(); // no Bearer scheme
    expect(issuer.verify(undefined, ML)).toBeUndefined();
    expect(createTokenIssuer(Buffer.from('another key'), 60).verify(`Bearer ${token}`, ML)).toBeUndefined();
  });

  it('refuses an expired or tampered token', () => {
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 120_000);
    const old = issuer.issue(ML).token;
    now.mockRestore();
    expect(issuer.verify(`Bearer ${old}`, ML)).toBeUndefined();

    const { token } = issuer.issue(ML);
    const [payload, sig] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 3600 })).toString('base64url');
    expect(issuer.verify(`Bearer ${forged}.${sig}`, ML)).toBeUndefined();
    expect(issuer.verify(`Bearer ${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`, ML)).toBeUndefined();
    // A correctly signed payload without iat is not one of ours either.
    const noIat = Buffer.from(JSON.stringify({ aud: ML, exp: Date.now() / 1000 + 60 })).toString('base64url');
    const signed = `${noIat}.${createHmac('sha256', SIGNING_KEY).update(noIat).digest('base64url')}`;
    expect(issuer.verify(`Bearer ${signed}`, ML)).toBeUndefined();
    expect(() => createTokenIssuer(Buffer.from('k'), 0)).toThrow();
  });

  it('the Key Vault stand-in identity endpoint issues ml.azure.com, management.azure.com and storage.azure.com tokens, no others; Key Vault still wants vault tokens', async () => {
    expect(TOKEN_RESOURCES).toEqual(['https://vault.azure.net', ML, 'https://management.azure.com', 'https://storage.azure.com']);
    const kv = await startKeyVaultStandIn({ signingKey: SIGNING_KEY, tokenTtlSeconds: 120 });
    try {
      const tokenFor = async (resource: string) => {
        const res = await request(`${kv.identityEndpoint}?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`, { headers: { 'x-identity-header': kv.identityHeader } });
        return { status: res.statusCode, body: (await res.body.json()) as { access_token: string; expires_on: string; resource: string } };
      };
      const ml = await tokenFor(`${ML}/`);
      expect(ml.status).toBe(200);
      expect(ml.body.resource).toBe(ML);
      const claims = createTokenIssuer(Buffer.from(SIGNING_KEY), 1).verify(`Bearer ${ml.body.access_token}`, ML);
      expect(claims?.exp).toBe(Number(ml.body.expires_on));
      expect(claims!.exp - Math.floor(claims!.iat)).toBe(120);
      expect((await tokenFor('https://management.azure.com')).status).toBe(200); // the batch Jobs API's audience
      expect((await tokenFor('https://storage.azure.com')).status).toBe(200); // identity-based storage
      expect((await tokenFor('https://example.com')).status).toBe(400);

      const secretUrl = `${kv.url}/secrets/x?api-version=7.5`;
      const withMl = await request(secretUrl, { headers: { authorization: `Bearer ${ml.body.access_token}` } });
      expect(withMl.statusCode).toBe(401);
      await withMl.body.dump();
      const vault = await tokenFor('https://vault.azure.net');
      const withVault = await request(secretUrl, { headers: { authorization: `Bearer ${vault.body.access_token}` } });
      expect(withVault.statusCode).toBe(404); // authorised; the secret does not exist
      await withVault.body.dump();
    } finally {
      await kv.close();
    }
  });
});

describe('Azure ML online endpoint stand-in', () => {
  it('refuses non-loopback hosts and bad configuration', async () => {
    await expect(standIn({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(standIn({ deployments: { blue: { upstream: echoUrl, traffic: 50 } } })).rejects.toThrow(/add up to 100/);
    await expect(standIn({ deployments: { x: { upstream: echoUrl } } })).rejects.toThrow(/Deployment name/);
    await expect(standIn({ requestTimeoutMs: 0 })).rejects.toThrow(/requestTimeoutMs/);
  });

  it('forwards to the deployment with the most traffic with key auth, and passes the answer through', async () => {
    const res = await score(keyed, PRIMARY, { 'x-ms-client-request-id': 'my-call_42' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({ path: '/score', contentType: 'application/json', echo: { input_data: { data: [[1, 2]] } } });
    expect(res.headers['azureml-model-deployment']).toBe('blue');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-ms-client-request-id']).toBe('my-call_42');
    expect((await score(keyed, SECONDARY)).status).toBe(200);
    expect(keyed.log.at(-2)).toEqual({ deployment: 'blue', status: 200, clientRequestId: 'my-call_42', authorization: 'key' });
  });

  it('answers 401 with a Bearer challenge for a missing or wrong key, and follows a rotation', async () => {
    for (const auth of [undefined, 'wrong', `${PRIMARY}x`]) {
      const res = await score(keyed, auth);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(typeof res.json().message).toBe('string');
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.headers['azureml-model-deployment']).toBeUndefined();
    }
    const rotated = await standIn();
    rotated.setKeys(SECONDARY, `new-${PRIMARY}`);
    expect((await score(rotated, PRIMARY)).status).toBe(401);
    expect((await score(rotated, `new-${PRIMARY}`)).status).toBe(200);
    expect((await score(rotated, SECONDARY)).status).toBe(200);
    expect(JSON.stringify(rotated.log)).not.toContain(PRIMARY);
  });

  it('accepts a valid ml.azure.com token in aad_token mode, not a wrong audience or an expired one', async () => {
    const aad = await standIn({ auth: { mode: 'aad_token', signingKey: SIGNING_KEY } });
    const issuer = createTokenIssuer(Buffer.from(SIGNING_KEY), 300);
    const good = issuer.issue(ML);
    expect((await score(aad, good.token)).status).toBe(200);
    expect(aad.log.at(-1)).toEqual({ deployment: 'blue', status: 200, tokenExp: good.exp, authorization: 'token' });
    expect((await score(aad, issuer.issue('https://vault.azure.net').token)).status).toBe(401);
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 600_000);
    const expired = issuer.issue(ML).token;
    now.mockRestore();
    const res = await score(aad, expired);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect((await score(aad, PRIMARY)).status).toBe(401); // keys mean nothing to a token endpoint
    expect(() => aad.setKeys('a', 'b')).toThrow();
  });

  it('routes by azureml-model-deployment: pinned, unknown, and none with traffic', async () => {
    const pinned = await score(keyed, PRIMARY, { 'azureml-model-deployment': 'blue' });
    expect(pinned.status).toBe(200);
    expect(pinned.headers['azureml-model-deployment']).toBe('blue');
    const unknown = await score(keyed, PRIMARY, { 'azureml-model-deployment': 'purple' });
    expect(unknown.status).toBe(404);
    expect(typeof unknown.json().message).toBe('string');
    expect(unknown.headers['azureml-model-deployment']).toBeUndefined();

    const split = await standIn({ deployments: { small: { upstream: failingUrl, traffic: 30 }, large: { upstream: echoUrl, traffic: 70 } } });
    const byTraffic = await score(split, PRIMARY);
    expect([byTraffic.status, byTraffic.headers['azureml-model-deployment']]).toEqual([200, 'large']);

    const dark = await standIn({ deployments: { blue: { upstream: echoUrl }, green: { upstream: echoUrl } } });
    const none = await score(dark, PRIMARY);
    expect(none.status).toBe(404);
    expect(none.json().message).toMatch(/^No valid deployments to route to/);
    expect((await score(dark, PRIMARY, { 'azureml-model-deployment': 'green' })).status).toBe(200);
  });

  it('wraps a model error in 424 with the model status and reason, passing the body through', async () => {
    const res = await score(keyed, PRIMARY, { 'azureml-model-deployment': 'green' });
    expect(res.status).toBe(424);
    expect(res.headers['ms-azureml-model-error-statuscode']).toBe('500');
    expect(res.headers['ms-azureml-model-error-reason']).toBe('Internal Server Error');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.text).toBe('boom\r\nTraceback: model crashed');
    expect(res.headers['azureml-model-deployment']).toBe('green');
  });

  it('answers 408 when the model does not answer within request_timeout_ms', async () => {
    const s = await standIn({ requestTimeoutMs: 150 });
    const hits = hangingHits;
    const started = Date.now();
    const res = await score(s, PRIMARY, { 'azureml-model-deployment': 'slow' });
    expect(res.status).toBe(408);
    expect(res.json()).toEqual({ message: 'Request timed out' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(hangingHits).toBe(hits + 1);
  });

  it('answers 429 at maxConcurrentRequests, and 502 when the model server is down', async () => {
    const s = await standIn({ requestTimeoutMs: 60_000, maxConcurrentRequests: 1 });
    const hold = new AbortController();
    const hits = hangingHits;
    const held = score(s, PRIMARY, { 'azureml-model-deployment': 'slow' }, hold.signal).catch((e: unknown) => e);
    await vi.waitFor(() => expect(hangingHits).toBe(hits + 1), { interval: 5 });
    const busy = await score(s, PRIMARY);
    expect(busy.status).toBe(429);
    expect(busy.json()).toEqual({ message: 'Too many pending requests' });
    hold.abort();
    await held;
    await vi.waitFor(async () => expect((await score(s, PRIMARY)).status).toBe(200), { interval: 10 });

    const closed = await upstream(() => undefined);
    const down = servers.pop()!;
    await new Promise((r) => down.close(r));
    const gone = await standIn({ deployments: { blue: { upstream: closed, traffic: 100 } } });
    const res = await score(gone, PRIMARY);
    expect(res.status).toBe(502);
    expect(typeof res.json().message).toBe('string');
  });

  it('fails on demand, echoes only valid client request ids, and 404s anything but POST /score', async () => {
    keyed.failNext(503, 2);
    for (let i = 0; i < 2; i++) {
      const res = await score(keyed, PRIMARY);
      expect(res.status).toBe(503);
      expect(typeof res.json().message).toBe('string');
    }
    expect((await score(keyed, PRIMARY)).status).toBe(200);

    for (const bad of ['has space', 'x'.repeat(41), 'semi;colon']) {
      const res = await score(keyed, PRIMARY, { 'x-ms-client-request-id': bad });
      expect(res.status).toBe(200);
      expect(res.headers['x-ms-client-request-id']).toBeUndefined();
      expect(keyed.log.at(-1)!.clientRequestId).toBeUndefined();
    }
    const get = await request(`${keyed.url}/score`, { headers: { authorization: `Bearer ${PRIMARY}` } });
    expect(get.statusCode).toBe(404);
    expect(((await get.body.json()) as { message: string }).message).toBeTruthy();
    const other = await request(`${keyed.url}/_standin/keys`, { method: 'POST', body: '{}' });
    expect(other.statusCode).toBe(404); // no control key given: no control endpoint
    await other.body.dump();
    expect(keyed.log.length).toBeLessThanOrEqual(100);
  });

  it('rotates keys through POST /_standin/keys only with the control key', async () => {
    const controlKey = `control-${randomUUID()}`;
    const s = await standIn({ controlKey });
    const rotate = (key: string, body: unknown) =>
      request(`${s.url}/_standin/keys`, { method: 'POST', headers: { 'x-standin-control-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const wrong = await rotate('nope', { keys: ['a', 'b'] });
    expect(wrong.statusCode).toBe(404);
    await wrong.body.dump();
    const bad = await rotate(controlKey, { keys: ['only-one'] });
    expect(bad.statusCode).toBe(400);
    await bad.body.dump();
    const ok = await rotate(controlKey, { keys: ['k1', 'k2'] });
    expect(ok.statusCode).toBe(204);
    await ok.body.dump();
    expect((await score(s, PRIMARY)).status).toBe(401);
    expect((await score(s, 'k2')).status).toBe(200);
  });

  it('keeps the last 100 calls', async () => {
    const s = await standIn();
    s.failNext(500, 105);
    for (let i = 0; i < 105; i++) await score(s, PRIMARY, { 'x-ms-client-request-id': `c${i}` });
    expect(s.log).toHaveLength(100);
    expect(s.log[0]).toEqual({ status: 500, clientRequestId: 'c5', authorization: 'key' });
  });
});

describe('connections', () => {
  it('keeps a keep-alive client\'s connection across calls, as Azure\'s front door does (a 1 s timeout made undici reconnect every call)', async () => {
    const pool = new Pool(keyed.url, { connections: 1 });
    const timeouts = new Set<number>();
    try {
      for (let i = 0; i < 3; i++) {
        const res = await pool.request({ method: 'POST', path: '/score', headers: { 'content-type': 'application/json', authorization: `Bearer ${PRIMARY}` }, body: '{}' });
        await res.body.text();
        expect(res.statusCode).toBe(200);
        expect(res.headers['keep-alive']).toMatch(/timeout=(\d+)/);
        timeouts.add(Number(/timeout=(\d+)/.exec(String(res.headers['keep-alive']))![1]));
      }
      // undici keeps a connection for the advertised timeout minus 1 s: more than a second is needed for any reuse.
      expect(Math.min(...timeouts)).toBeGreaterThan(2);
      expect(pool.stats.connected).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
