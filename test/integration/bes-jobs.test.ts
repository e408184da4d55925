// BES end to end through the real stack: upload → submit → start → the timer-driven poller → results copied
// into the facade's results container → download; the classic pass-through flow; ownership, start twice,
// cancel, and a backend that goes away while a job runs.
import { expectClassicBody } from './helpers/classic.js';
import net from 'node:net';
import { BlobServiceClient } from '@azure/storage-blob';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { csvOf, expectedRows, jobsApi, parseCsv, sampleTexts } from './helpers/bes.js';
import { pollUntil } from './helpers/wait.js';
import { createStores } from '../../src/lib/app/stores.js';

const stack = useStack({
  facadeEnv: { BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1', BES_STATUS_REFRESH_SECONDS: '3600' },
  referenceEnv: { REFERENCE_BES_ROW_DELAY_MS: '1' },
});
const api = jobsApi(stack, () => stack().demo.subscriptionKey);
const finished = (code: string) => code !== 'NotStarted' && code !== 'Running';

async function manage(method: 'POST' | 'PUT', path: string, body: unknown) {
  const res = await request(`${stack().facadeUrl}/manage/${path}`, { method, headers: { 'x-admin-key': stack().adminKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.body.json()) as any;
}

describe('a facade-held input, end to end', () => {
  it('uploads 1,200 rows, submits, starts, finishes, and every result row matches the hashing', async () => {
    const texts = sampleTexts(1200);
    const uploaded = await api.upload(csvOf(texts));
    expect(uploaded.status).toBe(201);
    const submitted = await api.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } }, Outputs: { output1: { RelativeLocation: 'ignored.csv' } }, GlobalParameters: {} });
    expect(submitted.status).toBe(200);
    const id = submitted.json as string;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await api.status(id)).json.StatusCode).toBe('NotStarted');
    expect((await api.start(id)).status).toBe(200);
    const done = await api.waitFor(id, finished);
    expect(done.json.StatusCode).toBe('Finished');
    expect(done.json.Details).toBeNull();
    expect(done.json.EndTime).toBeTruthy();
    const link = done.json.Results.output1;
    expect(link.ConnectionString).toBeNull();
    expect(link.RelativeLocation).toBe(`results/${id}/output1.csv`);

    const viaFacade = await api.download(id);
    expect(viaFacade.status).toBe(200);
    const rows = parseCsv(viaFacade.text);
    expect(rows[0]).toEqual(['Col2', ...Array.from({ length: 8 }, (_, i) => `Col2_HashingFeature.${i}`)]);
    expect(rows.slice(1)).toEqual(expectedRows(texts));

    const direct = await request(`${link.BaseLocation}${link.RelativeLocation}${link.SasBlobToken}`);
    expect(direct.statusCode).toBe(200);
    expect(parseCsv(await direct.body.text()).slice(1)).toEqual(expectedRows(texts));

    const listed = await api.list();
    expect(listed.json.some((j: { Id: string; StatusCode: string }) => j.Id === id && j.StatusCode === 'Finished')).toBe(true);
  });
});

describe('the classic flow, unchanged but for host and key', () => {
  it('submits with the client\'s own connection string; the result lands in the blob it named and the status points there', async () => {
    const texts = sampleTexts(300);
    const conn = stack().demo.clientStorageConnectionString; // the client's own account (the facade holds no key of it)
    const container = BlobServiceClient.fromConnectionString(conn).getContainerClient('client-data');
    await container.createIfNotExists();
    const body = csvOf(texts);
    await container.getBlockBlobClient('in/scores.csv').upload(body, Buffer.byteLength(body));
    const submitted = await api.submit({
      Inputs: { input1: { ConnectionString: conn, RelativeLocation: '/client-data/in/scores.csv' } },
      Outputs: { output1: { ConnectionString: conn, RelativeLocation: '/client-data/out/scores.csv' } },
      GlobalParameters: {},
    });
    expect(submitted.status).toBe(200);
    const id = submitted.json as string;
    await api.start(id);
    const done = await api.waitFor(id, finished);
    expect(done.json.StatusCode).toBe('Finished');
    expect(done.text).not.toContain('AccountKey');
    // Where classic clients read it: the very blob they named in Outputs.
    const named = await container.getBlobClient('out/scores.csv').downloadToBuffer();
    expect(parseCsv(named.toString()).slice(1)).toEqual(expectedRows(texts));
    const r = done.json.Results.output1;
    expect([r.ConnectionString, r.RelativeLocation]).toEqual([null, 'client-data/out/scores.csv']);
    expect(r.BaseLocation).toBe(`${new URL(container.url).origin}/clientstore1/`);
    const res = await request(`${r.BaseLocation}${r.RelativeLocation}${r.SasBlobToken}`);
    expect(parseCsv(await res.body.text()).slice(1)).toEqual(expectedRows(texts));
    // The facade's own download endpoint serves it too.
    expect(parseCsv((await api.download(id)).text).slice(1)).toEqual(expectedRows(texts));
    // Nothing landed in the facade's results container for this job.
    const results = BlobServiceClient.fromConnectionString(stack().storageConnectionString).getContainerClient('results');
    const leftovers: string[] = [];
    if (await results.exists()) for await (const b of results.listBlobsFlat({ prefix: `${id}/` })) leftovers.push(b.name);
    expect(leftovers).toEqual([]);
    // Older clients send a single "Input": accepted too; both at once is a 400.
    const old = await api.submit({ Input: { ConnectionString: conn, RelativeLocation: '/client-data/in/scores.csv' }, GlobalParameters: {} });
    expect(old.status).toBe(200);
    const both = await api.submit({ Input: { ConnectionString: conn, RelativeLocation: '/a/b.csv' }, Inputs: { input1: { ConnectionString: conn, RelativeLocation: '/a/b.csv' } } });
    expect(both.status).toBe(400);
    expect(both.json.error.code).toBe('BadArgument');
  });
});

