// RRS Execute end to end through real HTTP: app → facade (local Functions host) → Key Vault stand-in for
// the backend key → reference ML service, with Azurite holding the catalogue.
import { expectClassicBody } from './helpers/classic.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { allLogs, useStack } from './helpers/stack.js';
import { featureHash } from '../../src/reference/feature-hashing.js';
import { CatalogueStore } from '../../src/lib/catalogue/catalogue-store.js';
import { getTableClient } from '../../src/lib/storage/tables.js';
import { TABLES } from '../../src/lib/storage/tables.js';

const stack = useStack();
const responses: string[] = [];
const extraServers: http.Server[] = [];
afterAll(() => extraServers.forEach((s) => { s.closeAllConnections(); s.close(); }));

const BODY = { Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day'], ['Another day, another 2 dollars']] } }, GlobalParameters: {} };

async function call(path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; method?: 'POST' | 'GET' } = {}) {
  const s = stack();
  const res = await request(`${s.facadeUrl}${path}`, {
    method: options.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.body.text();
  responses.push(JSON.stringify(res.headers) + text);
  return { status: res.statusCode, headers: res.headers, text, json: text ? (JSON.parse(text) as any) : undefined };
}

const demoPath = (query = 'api-version=2.0&details=true') => {
  const { workspace, service } = stack().demo;
  return `/workspaces/${workspace}/services/${service}/execute?${query}`;
};
const bearer = () => ({ Authorization: `Bearer ${stack().demo.subscriptionKey}` });

function expectClassicError(res: { status: number; json: any; headers: Record<string, unknown> }, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers['x-ms-request-id']).toBeTruthy();
  expectClassicBody(res.json, code);
}

async function addService(service: string, baseUrl: string, timeoutMs: number) {
  const s = stack();
  const catalogue = new CatalogueStore(() => getTableClient(s.storageConnectionString, TABLES.catalogue), { cacheMs: 0 });
  await catalogue.put({
    workspace: s.demo.workspace, service, products: [],
    backend: { kind: 'classic', baseUrl, workspace: s.backend.workspace, service: s.backend.service, apiKeySecretName: s.backend.secretName, timeoutMs },
  });
}

describe('RRS Execute through the facade', () => {
  it('scores the classic table body with a Bearer key: Col2 + 8 hashing columns, values as strings', async () => {
    const res = await call(demoPath(), { body: BODY, headers: bearer() });
    expect(res.status).toBe(200);
    expect(res.headers['x-ms-request-id']).toBeTruthy();
    const table = res.json.Results.output1.value;
    expect(res.json.Results.output1.type).toBe('table');
    expect(table.ColumnNames).toEqual(['Col2', ...Array.from({ length: 8 }, (_, i) => `Col2_HashingFeature.${i}`)]);
    expect(table.ColumnTypes).toHaveLength(9);
    expect(table.Values).toHaveLength(2);
    for (const [i, row] of (table.Values as string[][]).entries()) {
      for (const v of row) expect(typeof v).toBe('string');
      const text = BODY.Inputs.input1.Values[i]![0]!;
      expect(row).toEqual([text, ...featureHash(text).map(String)]);
    }
  });

  it('accepts the key in the APIM header and the query parameter too', async () => {
    const key = stack().demo.subscriptionKey;
    expect((await call(demoPath(), { body: BODY, headers: { 'Ocp-Apim-Subscription-Key': key } })).status).toBe(200);
    expect((await call(demoPath(`api-version=2.0&subscription-key=${encodeURIComponent(key)}`), { body: BODY })).status).toBe(200);
  });

  it('details=false omits ColumnTypes', async () => {
    const res = await call(demoPath('api-version=2.0&details=false'), { body: BODY, headers: bearer() });
    expect(res.status).toBe(200);
    expect(res.json.Results.output1.value.ColumnTypes).toBeUndefined();
    expect(res.json.Results.output1.value.ColumnNames).toHaveLength(9);
  });

  it('format=swagger takes and returns row objects', async () => {
    const res = await call(demoPath('api-version=2.0&format=swagger'), {
      body: { Inputs: { input1: [{ Col2: 'This is a good day' }] }, GlobalParameters: {} },
      headers: bearer(),
    });
    expect(res.status).toBe(200);
    const rows = res.json.Results.output1;
    expect(Array.isArray(rows)).toBe(true);
    expect(rows[0].Col2).toBe('This is a good day');
    expect(rows[0]['Col2_HashingFeature.7']).toBe(String(featureHash('This is a good day')[7]));
  });

  it('passes GlobalParameters to the model (bitsize 4 → 16 columns)', async () => {
    const res = await call(demoPath(), { body: { ...BODY, GlobalParameters: { 'Hashing bitsize': '4' } }, headers: bearer() });
    expect(res.status).toBe(200);
    expect(res.json.Results.output1.value.ColumnNames).toHaveLength(17);
  });

  it('GET /health answers 200 naming nothing inside; GET /manage/health (admin) reports every dependency reachable', async () => {
    const res = await call('/health', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'healthy' });
    const report = await call('/manage/health', { method: 'GET', headers: { 'x-admin-key': stack().adminKey } });
    expect(report.status).toBe(200);
    expect(report.json.status).toBe('healthy');
    expect(report.json.checks.storage.ok).toBe(true);
    expect(report.json.checks.keyVault.ok).toBe(true);
    expect(report.json.checks[`backend:${stack().demo.workspace}/${stack().demo.service}`].ok).toBe(true);
    expect((await call('/manage/health', { method: 'GET' })).status).toBe(401);
  });

  it('bad body → 400 naming the field', async () => {
    const res = await call(demoPath(), { body: { Inputs: { input1: { ColumnNames: ['Col2'], Values: [['a', 'b']] } } }, headers: bearer() });
    expectClassicError(res, 400, 'BadArgument');
    expect(res.json.error.details[0].target).toBe('Inputs.input1.Values[0]');
    expectClassicError(await call(demoPath(), { rawBody: '{"Inputs":', headers: bearer() }), 400, 'BadArgument');
  });

  it('missing api-version → 400 naming api-version', async () => {
    const res = await call(demoPath('details=true'), { body: BODY, headers: bearer() });
    expectClassicError(res, 400, 'BadArgument');
    expect(res.json.error.details.map((d: { target: string }) => d.target)).toContain('api-version');
  });

  it('unknown service → 404 WebServiceNotFound', async () => {
    const res = await call(`/workspaces/${stack().demo.workspace}/services/no-such-service/execute?api-version=2.0`, { body: BODY, headers: bearer() });
    expectClassicError(res, 404, 'WebServiceNotFound');
  });

  it('missing or wrong key → 401, anonymous calls get nothing', async () => {
    expectClassicError(await call(demoPath(), { body: BODY }), 401, 'ScoreRequestUnauthorized');
    expectClassicError(await call(demoPath(), { body: BODY, headers: { Authorization: 'Bearer not-the-key' } }), 401, 'ScoreRequestUnauthorized');
  });

  it('body over the limit → 413', async () => {
    const huge = { Inputs: { input1: { ColumnNames: ['Col2'], Values: [['x'.repeat(5 * 1024 * 1024)]] } } };
    expectClassicError(await call(demoPath(), { body: huge, headers: bearer() }), 413, 'RequestBodyTooLarge');
  });

  it('backend down → 502, backend slower than the timeout → 504', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise((r) => dead.close(r));
    const slow = http.createServer((req) => req.resume()); // reads the call, never answers
    extraServers.push(slow);
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    await addService('down-service', deadUrl, 1_000);
    await addService('slow-service', `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, 500);
    const ws = stack().demo.workspace;
    expectClassicError(await call(`/workspaces/${ws}/services/down-service/execute?api-version=2.0`, { body: BODY, headers: bearer() }), 502, 'BackendUnreachable');
    expectClassicError(await call(`/workspaces/${ws}/services/slow-service/execute?api-version=2.0`, { body: BODY, headers: bearer() }), 504, 'BackendScoreTimeout');
    // A dead backend degrades that backend, not the gateway.
    expect((await call('/health', { method: 'GET' })).status).toBe(200);
    const report = await call('/manage/health', { method: 'GET', headers: { 'x-admin-key': stack().adminKey } });
    expect(report.status).toBe(200);
    expect(report.json.status).toBe('degraded');
    expect(report.json.checks[`backend:${ws}/down-service`].ok).toBe(false);
    expect(report.json.checks.storage.ok).toBe(true);
  });

  it('the facade is still up after all of the above, and no log line or response holds the backend key', async () => {
    expect((await call(demoPath(), { body: BODY, headers: bearer() })).status).toBe(200);
    const s = stack();
    const logs = allLogs(s);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(s.backend.apiKey);
    expect(logs).not.toContain(s.demo.subscriptionKey);
    expect(logs).not.toContain(s.adminKey);
    expect(responses.join('\n')).not.toContain(s.backend.apiKey);
  });
});
