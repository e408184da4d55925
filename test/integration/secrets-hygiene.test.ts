// Secrets hygiene end to end: one stack (Azure SDK logging at verbose) runs RRS, management, BES (facade-held,
// SAS-uploaded and classic pass-through inputs) and error paths (wrong keys, bad bodies, backend 401 → Key Vault
// refresh, backend down); then no secret appears in any process's log, nor in any answer but the one that issues it,
// nor in any telemetry the facade sends to Application Insights (the ingestion stand-in receives it).
import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { csvOf, sampleTexts } from './helpers/bes.js';
import { registerService, setVaultSecret } from './helpers/faults.js';
import { AnswerLog, accountKeyOf, contains, linesWith, sigsIn } from './helpers/leaks.js';
import { waitFor } from './helpers/wait.js';
import { startAppInsightsStandIn } from '../../src/local/appinsights-standin.js';

const telemetry = await startAppInsightsStandIn();
afterAll(() => telemetry.close());

const stack = useStack({
  own: true, // every process's log is scanned: only this file's own
  facadeEnv: {
    AZURE_LOG_LEVEL: 'verbose', BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1', BES_STATUS_REFRESH_SECONDS: '3600',
    APPLICATIONINSIGHTS_CONNECTION_STRING: telemetry.connectionString('00000000-0000-0000-0000-00000000000a'), TELEMETRY_FLUSH_SECONDS: '1',
  },
});
const log = new AnswerLog();
const newKey = () => randomBytes(32).toString('base64url');
/** Subscription keys, each with the labels of the answers that may show it (its creation or regeneration). */
const subscriptionKeys = new Map<string, string[]>();
/** SAS signatures, each with the label of the answer that issued it. */
const sigs = new Map<string, string[]>();
const wrongKeys = { subscription: newKey(), admin: newKey(), staleBackend: newKey() };
const RRS_BODY = JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day']] } }, GlobalParameters: {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function keyed(key: string, place: 'header' | 'bearer' | 'query' = 'header'): { headers: Record<string, string>; query: string } {
  if (place === 'query') return { headers: {}, query: `&subscription-key=${encodeURIComponent(key)}` };
  return { headers: place === 'header' ? { 'ocp-apim-subscription-key': key } : { authorization: `Bearer ${key}` }, query: '' };
}

function dataPlane(service = stack().demo.service) {
  const base = `${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/${service}`;
  return (label: string, method: string, path: string, key: string, body?: string, place: 'header' | 'bearer' | 'query' = 'header') => {
    const k = keyed(key, place);
    const sep = path.includes('?') ? '&' : '?';
    return log.call(label, `${base}${path}${sep}api-version=2.0${k.query}`, { method, headers: { 'content-type': 'application/json', ...k.headers }, body });
  };
}

