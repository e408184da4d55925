// Storage down, with the real Azurite process (persisting to disk) stopped and started again on the same ports:
// every kind of call answers a clear 503 in bounded time, never a 500 or a hang; the poller fails its ticks
// safely; once storage is back the running job finishes with its whole result, and keys and counters are intact.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allLogs, useStack } from './helpers/stack.js';
import { csvOf, expectedRows, jobsApi, parseCsv, sampleTexts, type Answer } from './helpers/bes.js';
import { startChaosBackend, type ChaosBackend } from './helpers/chaos-backend.js';
import { call, expectClassicError, manage, printFigures, registerService, rrs } from './helpers/faults.js';
import { waitFor } from './helpers/wait.js';
import { resultCsv } from './helpers/fault-jobs.js';
import { startAzurite, type AzuriteInfo } from '../../src/local/stack/azurite.js';
import type { RunningChild } from '../../src/local/stack/child.js';
import { createStores } from '../../src/lib/app/stores.js';

const dir = mkdtempSync(path.join(tmpdir(), 'faults-storage-'));
const stack = useStack({
  azurite: { persistLocation: dir },
  // The test restarts its emulator itself (plain http, on the same ports): key mode in every run.
  storageAuth: 'key',
  facadeEnv: { BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1', BES_STATUS_REFRESH_SECONDS: '3600' },
});
const api = jobsApi(stack, () => stack().demo.subscriptionKey, 'chaos-storage');
const texts = sampleTexts(800);
const figures: Record<string, unknown> = {};
let chaos: ChaosBackend;
let jobId = '';
let uploadedInput = '';
let quotaKey = '';
let counters: string[] = [];

beforeAll(async () => {
  chaos = await startChaosBackend(stack().backend.apiKey);
  await registerService(stack(), 'chaos-storage', chaos.url, 2_000);
});
afterAll(async () => {
  await chaos?.close();
  await stack().stop(); // before its files go
  rmSync(dir, { recursive: true, force: true });
});

async function counterRows(): Promise<string[]> {
  const table = TableClient.fromConnectionString(stack().storageConnectionString, 'counters', { allowInsecureConnection: true });
  const rows: string[] = [];
  for await (const e of table.listEntities<{ count: number }>()) rows.push(`${e.partitionKey}/${e.rowKey}=${e.count}`);
  return rows.sort();
}

describe('storage down', () => {
  it('before: a quota subscription has used 3 of 5 calls, a BES job is running and being polled', async () => {
    const quota = { calls: 5, renewalPeriod: 366 * 24 * 3600 };
    expect([200, 201]).toContain((await manage(stack(), 'PUT', 'products/faults-quota', { name: 'Faults quota', quota })).status);
    quotaKey = (await manage(stack(), 'POST', 'subscriptions', { name: 'faults-quota', productId: 'faults-quota' })).json.primaryKey;
    for (let i = 0; i < 3; i++) expect((await rrs(stack(), undefined, quotaKey)).status).toBe(200);
    counters = await counterRows();
    expect(counters.some((r) => r.endsWith('=3'))).toBe(true);

    uploadedInput = (await api.upload(csvOf(texts))).json.RelativeLocation;
    jobId = (await api.submit({ Inputs: { input1: { RelativeLocation: uploadedInput } } })).json;
    expect((await api.start(jobId)).status).toBe(200);
    await waitFor('the poller to poll the job', () => (chaos.served.status > 0 ? true : undefined));
  });

  it('during: every call that needs storage answers 503 in bounded time, one that does not keeps answering; the poller fails its ticks safely', async () => {
    const azurite = stack().children.find((c) => c.name === 'azurite') as RunningChild<AzuriteInfo>;
    const backendJobId = (await createStores(stack().storageConnectionString).jobs.get(jobId))!.backendJobId;
    await chaos.writeOutput(backendJobId, resultCsv(texts)); // the backend writes its output to staging…
    await azurite.stop();
    await chaos.finish(backendJobId); // …and says Finished while the facade cannot record it
    // Counters need storage: wait for the first 503 there, then ask everything at once.
    let probes = 0;
    await waitFor('the first 503', async () => (++probes && (await rrs(stack(), undefined, quotaKey)).status === 503 ? true : undefined), 10_000, 100);
    const key = { 'ocp-apim-subscription-key': stack().demo.subscriptionKey };
    const base = `${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/chaos-storage`;
    // An unlimited product's call needs no storage once its key, product and service were read: it keeps working.
    const unlimited = await rrs(stack());
    expect(unlimited.status).toBe(200);
    const calls = {
      rrsQuota: rrs(stack(), undefined, quotaKey),
      besStatus: call(`${base}/jobs/${jobId}?api-version=2.0`, { headers: key }),
      besList: call(`${base}/jobs?api-version=2.0`, { headers: key }),
      besSubmit: call(`${base}/jobs?api-version=2.0`, { method: 'POST', headers: key, body: JSON.stringify({ Inputs: { input1: { RelativeLocation: uploadedInput } } }) }),
      besUpload: call(`${base}/inputs?api-version=2.0&name=a.csv`, { method: 'POST', headers: { ...key, 'content-type': 'text/csv' }, body: csvOf(texts) }),
      listSubscriptions: manage(stack(), 'GET', 'subscriptions'),
      createSubscription: manage(stack(), 'POST', 'subscriptions', { name: 'x', productId: 'unlimited' }),
      listCatalogue: manage(stack(), 'GET', 'catalogue'),
      listProducts: manage(stack(), 'GET', 'products'),
      putCatalogue: manage(stack(), 'PUT', `catalogue/${stack().demo.workspace}/other`, { backend: { kind: 'classic', baseUrl: chaos.url, workspace: 'w', service: 's', apiKeySecretName: 'k' } }),
    };
    const answers = await Promise.all(Object.values(calls));
    const outcome = Object.fromEntries(Object.keys(calls).map((name, i) => [name, `${answers[i]!.status} ${answers[i]!.json?.error?.code}`]));
    expect(outcome).toEqual(Object.fromEntries(Object.keys(calls).map((name) => [name, '503 ServiceUnavailable'])));
    for (const answer of answers) {
      expectClassicError(answer, 503, 'ServiceUnavailable');
      expect(answer.ms).toBeLessThan(10_000);
    }
    const health = await call(`${stack().facadeUrl}/health`);
    expect(health.status).toBe(503);
    expect(health.json.checks).toBeUndefined(); // anonymous: no internals named
    const report = await manage(stack(), 'GET', 'health');
    expect(report.status).toBe(503);
    expect(report.json.checks.storage.ok).toBe(false);
    await waitFor('a poller tick to fail', () => (/Executed 'besPoller' \(Failed\)/.test(allLogs(stack())) ? true : undefined), 10_000, 100);
    expect(allLogs(stack())).not.toMatch(/AccountKey=|sig=[A-Za-z0-9%]{10}/);
    Object.assign(figures, { faultsInjected: 1, callsDuringOutage: answers.length + probes + 2, allNeedingStorage503: true, unlimitedRrsDuringOutage: unlimited.status, maxLatencyMs: Math.round(Math.max(...answers.map((a) => a.ms))) });
  }, 30_000);

  it('after: the job finishes with its whole result; keys, counters and inputs are all still there', async () => {
    const s = stack();
    const old = s.children.find((c) => c.name === 'azurite') as RunningChild<AzuriteInfo>;
    const ports = { blob: Number(new URL(old.info.blob).port), queue: Number(new URL(old.info.queue).port), table: Number(new URL(old.info.table).port) };
    const back = Date.now();
    s.children.push(await startAzurite({ location: dir, persistLocation: dir, ports }));
    const done: Answer = await api.waitFor(jobId, (code) => code === 'Finished' || code === 'Failed', 20_000);
    expect(done.json.StatusCode).toBe('Finished');
    figures.jobFinishedAfterRestartMs = Date.now() - back;
    expect(parseCsv((await api.download(jobId)).text).slice(1)).toEqual(expectedRows(texts));
    expect(await counterRows()).toEqual(counters);
    expect((await rrs(s)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await rrs(s, undefined, quotaKey)).status).toBe(200);
    expectClassicError(await rrs(s, undefined, quotaKey), 403, 'QuotaExceeded');
    const again = await api.submit({ Inputs: { input1: { RelativeLocation: uploadedInput } } }); // the input blob is still there
    expect(again.status).toBe(200);
    const subscriptions = (await manage(s, 'GET', 'subscriptions')).json as { name: string }[];
    expect(subscriptions.map((x) => x.name)).toEqual(expect.arrayContaining(['demo', 'faults-quota']));
    printFigures('storage', { ...figures, jobsCompleted: 1, jobsLost: 0, countersIntact: true });
  }, 30_000);
});