describe('job rules', () => {
  it('an input without a column the service declares is refused at submit, naming it (not after start)', async () => {
    const uploaded = await api.upload('Id,Text\r\n1,no Col2 here\r\n');
    const refused = await api.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } }, GlobalParameters: {} });
    expect(refused.status).toBe(400);
    expectClassicBody(refused.json, 'InputParseError');
    expect(refused.json.error.details[0]).toMatchObject({ target: 'Inputs.input1' });
    expect(refused.json.error.details[0].message).toContain("column 'Col2' is required");
    expect(refused.json.error.details[0].message).toContain("'Id', 'Text'");
  });

  it('another subscription gets 404 for a job; start twice → 400 CannotStartJob; delete of a running job → Cancelled', async () => {
    const uploaded = await api.upload(csvOf(sampleTexts(3000)));
    const id = (await api.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } } })).json as string;
    const other = (await manage('POST', 'subscriptions', { name: 'other-app', productId: 'unlimited' })).primaryKey as string;
    const otherApi = jobsApi(stack, () => other);
    for (const answer of [await otherApi.status(id), await otherApi.start(id), await otherApi.cancel(id)]) {
      expect(answer.status).toBe(404);
      expectClassicBody(answer.json, 'JobNotFound');
    }
    expect((await otherApi.list()).json).toEqual([]);

    expect((await api.start(id)).status).toBe(200);
    const again = await api.start(id);
    expect(again.status).toBe(400);
    expect(again.json.error.details[0].code).toBe('CannotStartJob');
    expect(again.json.error.message).toContain('Running');

    expect((await api.status(id)).json.StatusCode).toBe('Running');
    expect((await api.cancel(id)).status).toBe(200);
    const cancelled = await api.status(id);
    expect(cancelled.json.StatusCode).toBe('Cancelled');
    expect(cancelled.json.Results).toBeNull();
    expect((await api.download(id)).status).toBe(404);
  });

  it('a job id that never existed, or is malformed, is 404', async () => {
    expect((await api.status('0123456789abcdef0123456789abcdef')).status).toBe(404);
    expect((await api.status('..%2F..%2Fetc')).status).toBe(404);
  });
});

describe('a backend that goes away while a job runs', () => {
  it('keeps the job, and finishes it once the backend is back', async () => {
    const backend = new URL(stack().backend.url);
    // A TCP relay to the reference service stands in for the network between facade and backend.
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(backend.port), backend.hostname);
      for (const s of [client, upstream]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => s.destroy()); }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const port = (relay.address() as net.AddressInfo).port;
    const { catalogue } = createStores(stack().storageConnectionString);
    await catalogue.put({
      workspace: stack().demo.workspace, service: 'relayed', products: [],
      backend: { kind: 'classic', baseUrl: `http://127.0.0.1:${port}`, workspace: stack().backend.workspace, service: stack().backend.service, apiKeySecretName: stack().backend.secretName, timeoutMs: 2_000 },
    });
    const relayed = jobsApi(stack, () => stack().demo.subscriptionKey, 'relayed');
    const uploaded = await relayed.upload(csvOf(sampleTexts(1500)));
    const id = (await relayed.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } } })).json as string;
    expect((await relayed.start(id)).status).toBe(200);

    const closed = new Promise<void>((r) => relay.close(() => r()));
    for (const s of sockets) s.destroy(); // close() waits for open connections: cut them
    await closed;
    const { jobs } = createStores(stack().storageConnectionString);
    const record = await pollUntil(() => jobs.get(id), (r) => !r || r.pollFailures > 0, 15_000, 250);
    expect(record?.pollFailures).toBeGreaterThan(0);
    expect((await relayed.status(id)).json.StatusCode).toBe('Running');

    const back = net.createServer((client) => {
      const upstream = net.connect(Number(backend.port), backend.hostname);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => back.listen(port, '127.0.0.1', r));
    afterAll(() => new Promise<void>((r) => back.close(() => r())));
    // Backoff after the first failures is 5–10 s; the test waits for the poller, not for a status refresh.
    const done = await relayed.waitFor(id, finished, 40_000);
    expect(done.json.StatusCode).toBe('Finished');
  }, 60_000);
});