function manage(label: string, method: string, path: string, body?: unknown, adminKey = stack().adminKey) {
  return log.call(label, `${stack().facadeUrl}/manage/${path}`, { method, headers: { 'x-admin-key': adminKey, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function untilDone(call: ReturnType<typeof dataPlane>, key: string, id: string): Promise<void> {
  await waitFor(`job ${id} to finish`, async () => {
    const status = await call(`status ${id}`, 'GET', `/jobs/${id}`, key);
    for (const sig of sigsIn(status.text)) sigs.set(sig, [`status ${id}`]);
    return ['NotStarted', 'Running'].includes(status.json?.StatusCode) ? undefined : true;
  }, 30_000, 200);
}

beforeAll(async () => {
  const s = stack();
  const api = dataPlane();
  const demo = s.demo.subscriptionKey;
  subscriptionKeys.set(demo, []);

  // RRS, the key in each of its three places; a wrong key; bad bodies that carry secrets.
  for (const place of ['header', 'bearer', 'query'] as const) expect((await api(`rrs ${place}`, 'POST', '/execute', demo, RRS_BODY, place)).status).toBe(200);
  expect((await api('rrs swagger', 'POST', '/execute?format=swagger', demo, JSON.stringify({ Inputs: { input1: [{ Col2: 'a b' }] } }))).status).toBe(200);
  expect((await api('rrs wrong key', 'POST', '/execute', wrongKeys.subscription, RRS_BODY)).status).toBe(401);
  expect((await api('rrs bad body', 'POST', '/execute', demo, JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: demo } } }))).status).toBe(400);
  expect((await api('rrs not json', 'POST', '/execute', demo, `{"key":"${demo}"`)).status).toBe(400);

  // Management: a subscription (its keys shown once), a regenerated key, the other calls, a wrong admin key.
  const created = await manage('create subscription', 'POST', 'subscriptions', { name: 'hygiene', productId: 'unlimited' });
  subscriptionKeys.set(created.json.primaryKey, ['create subscription']);
  subscriptionKeys.set(created.json.secondaryKey, ['create subscription']);
  const regenerated = await manage('regenerate', 'POST', `subscriptions/${created.json.id}/regenerate?key=primary`);
  subscriptionKeys.set(regenerated.json.primaryKey, ['regenerate']);
  for (const [label, method, path, body] of [
    ['list subscriptions', 'GET', 'subscriptions'], ['get subscription', 'GET', `subscriptions/${created.json.id}`],
    ['suspend', 'PATCH', `subscriptions/${created.json.id}`, { state: 'suspended' }], ['reactivate', 'PATCH', `subscriptions/${created.json.id}`, { state: 'active' }],
    ['products', 'GET', 'products'], ['put product', 'PUT', 'products/hygiene', { name: 'Hygiene', rateLimit: { calls: 100, renewalPeriod: 60 } }],
    ['catalogue', 'GET', 'catalogue'], ['catalogue entry', 'GET', `catalogue/${s.demo.workspace}/${s.demo.service}`], ['usage', 'GET', 'usage'],
  ] as const) expect((await manage(label, method, path, body)).status).toBeLessThan(300);
  expect((await manage('wrong admin key', 'GET', 'products', undefined, wrongKeys.admin)).status).toBe(401);
  expect((await api('rrs regenerated key', 'POST', '/execute', regenerated.json.primaryKey, RRS_BODY)).status).toBe(200);
  expect((await api('rrs old key', 'POST', '/execute', created.json.primaryKey, RRS_BODY)).status).toBe(401);

  // BES: a facade-held input uploaded through the facade, one uploaded with the input SAS, one classic pass-through.
  const csv = csvOf(sampleTexts(20));
  const uploaded = await log.call('upload', `${s.facadeUrl}/workspaces/${s.demo.workspace}/services/${s.demo.service}/inputs?api-version=2.0&name=in.csv`, { method: 'POST', headers: { 'ocp-apim-subscription-key': demo, 'content-type': 'text/csv' }, body: csv });
  const sas = await api('input sas', 'POST', '/inputs/sas?name=big.csv', demo);
  for (const sig of sigsIn(sas.text)) sigs.set(sig, ['input sas']);
  const put = await request(sas.json.SasUrl, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: csv });
  expect(put.statusCode).toBe(201);
  await put.body.dump();
  const conn = s.storageConnectionString;
  const client = BlobServiceClient.fromConnectionString(conn).getContainerClient('hygiene-client');
  await client.createIfNotExists();
  await client.getBlockBlobClient('in.csv').upload(csv, Buffer.byteLength(csv));
  const bodies = [
    { Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } } },
    { Inputs: { input1: { RelativeLocation: sas.json.RelativeLocation } } },
    { Inputs: { input1: { ConnectionString: conn, RelativeLocation: '/hygiene-client/in.csv' } }, Outputs: { output1: { ConnectionString: conn, RelativeLocation: '/hygiene-client/out.csv' } } },
  ];
  for (const [i, body] of bodies.entries()) {
    const id = (await api(`submit ${i}`, 'POST', '/jobs', demo, JSON.stringify(body))).json as string;
    expect((await api(`start ${i}`, 'POST', `/jobs/${id}/start`, demo)).status).toBe(200);
    await untilDone(api, demo, id);
    expect((await api(`download ${i}`, 'GET', `/jobs/${id}/results/output1`, demo)).status).toBe(200);
  }
  const cancelled = (await api('submit to cancel', 'POST', '/jobs', demo, JSON.stringify(bodies[2]))).json as string;
  expect((await api('cancel', 'DELETE', `/jobs/${cancelled}`, demo)).status).toBe(200);
  expect((await api('list', 'GET', '/jobs', demo)).status).toBe(200);
  const foreign = `BlobEndpoint=https://elsewhere.example.net;AccountName=other;AccountKey=${accountKeyOf(conn)}`;
  expect((await api('submit foreign storage', 'POST', '/jobs', demo, JSON.stringify({ Inputs: { input1: { ConnectionString: foreign, RelativeLocation: '/c/in.csv' } } }))).status).toBe(400);
  expect((await api('submit bad body', 'POST', '/jobs', demo, JSON.stringify({ Inputs: { input1: { ConnectionString: conn, RelativeLocation: 7 } } }))).status).toBe(400);

  // Backend trouble: a stale key in Key Vault (401, refresh, still 401 → 502; fixed → 401, refresh, 200), a backend down.
  await setVaultSecret(s.keyVault, 'hygiene-stale-key', wrongKeys.staleBackend);
  await registerService(s, 'hygiene-stale', s.backend.url, 10_000, 'hygiene-stale-key');
  const stale = dataPlane('hygiene-stale');
  expect((await stale('stale backend key', 'POST', '/execute', demo, RRS_BODY)).status).toBe(502);
  await setVaultSecret(s.keyVault, 'hygiene-stale-key', s.backend.apiKey);
  await sleep(1_100); // forced refreshes are at most one a second
  expect((await stale('refreshed backend key', 'POST', '/execute', demo, RRS_BODY)).status).toBe(200);
  await registerService(s, 'hygiene-down', 'http://127.0.0.1:1', 2_000);
  const down = dataPlane('hygiene-down');
  expect((await down('backend down rrs', 'POST', '/execute', demo, RRS_BODY)).status).toBe(502);
  expect((await down('backend down submit', 'POST', '/jobs', demo, JSON.stringify(bodies[2]))).status).toBe(502);
  // The children's last lines reach their logs: the facade writes the last call's line once it is done with it.
  const lastRequestId = /"x-ms-request-id":"([^"]+)"/.exec(log.answers.at(-1)!.text)![1]!;
  await waitFor('the last call\'s log line', () => (logLines().some((l) => l.includes(lastRequestId)) ? true : undefined));
}, 120_000);

