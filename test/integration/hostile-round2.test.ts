// The second round of attacks on the running stack, each as it was found, each failing before its fix: the storage
// allow-list bypassed by a second BlobEndpoint, backends handed the facade's storage key, the open-job limit raced
// by several instances, a job that could stay Running for ever, containers remembered after they were deleted,
// stalled uploads holding memory, and the low ones (downloads without api-version, keys for cancelled
// subscriptions, the job list cut at 500, jobs of cancelled subscriptions running on). Prints [faults:round2].
import net from 'node:net';
import { BlobServiceClient } from '@azure/storage-blob';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { expectClassicBody } from './helpers/classic.js';
import { csvOf, jobsApi, sampleTexts } from './helpers/bes.js';
import { startChaosBackend, type ChaosBackend } from './helpers/chaos-backend.js';
import { manage, printFigures, registerService, startExtraFacade } from './helpers/faults.js';
import { waitFor } from './helpers/wait.js';
import type { RunningChild } from '../../src/local/stack/child.js';

const OPEN_LIMIT = 5;
const stack = useStack({
  facadeEnv: {
    BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1', BES_STATUS_REFRESH_SECONDS: '3600',
    BES_MAX_OPEN_JOBS_PER_SUBSCRIPTION: String(OPEN_LIMIT), UPLOAD_MEMORY_MB: '26', STREAM_IDLE_SECONDS: '2',
  },
});
const figures: Record<string, unknown> = {};
let chaos: ChaosBackend;
const extra: RunningChild<{ url: string }>[] = [];

beforeAll(async () => {
  chaos = await startChaosBackend(stack().backend.apiKey);
  await registerService(stack(), 'chaos-round2', chaos.url, 5_000);
});
afterAll(async () => {
  printFigures('round2', figures);
  await Promise.all(extra.map((f) => f.stop()));
  await chaos?.close();
});

async function subscription(name: string): Promise<{ id: string; key: string }> {
  const created = (await manage(stack(), 'POST', 'subscriptions', { name, productId: 'unlimited' })).json;
  return { id: created.id, key: created.primaryKey };
}

describe('the storage allow-list', () => {
  it('refuses a pass-through connection string with two BlobEndpoint entries, the first one the Key Vault stand-in', async () => {
    const api = jobsApi(stack, () => stack().demo.subscriptionKey);
    const vault = new URL(stack().keyVault.url);
    const allowed = new URL(BlobServiceClient.fromConnectionString(stack().storageConnectionString).url);
    const key = /AccountKey=([^;]+)/.exec(stack().storageConnectionString)![1];
    for (const second of ['BlobEndpoint', 'blobendpoint']) {
      const conn = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};BlobEndpoint=http://${vault.host}/devstoreaccount1;${second}=${allowed.origin}/devstoreaccount1`;
      const answer = await api.submit({ Inputs: { input1: { ConnectionString: conn, RelativeLocation: '/data/in.csv' } } });
      expect(answer.status).toBe(400);
      expectClassicBody(answer.json, 'InvalidConnectionString');
      expect(answer.json.error.details[0].target).toBe('Inputs.input1.ConnectionString');
    }
    figures.duplicateEndpointRefused = true;
  });
});

