// kill -9 of facade processes whose poller is working: first one caught exactly mid-way (a status call hanging,
// one copy 1 MiB in, one copy past its first 8 MiB block staged), then more killed at varied moments, then a last
// one finishes. Every job ends Finished exactly once with its whole result; no partial result is ever visible.
// The backend writes its outputs to the facade's staging area; the facade reads them there through a storage
// front (chaos-storage) that stalls or paces those downloads, so a copy can be caught at any point.
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { csvOf, jobsApi, sampleTexts } from './helpers/bes.js';
import { startChaosBackend, type ChaosBackend } from './helpers/chaos-backend.js';
import { startChaosStorage } from './helpers/chaos-storage.js';
import { blobsUnder, longTexts, resultCsv } from './helpers/fault-jobs.js';
import { printFigures, registerService, sigkill, startExtraFacade } from './helpers/faults.js';
import { waitFor } from './helpers/wait.js';
import { createStores } from '../../src/lib/app/stores.js';
import { DEV_ACCOUNT, DEV_KEY, type AzuriteInfo } from '../../src/local/stack/azurite.js';
import type { RunningChild } from '../../src/local/stack/child.js';

const MiB = 1024 * 1024;
const storage = await startChaosStorage();
const stack = useStack({
  own: ['azurite'], // its blob endpoint sits behind the storage front, with the development account
  // The storage front is a plain-http proxy reached with the account key: key mode in every run (identity-mode
  // storage is covered by the rest of the suite run with STACK_STORAGE_AUTH=identity).
  storageAuth: 'key',
  facadeEnv: {
    BES_POLL_SCHEDULE: '0 0 0 1 1 *',
    BES_POLL_INTERVAL_SECONDS: '1', // a started job is due a second later (this facade's own poller is off)
    BES_STATUS_REFRESH_SECONDS: '3600',
    // Inputs and staging through the storage front: the facade's copies read the backend's outputs through it.
    BES_EXCHANGE_CONNECTION_STRING: storage.connectionString(DEV_ACCOUNT, DEV_KEY),
  },
});
const staged = (id: string) => `/staging/${id}/output1.csv`;
const pollerEnv = { BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1', BES_LEASE_SECONDS: '2' };
const api = jobsApi(stack, () => stack().demo.subscriptionKey, 'chaos-kill');
const result = resultCsv(longTexts(45_000)); // ~10 MiB: more than one 8 MiB block of the facade's copy
const figures: Record<string, unknown> & { facadesKilled: number; invariantChecks: number; partialResultsVisible: number } = { facadesKilled: 0, invariantChecks: 0, uncommittedSeen: 0, jobsCompleted: 0, jobsLost: 0, partialResultsVisible: 0 };
let chaos: ChaosBackend;
const jobs: { id: string; backend: string }[] = [];

beforeAll(async () => {
  expect(result.length).toBeGreaterThan(9 * MiB);
  const azurite = stack().children.find((c) => c.name === 'azurite') as RunningChild<AzuriteInfo>;
  storage.setUpstream(new URL(azurite.info.blob).origin);
  chaos = await startChaosBackend(stack().backend.apiKey);
  await registerService(stack(), 'chaos-kill', chaos.url, 30_000);
});
afterAll(async () => {
  printFigures('kill-poller', { ...figures, stagedGets: storage.served.gets, stagedMiBServed: Math.round(storage.served.bytes / MiB) });
  await chaos?.close();
  await storage.close();
});

const store = () => createStores(stack().storageConnectionString).jobs;
const resultBlob = (id: string) => BlobServiceClient.fromConnectionString(stack().storageConnectionString).getContainerClient('results').getBlobClient(`${id}/output1.csv`);

/** The invariant after any kill: a committed result is always whole, and Finished always has one. */
async function checkInvariant(): Promise<void> {
  for (const job of jobs) {
    const committed = await blobsUnder(stack(), 'results', `${job.id}/`);
    expect(committed.every((name) => name === `${job.id}/output1.csv`)).toBe(true);
    if (committed.length > 0) {
      const whole = (await resultBlob(job.id).downloadToBuffer()).equals(result);
      if (!whole) figures.partialResultsVisible++;
      expect(whole).toBe(true);
    }
    if ((await store().get(job.id))!.state === 'Finished') expect(committed).toHaveLength(1);
    figures.invariantChecks++;
  }
}

describe('kill -9 while the poller works', () => {
  it('a poller killed mid-status-call and mid-copy leaves no partial result', async () => {
    const input = (await api.upload(csvOf(sampleTexts(20)))).json.RelativeLocation;
    for (let i = 0; i < 3; i++) {
      const id = (await api.submit({ Inputs: { input1: { RelativeLocation: input } } })).json as string;
      expect((await api.start(id)).status).toBe(200);
      jobs.push({ id, backend: (await store().get(id))!.backendJobId });
    }
    const [a, b, c] = jobs as [(typeof jobs)[0], (typeof jobs)[0], (typeof jobs)[0]];
    chaos.plan(`status:${a.backend}`, 'hang');
    storage.shape(staged(b.id), { stallAfterBytes: 1 * MiB });
    storage.shape(staged(c.id), { stallAfterBytes: 9 * MiB });
    await chaos.finish(b.backend, result);
    await chaos.finish(c.backend, result);
    // All three due before a poller runs: its first run takes them together (a's hanging status call holds that run).
    await waitFor('the three jobs to be due', async () => ((await Promise.all(jobs.map((j) => store().get(j.id)))).every((r) => r!.nextPollAt <= Date.now()) ? true : undefined));
    const facade = await startExtraFacade(stack(), pollerEnv);
    await waitFor('a status call hanging, both copies stalled and a block of one staged', async () => {
      const blocks = await blobsUnder(stack(), 'results', `${c.id}/`, true);
      const ready = chaos.pending(`status:${a.backend}`) === 0 && storage.served.bytes >= 10 * MiB && blocks.length > 0;
      return ready ? true : undefined;
    }, 30_000, 100);
    await sigkill(facade);
    figures.facadesKilled++;
    figures.uncommittedSeen = (await blobsUnder(stack(), 'results', '', true)).length;
    expect(await blobsUnder(stack(), 'results', '')).toEqual([]);
    expect((await store().get(a.id))!.state).toBe('Running');
    // Their copies died with the poller: the records never left Running (a copy is saved only once whole).
    expect((await store().get(b.id))!.state).toBe('Running');
    expect((await store().get(c.id))!.state).toBe('Running');
    for (const job of jobs) expect((await api.status(job.id)).json.StatusCode).toBe('Running');
    await checkInvariant();
  }, 60_000);

  it('more facades killed at varied moments, then one that lives: every job Finished once, results whole', async () => {
    const [a, b, c] = jobs as [(typeof jobs)[0], (typeof jobs)[0], (typeof jobs)[0]];
    await chaos.finish(a.backend, result);
    for (const job of jobs) storage.shape(staged(job.id), { bytesPerSecond: 6 * MiB }); // ~1.7 s per copy
    const rounds: string[] = [];
    for (const afterCopyBeganMs of [0, 400, 1_400]) {
      const [gets, bytes] = [storage.served.gets, storage.served.bytes];
      const facade = await startExtraFacade(stack(), pollerEnv);
      await waitFor('copies to begin (once the killed poller\'s lease expires)', () => (storage.served.gets > gets ? true : undefined), 15_000, 20);
      await new Promise((r) => setTimeout(r, afterCopyBeganMs)); // the kill lands at another point of the copy each round
      await sigkill(facade);
      const read = ((storage.served.bytes - bytes) / MiB).toFixed(1);
      figures.facadesKilled++;
      await checkInvariant();
      const states = await Promise.all(jobs.map(async (j) => (await store().get(j.id))!.state));
      rounds.push(`${afterCopyBeganMs} ms into the copies: ${storage.served.gets - gets} begun, ${read} MiB read in all, then ${states.join('/')}`);
    }
    Object.assign(figures, { variedKills: rounds });
    const survivor = await startExtraFacade(stack(), pollerEnv);
    try {
      for (const job of jobs) {
        const done = await api.waitFor(job.id, (code) => code !== 'Running', 30_000);
        expect(done.json.StatusCode).toBe('Finished');
      }
      await checkInvariant();
      const before = await Promise.all(jobs.map(async (j) => ({ end: (await store().get(j.id))!.endTime, etag: (await resultBlob(j.id).getProperties()).etag })));
      const gets = storage.served.gets;
      await new Promise((r) => setTimeout(r, 2_100)); // two more poller ticks: showing nothing happens takes time
      const after = await Promise.all(jobs.map(async (j) => ({ end: (await store().get(j.id))!.endTime, etag: (await resultBlob(j.id).getProperties()).etag })));
      expect(after).toEqual(before); // finished once: no second copy, no second end
      expect(storage.served.gets).toBe(gets);
      figures.jobsCompleted = jobs.length;
    } finally {
      await survivor.stop();
    }
  }, 90_000);
});