const logLines = () => stack().children.flatMap((c) => c.logs.map((line) => `[${c.name}] ${line}`));

describe('secrets hygiene', () => {
  it('captured the Azure SDKs\' verbose logs and every answer', () => {
    const lines = logLines();
    expect(lines.some((l) => l.includes('azure:'))).toBe(true);
    console.log(`[secrets hygiene] ${lines.length} log lines of ${stack().children.length} processes and ${log.answers.length} answers scanned; ` +
      `${subscriptionKeys.size} subscription keys, ${sigs.size} SAS signatures, 6 other secrets`);
  });

  it('never shows the backend key, the admin key, the storage account key or a wrong key sent', () => {
    const s = stack();
    const secrets = { backendKey: s.backend.apiKey, adminKey: s.adminKey, accountKey: accountKeyOf(s.storageConnectionString), ...wrongKeys };
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, lines: linesWith(logLines(), secret), answers: log.labelsWith(secret) }).toEqual({ name, lines: [], answers: [] });
    }
  });

  it('sends every call to Application Insights as a request with custom dimensions, and no secret in any field', async () => {
    // The last data-plane call made (backend down, BES submit) is in what arrived: everything before it is too.
    const lastId = /"x-ms-request-id":"([^"]+)"/.exec(log.answers.at(-1)!.text)![1]!;
    await waitFor('the calls\' telemetry', () => (telemetry.envelopes.some((e) => e.data.baseData.id === lastId) ? true : undefined), 15_000)
      .catch((error: unknown) => { throw new Error(`${(error as Error).message}; ${telemetry.envelopes.length} envelopes, ${telemetry.posts.length} posts`); });
    const requests = telemetry.envelopes.filter((e) => e.data.baseType === 'RequestData');
    const answered = requests.find((e) => e.data.baseData.properties?.operation === 'rrs.execute' && e.data.baseData.responseCode === '200')!;
    expect(answered.data.baseData.properties).toMatchObject({ productId: 'unlimited', backendKind: 'classic', outcome: 'success' });
    expect(answered.tags?.['ai.operation.id']).toBe(answered.data.baseData.id);
    const s = stack();
    const text = JSON.stringify(telemetry.envelopes);
    const secrets = { backendKey: s.backend.apiKey, adminKey: s.adminKey, accountKey: accountKeyOf(s.storageConnectionString), ...wrongKeys };
    for (const [name, secret] of Object.entries(secrets)) expect({ name, found: contains(text, secret) }).toEqual({ name, found: false });
    for (const key of subscriptionKeys.keys()) expect(contains(text, key)).toBe(false);
    for (const sig of sigs.keys()) expect(contains(text, sig)).toBe(false);
    expect(sigsIn(text).filter((v) => v !== 'REDACTED')).toEqual([]);
  });

  it('shows a subscription key only in the answer that issued it, never in a log', () => {
    for (const [key, allowed] of subscriptionKeys) {
      expect({ key: key.slice(0, 6), lines: linesWith(logLines(), key), answers: log.labelsWith(key) }).toEqual({ key: key.slice(0, 6), lines: [], answers: allowed });
    }
  });

  it('shows a SAS signature only in the answer that issued it, and no log line has one', () => {
    expect(sigs.size).toBeGreaterThanOrEqual(4);
    for (const [sig, allowed] of sigs) {
      expect({ sig: sig.slice(0, 6), answers: log.labelsWith(sig) }).toEqual({ sig: sig.slice(0, 6), answers: allowed });
    }
    const unredacted = logLines().filter((l) => sigsIn(l).some((v) => v !== 'REDACTED') || [...sigs.keys()].some((sig) => contains(l, sig)));
    expect(unredacted.map((l) => l.slice(0, 300))).toEqual([]);
    expect(logLines().filter((l) => /AccountKey=/i.test(l)).map((l) => l.slice(0, 300))).toEqual([]);
  });
});