describe('what a backend receives', () => {
  it('a SAS for the job\'s input blob (read) and its staged output (create, write): never an account key', async () => {
    const api = jobsApi(stack, () => stack().demo.subscriptionKey, 'chaos-round2');
    const input = (await api.upload(csvOf(sampleTexts(3)))).json.RelativeLocation;
    const id = (await api.submit({ Inputs: { input1: { RelativeLocation: input } } })).json as string;
    const record = (await waitFor('the backend to have the job', () => [...chaos.jobs.values()].at(-1), 5_000))!;
    const submitted = JSON.stringify(record.submitted);
    expect(submitted).not.toContain('AccountKey');
    const body = record.submitted as { Inputs: { input1: { ConnectionString: string } }; Outputs: { output1: { ConnectionString: string; RelativeLocation: string } } };
    const sas = (text: string) => new URLSearchParams(/SharedAccessSignature=([^;]+)/.exec(text)![1]);
    expect([sas(body.Inputs.input1.ConnectionString).get('sp'), sas(body.Inputs.input1.ConnectionString).get('sr')]).toEqual(['r', 'b']);
    expect([sas(body.Outputs.output1.ConnectionString).get('sp'), sas(body.Outputs.output1.ConnectionString).get('sr')]).toEqual(['cw', 'b']);
    expect(body.Outputs.output1.RelativeLocation).toBe(`/staging/${id}/output1.csv`);
    // With it, the facade's tables are out of reach: the SAS is for one blob only.
    const asBackend = BlobServiceClient.fromConnectionString(body.Inputs.input1.ConnectionString);
    await expect(asBackend.getContainerClient('inputs').getBlockBlobClient('x.csv').upload('x', 1)).rejects.toMatchObject({ statusCode: 403 });
    await api.cancel(id);
    figures.backendGetsNoAccountKey = true;
  });
});

describe('the open-job limit', () => {
  it('is exact across three instances submitting at once', async () => {
    const sub = await subscription('round2-open');
    const facades = [stack().facadeUrl];
    for (let i = 0; i < 2; i++) {
      const f = await startExtraFacade(stack(), { BES_POLL_SCHEDULE: '0 0 0 1 1 *' });
      extra.push(f);
      facades.push(f.info.url);
    }
    const input = (await jobsApi(stack, () => sub.key).upload(csvOf(['a']))).json.RelativeLocation;
    const body = JSON.stringify({ Inputs: { input1: { RelativeLocation: input } } });
    const path = `/workspaces/${stack().demo.workspace}/services/${stack().demo.service}/jobs?api-version=2.0`;
    const answers = await Promise.all(Array.from({ length: 60 }, async (_, i) => {
      const res = await request(`${facades[i % 3]}${path}`, { method: 'POST', headers: { 'ocp-apim-subscription-key': sub.key, 'content-type': 'application/json' }, body });
      return { status: res.statusCode, json: await res.body.json() as any };
    }));
    const admitted = answers.filter((a) => a.status === 200);
    figures.openJobs = { submitted: 60, admitted: admitted.length, refused429: answers.filter((a) => a.status === 429).length, limit: OPEN_LIMIT };
    expect(admitted).toHaveLength(OPEN_LIMIT);
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    // One ends: one more may open.
    const api = jobsApi(stack, () => sub.key);
    expect((await api.cancel(admitted[0]!.json)).status).toBe(200);
    expect((await api.submit(JSON.parse(body))).status).toBe(200);
    expect((await api.submit(JSON.parse(body))).status).toBe(429);
  }, 60_000);
});

describe('every job ends', () => {
  it('a finished job whose output cannot be copied is Copying, and DELETE cancels it, saying why', async () => {
    const api = jobsApi(stack, () => stack().demo.subscriptionKey, 'chaos-round2');
    const input = (await api.upload(csvOf(sampleTexts(2)))).json.RelativeLocation;
    const id = (await api.submit({ Inputs: { input1: { RelativeLocation: input } } })).json as string;
    expect((await api.start(id)).status).toBe(200);
    const backendId = [...chaos.jobs.values()].at(-1)!.id;
    await chaos.finish(backendId); // Finished, but no output written where the facade asked
    const store = (await import('../../src/lib/app/stores.js')).createStores(stack().storageConnectionString).jobs;
    await waitFor('the job to be Copying', async () => ((await store.get(id))?.state === 'Copying' ? true : undefined), 10_000, 100);
    expect((await api.status(id)).json.StatusCode).toBe('Running');
    await waitFor('the poller to let go of it', async () => ((await store.get(id))!.leaseUntil < Date.now() ? true : undefined), 10_000, 50);
    expect((await api.cancel(id)).status).toBe(200);
    const done = await api.status(id);
    expect(done.json.StatusCode).toBe('Cancelled');
    expect(done.json.Details).toMatch(/being copied/);
  });
});

