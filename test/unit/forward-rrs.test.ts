// The RRS forwarding policy against small real HTTP servers on loopback: key injection, pass-through,
// the one refresh-and-retry on a backend 401, and 502/504 for a backend that is down or too slow.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardRrs } from '../../src/lib/gateway/policies/forward-rrs.js';
import { ClassicBackend } from '../../src/lib/backends/classic/adapter.js';
import type { BackendKeys } from '../../src/lib/backends/keys.js';
import type { GatewayContext } from '../../src/lib/gateway/context.js';
import type { CatalogueEntry } from '../../src/lib/catalogue/entry.js';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); })));
});

async function backend(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function entry(baseUrl: string, timeoutMs = 2_000): CatalogueEntry {
  return {
    workspace: 'ws', service: 'svc', products: [],
    backend: { kind: 'classic', baseUrl, workspace: 'bws', service: 'bsvc', apiKeySecretName: 'k', timeoutMs },
  };
}

function context(e: CatalogueEntry, body = '{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[["hi"]]}}}'): GatewayContext {
  const request = new HttpRequest({
    method: 'POST',
    url: 'http://facade/workspaces/ws/services/svc/execute?api-version=2.0&details=false&subscription-key=secret-sub-key',
    body: { string: body },
  });
  return { requestId: 'req-1', operation: 'rrs.execute', request, invocation: new InvocationContext(), workspace: 'ws', service: 'svc', startedAt: 0, entry: e };
}

class FakeKeys implements BackendKeys {
  refreshes = 0;
  constructor(private current: string, private next = current) {}
  async get() { return this.current; }
  async refresh(_name: string, stale?: string) {
    this.refreshes++;
    if (stale === this.current) this.current = this.next;
    return this.current;
  }
}

const policy = (keys: BackendKeys) =>
  forwardRrs({ maxRequestBytes: 10_000, maxRows: 3, defaultTimeoutMs: 5_000, backends: ((backend) => () => backend)(new ClassicBackend(keys)) });

describe('forwardRrs', () => {
  it('injects the backend key, rebuilds the query without the caller key and passes the answer through', async () => {
    let seen: { auth?: string; url?: string; body?: string } = {};
    const url = await backend((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c)).on('end', () => {
        seen = { auth: req.headers.authorization, url: req.url, body };
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"Results":{}}');
      });
    });
    const ctx = context(entry(url));
    await policy(new FakeKeys('backend-key'))(ctx, async () => {});
    expect(seen.auth).toBe('Bearer backend-key');
    expect(seen.url).toBe('/workspaces/bws/services/bsvc/execute?api-version=2.0&details=false');
    expect(seen.body).toContain('"Col2"');
    expect(ctx.response?.status).toBe(200);
    expect(String(ctx.response?.body)).toBe('{"Results":{}}');
    expect((ctx.response?.headers as Record<string, string>)['x-ms-request-id']).toBe('req-1');
  });

  it('refreshes a rotated key once and retries once on a backend 401', async () => {
    const url = await backend((req, res) => {
      req.resume();
      res.writeHead(req.headers.authorization === 'Bearer new-key' ? 200 : 401).end('{}');
    });
    const keys = new FakeKeys('old-key', 'new-key');
    const ctx = context(entry(url));
    await policy(keys)(ctx, async () => {});
    expect(ctx.response?.status).toBe(200);
    expect(keys.refreshes).toBe(1);
  });

  it('answers 502 BackendUnauthorized when the refreshed key is still refused', async () => {
    const url = await backend((req, res) => { req.resume(); res.writeHead(401).end('{}'); });
    const keys = new FakeKeys('old-key');
    await expect(policy(keys)(context(entry(url)), async () => {})).rejects.toMatchObject({ status: 502, code: 'BackendUnauthorized' });
    expect(keys.refreshes).toBe(1);
  });

  it('passes backend errors other than 401 through unchanged', async () => {
    const classic = '{"error":{"code":"BadArgument","message":"m","details":[{"code":"InvalidInputNames","message":"m"}]}}';
    const url = await backend((req, res) => { req.resume(); res.writeHead(400, { 'content-type': 'application/json' }).end(classic); });
    const ctx = context(entry(url));
    await policy(new FakeKeys('k'))(ctx, async () => {});
    expect(ctx.response?.status).toBe(400);
    expect(String(ctx.response?.body)).toBe(classic);
  });

  it('gives a backend error without details the details every classic error carries, keeping its status and code', async () => {
    const url = await backend((req, res) => { req.resume(); res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"InvalidInputNames"}}'); });
    await expect(policy(new FakeKeys('k'))(context(entry(url)), async () => {})).rejects.toMatchObject({
      status: 400, classCode: 'InvalidInputNames', details: [{ code: 'InvalidInputNames' }],
    });
  });

  it('answers 502 BackendUnreachable when nothing listens', async () => {
    const url = await backend(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    await expect(policy(new FakeKeys('k'))(context(entry(url)), async () => {})).rejects.toMatchObject({ status: 502, code: 'BackendUnreachable' });
  });

  it('answers 504 BackendScoreTimeout when the backend is slower than the timeout', async () => {
    const url = await backend((req) => { req.resume(); /* never answers */ });
    await expect(policy(new FakeKeys('k'))(context(entry(url, 200)), async () => {})).rejects.toMatchObject({ status: 504, code: 'BackendScoreTimeout' });
  });

  it('answers 504 when the backend trickles its body past the deadline', async () => {
    const url = await backend((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    await expect(policy(new FakeKeys('k'))(context(entry(url, 300)), async () => {})).rejects.toMatchObject({ status: 504 });
  });

  it('refuses more rows than the limit with 400 TooManyRows naming the input', async () => {
    let calls = 0;
    const url = await backend((_req, res) => { calls++; res.end(); });
    const body = JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['a'], ['b'], ['c'], ['d']] } } });
    const error = await policy(new FakeKeys('k'))(context(entry(url), body), async () => {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, details: [{ code: 'TooManyRows', target: 'Inputs.input1.Values' }] });
    expect(calls).toBe(0);
  });

  it('validates before calling the backend: a bad body never leaves the facade', async () => {
    let calls = 0;
    const url = await backend((_req, res) => { calls++; res.end(); });
    await expect(policy(new FakeKeys('k'))(context(entry(url), '{"Inputs":'), async () => {})).rejects.toMatchObject({ status: 400 });
    expect(calls).toBe(0);
  });
});