describe('containers', () => {
  it('are made again when deleted while an instance runs: uploads and result copies keep working', async () => {
    const api = jobsApi(stack, () => stack().demo.subscriptionKey);
    const blobs = BlobServiceClient.fromConnectionString(stack().storageConnectionString);
    expect((await api.upload(csvOf(['before']))).status).toBe(201);
    await blobs.getContainerClient('inputs').delete();
    const after = await api.upload(csvOf(['after']));
    expect(after.status).toBe(201);
    await blobs.getContainerClient('results').deleteIfExists();
    const id = (await api.submit({ Inputs: { input1: { RelativeLocation: after.json.RelativeLocation } } })).json as string;
    await api.start(id);
    const done = await api.waitFor(id, (c) => c !== 'Running' && c !== 'NotStarted');
    expect(done.json.StatusCode).toBe('Finished');
    figures.containersRecreated = true;
  });
});

describe('uploads', () => {
  it('a stalled upload ends after STREAM_IDLE_SECONDS with 408 and nothing stored; past the memory budget new ones wait', async () => {
    const { workspace, service } = stack().demo;
    const url = new URL(stack().facadeUrl);
    const stall = () => new Promise<string>((resolve) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.write(`POST /workspaces/${workspace}/services/${service}/inputs?api-version=2.0&name=stall.csv HTTP/1.1\r\nHost: ${url.host}\r\n` +
          `Ocp-Apim-Subscription-Key: ${stack().demo.subscriptionKey}\r\nContent-Type: text/csv\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`);
        socket.write(Buffer.alloc(1024 * 1024, 0x61)); // 1 MiB, then nothing more
      });
      let answer = '';
      socket.on('data', (d) => {
        answer += d.toString();
        // The whole answer is in: hang up (the 49 MiB promised will never come).
        const [head, body = ''] = answer.split('\r\n\r\n');
        const length = Number(/content-length: (\d+)/i.exec(head ?? '')?.[1] ?? NaN);
        if (Buffer.byteLength(body) >= length) socket.destroy();
      });
      socket.on('close', () => resolve(answer));
      socket.on('error', () => resolve(answer));
    });
    const started = Date.now();
    // Three at once on a 26 MiB budget (13 MiB each: 4 MiB × 3 buffers + 1 MiB): two run, the third waits for a share.
    const answers = await Promise.all([stall(), stall(), stall()]);
    const statuses = answers.map((a) => Number(/^HTTP\/1\.1 (\d{3})/.exec(a)?.[1]));
    figures.stalledUploads = { statuses, msForAll: Date.now() - started };
    expect(statuses).toEqual([408, 408, 408]);
    for (const a of answers) expect(a).toContain('UploadStalled');
    const inputs = BlobServiceClient.fromConnectionString(stack().storageConnectionString).getContainerClient('inputs');
    for await (const blob of inputs.listBlobsFlat()) expect(blob.name.endsWith('/stall.csv')).toBe(false);
    expect((await jobsApi(stack, () => stack().demo.subscriptionKey).upload(csvOf(['still fine']))).status).toBe(201);
  }, 30_000);
});

describe('the low ones', () => {
  it('a download without api-version is a 400; a cancelled subscription gets no new key, and its jobs are cancelled', async () => {
    const sub = await subscription('round2-cancelled');
    const api = jobsApi(stack, () => sub.key);
    const input = (await api.upload(csvOf(sampleTexts(2)))).json.RelativeLocation;
    const finished = (await api.submit({ Inputs: { input1: { RelativeLocation: input } } })).json as string;
    await api.start(finished);
    await api.waitFor(finished, (c) => c === 'Finished');
    const base = `${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/${stack().demo.service}`;
    const noVersion = await request(`${base}/jobs/${finished}/results/output1`, { headers: { 'ocp-apim-subscription-key': sub.key } });
    expect(noVersion.statusCode).toBe(400);
    await noVersion.body.dump();

    // A long job on the chaos backend (it never finishes by itself), then the subscription is cancelled.
    const chaosApi = jobsApi(stack, () => sub.key, 'chaos-round2');
    const chaosInput = (await chaosApi.upload(csvOf(['x']))).json.RelativeLocation;
    const running = (await chaosApi.submit({ Inputs: { input1: { RelativeLocation: chaosInput } } })).json as string;
    await chaosApi.start(running);
    expect((await manage(stack(), 'PATCH', `subscriptions/${sub.id}`, { state: 'cancelled' })).status).toBe(200);
    const regenerate = await manage(stack(), 'POST', `subscriptions/${sub.id}/regenerate?key=primary`);
    expect(regenerate.status).toBe(400);
    expectClassicBody(regenerate.json, 'SubscriptionCancelled');
    const store = (await import('../../src/lib/app/stores.js')).createStores(stack().storageConnectionString).jobs;
    const ended = await waitFor('the poller to cancel the job', async () => {
      const job = await store.get(running);
      return job?.state === 'Cancelled' ? job : undefined;
    }, 90_000, 250);
    expect(ended.details).toMatch(/subscription was cancelled/);
  }, 120_000);

  it('retention removes a job that ended long ago, with its results, and nothing newer', async () => {
    const api = jobsApi(stack, () => stack().demo.subscriptionKey);
    const input = (await api.upload(csvOf(['old news']))).json.RelativeLocation;
    const id = (await api.submit({ Inputs: { input1: { RelativeLocation: input } } })).json as string;
    await api.start(id);
    expect((await api.waitFor(id, (c) => c === 'Finished')).json.StatusCode).toBe('Finished');
    const { createStores } = await import('../../src/lib/app/stores.js');
    const { FacadeBlobs } = await import('../../src/lib/blobs/facade-blobs.js');
    const { purgeEndedJobs } = await import('../../src/lib/jobs/retention.js');
    const store = createStores(stack().storageConnectionString).jobs;
    const blobs = new FacadeBlobs({ storage: stack().storageConnectionString });
    const purge = (daysLater: number) => purgeEndedJobs({ store, blobs, now: () => Date.now() + daysLater * 86_400_000, retentionMs: 30 * 86_400_000 });
    expect((await purge(29)).jobs).toBe(0); // not old enough yet
    expect((await api.download(id)).status).toBe(200);
    const purged = await purge(31);
    expect(purged.jobs).toBeGreaterThanOrEqual(1);
    expect(await store.get(id)).toBeUndefined();
    expect((await api.status(id)).status).toBe(404);
    const results = BlobServiceClient.fromConnectionString(stack().storageConnectionString).getContainerClient('results');
    for await (const blob of results.listBlobsFlat({ prefix: `${id}/` })) expect(blob.name).toBe('(none expected)');
    figures.retentionPurged = purged;
  });

  it('the job list pages instead of stopping at 500', async () => {
    const sub = await subscription('round2-paging');
    const api = jobsApi(stack, () => sub.key);
    const input = (await api.upload(csvOf(['a']))).json.RelativeLocation;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = (await api.submit({ Inputs: { input1: { RelativeLocation: input } } })).json as string;
      ids.push(id);
      await api.cancel(id); // ended, so the open-job limit does not stop the next
    }
    const first = await api.call('GET', '/jobs?$top=3');
    expect(first.json).toHaveLength(3);
    const token = first.headers['x-ms-continuation'] as string;
    expect(token).toBeTruthy();
    const second = await api.call('GET', `/jobs?$top=3&$skiptoken=${token}`);
    expect(second.json).toHaveLength(1);
    expect(second.headers['x-ms-continuation']).toBeUndefined();
    expect(new Set([...first.json, ...second.json].map((j: { Id: string }) => j.Id))).toEqual(new Set(ids));
    const bad = await api.call('GET', '/jobs?$skiptoken=notatoken');
    expect(bad.status).toBe(400);
  });
});
