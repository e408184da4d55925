// BES of the reference ML web service against Azurite: classic job API (submit, start, status, delete, list), real
// jobs that stream a CSV from blob storage, score every row and write a CSV result read back through its SAS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobServiceClient, ContainerSASPermissions, type ContainerClient } from '@azure/storage-blob';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteInfo } from '../../src/local/stack/azurite.js';
import { listeningLine, startChild, type RunningChild } from '../../src/local/stack/child.js';
import { CsvParser } from '../../src/common/csv.js';
import { featureHash } from '../../src/reference/feature-hashing.js';
import { createReferenceService, type ReferenceService } from '../../src/reference/server.js';
import { waitFor as waitForCondition } from './helpers/wait.js';

const KEY = 'bes-test-key-0123456789';
const JOBS = '/workspaces/ref-workspace/services/feature-hashing/jobs';
const ROWS = 1_200;
const MAIN = 'dist/src/reference/main.js';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rows with commas, quotes, line breaks, digits and non-ASCII text, so quoting and UTF-8 are exercised. */
function sampleText(i: number): string {
  const texts = [
    `This is a good day ${i}`,
    `Hello, "world" number ${i}`,
    `two\nlines ${i}`,
    `café naïve 日本語 ${i} 😀`,
    `  padded   text ${i}  `,
    String(i),
    '',
  ];
  return texts[i % texts.length]!;
}

const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;
const INPUT_CSV = '\uFEFFid,Col2,note\r\n' + Array.from({ length: ROWS }, (_, i) => `${i},${quote(sampleText(i))},n${i}\r\n`).join('');

function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()].map((r) => r.fields);
}

describe('reference service BES', () => {
  let dir: string;
  let azurite: RunningChild<AzuriteInfo>;
  let conn: string;
  let accountKey: string;
  let inputs: ContainerClient;
  let outputs: ContainerClient;
  let service: ReferenceService;
  let base: string;
  const answers: string[] = [];

  async function call(method: string, suffix: string, body?: unknown, baseUrl = base) {
    const res = await request(`${baseUrl}${JOBS}${suffix}`, {
      method: method as 'GET',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.body.text();
    answers.push(text);
    expect(res.headers['x-ms-request-id']).toBeTruthy();
    return { status: res.statusCode, text, json: text ? (JSON.parse(text) as any) : undefined };
  }

  const ref = (location: string) => ({ ConnectionString: conn, RelativeLocation: location });
  const submitBody = (input: string, output?: string, globals: Record<string, unknown> = {}) => ({
    Inputs: { input1: ref(input) },
    ...(output ? { Outputs: { output1: ref(output) } } : {}),
    GlobalParameters: globals,
  });

  async function submitAndStart(body: unknown, baseUrl = base): Promise<string> {
    const submitted = await call('POST', '?api-version=2.0', body, baseUrl);
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.json).toMatch(/^[0-9a-f]{32}$/);
    const started = await call('POST', `/${submitted.json}/start?api-version=2.0`, undefined, baseUrl);
    expect([started.status, started.text]).toEqual([200, '']);
    return submitted.json as string;
  }

  function waitFor(id: string, done: (state: string) => boolean, baseUrl = base, timeoutMs = 20_000): Promise<any> {
    return waitForCondition(`job ${id} to leave its state`, async () => {
      const { status, json } = await call('GET', `/${id}?api-version=2.0`, undefined, baseUrl);
      expect(status).toBe(200);
      return done(json.StatusCode) ? json : undefined;
    }, timeoutMs);
  }

  async function download(result: any): Promise<{ status: number; text: string }> {
    const res = await request(`${result.BaseLocation}${result.RelativeLocation}${result.SasBlobToken}`);
    return { status: res.statusCode, text: await res.body.text() };
  }

  function expectScored(rows: string[][], bits = 3): void {
    expect(rows[0]).toEqual(['Col2', ...Array.from({ length: 1 << bits }, (_, i) => `Col2_HashingFeature.${i}`)]);
    expect(rows).toHaveLength(ROWS + 1);
    for (let i = 0; i < ROWS; i++) {
      const text = sampleText(i);
      expect(rows[i + 1], `row ${i + 1}`).toEqual([text, ...featureHash(text, { bits }).map(String)]);
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bes-test-'));
    azurite = await startAzurite({ location: dir });
    conn = azurite.info.connectionString;
    accountKey = /AccountKey=([^;]+)/.exec(conn)![1]!;
    const blobs = BlobServiceClient.fromConnectionString(conn);
    inputs = blobs.getContainerClient('bes-in');
    outputs = blobs.getContainerClient('bes-out');
    await Promise.all([inputs.create(), outputs.create()]);
    await inputs.getBlockBlobClient('data/input.csv').upload(INPUT_CSV, Buffer.byteLength(INPUT_CSV));
    await inputs.getBlockBlobClient('no-col2.csv').upload('id,text\n1,hello\n', 16);
    await inputs.getBlockBlobClient('broken.csv').upload('Col2\nfine\n"also fine"\n"never closed\nmore\n', 38);
    service = createReferenceService({ apiKey: KEY });
    base = await service.listen(0);
  });

  afterAll(async () => {
    await service?.close();
    await azurite?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    // No answer ever carried the storage key (or any connection string).
    for (const text of answers) {
      expect(text).not.toContain(accountKey);
      expect(text).not.toContain('AccountKey');
    }
  });

  it('reads and writes through SAS connection strings (keys in any letter case), answering with the caller\'s own SAS', async () => {
    const sasOf = async (container: ContainerClient, permissions: string) =>
      new URL(await container.generateSasUrl({ permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3_600_000) })).search.slice(1);
    const endpoint = `${azurite.info.blob}/devstoreaccount1`;
    const inputSas = `blobendpoint=${endpoint};sharedaccesssignature=${await sasOf(inputs, 'r')}`;
    const outputToken = await sasOf(outputs, 'cw');
    const outputSas = `BlobEndpoint=${endpoint};SharedAccessSignature=?${outputToken}`;
    const id = await submitAndStart({ Inputs: { input1: { ConnectionString: inputSas, RelativeLocation: 'bes-in/data/input.csv' } }, Outputs: { output1: { ConnectionString: outputSas, RelativeLocation: '/bes-out/via-sas.csv' } }, GlobalParameters: null });
    const status = await waitFor(id, (s) => s !== 'Running');
    expect(status).toMatchObject({ StatusCode: 'Finished', Details: null });
    expect(status.Results.output1.SasBlobToken).toBe(`?${outputToken}`);
    expectScored(parseCsv((await outputs.getBlobClient('via-sas.csv').downloadToBuffer()).toString()));
  });

  it('publishes its Swagger 2.0 document anonymously, with its input, output and parameter schemas', async () => {
    const res = await request(`${base}/workspaces/ref-workspace/services/feature-hashing/swagger.json`);
    expect(res.statusCode).toBe(200);
    const doc = (await res.body.json()) as any;
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions.input1Item.properties.Col2.type).toBe('string');
    expect(Object.keys(doc.definitions.output1Item.properties)).toHaveLength(9);
    expect(doc.definitions.GlobalParameters.properties['N-grams'].default).toBe(2);
  });

  it('runs a job end to end: NotStarted → Running → Finished, every row scored, result readable through its SAS', async () => {
    const submitted = await call('POST', '?api-version=2.0', submitBody('/bes-in/data/input.csv', '/bes-out/result.csv'));
    expect(submitted.status).toBe(200);
    const id = submitted.json as string;
    const before = await call('GET', `/${id}?api-version=2.0`);
    expect(before.json).toMatchObject({ StatusCode: 'NotStarted', Results: null, Details: null, StartTime: null, EndTime: null });
    expect(new Date(before.json.CreatedAt).toISOString()).toBe(before.json.CreatedAt);
    expect((await call('POST', `/${id}/start?api-version=2.0`)).status).toBe(200);
    const status = await waitFor(id, (s) => s !== 'Running');
    expect(status).toMatchObject({ StatusCode: 'Finished', Details: null });
    expect(Date.parse(status.EndTime)).toBeGreaterThanOrEqual(Date.parse(status.StartTime));
    const result = status.Results.output1;
    expect(result).toMatchObject({ ConnectionString: null, RelativeLocation: 'bes-out/result.csv' });
    expect(result.BaseLocation).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/$/);
    const sas = new URLSearchParams(result.SasBlobToken.slice(1));
    expect(sas.get('sp')).toBe('r');
    expect(Date.parse(sas.get('se')!) - Date.now()).toBeGreaterThan(50 * 60_000);
    const { status: code, text } = await download(result);
    expect(code).toBe(200);
    expectScored(parseCsv(text));
    // read-only: the same SAS cannot overwrite the result
    const put = await request(`${result.BaseLocation}${result.RelativeLocation}${result.SasBlobToken}`, {
      method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x',
    });
    await put.body.dump();
    expect(put.statusCode).toBe(403);
  });

  it('accepts the older single Input, defaults the output next to the input, and applies GlobalParameters', async () => {
    const id = await submitAndStart({ Input: ref('bes-in/data/input.csv'), GlobalParameters: { 'Hashing bitsize': '4' } });
    const status = await waitFor(id, (s) => s !== 'Running');
    expect(status.StatusCode).toBe('Finished');
    expect(status.Results.output1.RelativeLocation).toBe(`bes-in/${id}/output1.csv`);
    expectScored(parseCsv((await download(status.Results.output1)).text), 4);
  });

  it('answers the classic 400s to bad submissions, naming the field', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ Input: ref('/bes-in/a.csv'), Inputs: { input1: ref('/bes-in/a.csv') } }, 'RequestBodyInvalid', 'Input'],
      [{ GlobalParameters: {} }, 'BatchJobInputsNotSpecified', 'Inputs'],
      [{ Inputs: {} }, 'BatchJobInputsNotSpecified', 'Inputs'],
      [{ Inputs: { input9: ref('/bes-in/a.csv') } }, 'InvalidInputNames', 'Inputs.input9'],
      [{ Inputs: { input1: ref('/bes-in/a.csv') }, Outputs: { out: ref('/bes-out/a.csv') } }, 'InvalidOutputNames', 'Outputs.out'],
      [submitBody('/Bad_Container/a.csv'), 'InvalidBlob', 'Inputs.input1.RelativeLocation'],
      [submitBody('/bes-in/a.csv', '/bes-out/'), 'InvalidBlob', 'Outputs.output1.RelativeLocation'],
      [{ Inputs: { input1: { RelativeLocation: '/bes-in/a.csv' } } }, 'RequestBodyInvalid', 'Inputs.input1.ConnectionString'],
      [submitBody('/bes-in/a.csv', undefined, { 'Hashing bitsize': 99 }), 'InvalidGlobalParameter', 'GlobalParameters.Hashing bitsize'],
      ['[1,2]', 'RequestBodyInvalid', 'body'],
    ];
    for (const [body, code, target] of cases) {
      const { status, json } = await call('POST', '?api-version=2.0', body);
      expect([status, json.error.code], JSON.stringify(body)).toEqual([400, 'BadArgument']);
      expect(json.error.details[0], JSON.stringify(body)).toMatchObject({ code, target });
    }
    expect((await call('POST', '', submitBody('/bes-in/a.csv'))).json.error.details[0].target).toBe('api-version');
  });

  it('refuses to start a job twice (CannotStartJob) and answers 404 JobNotFound to unknown jobs', async () => {
    const id = await submitAndStart(submitBody('/bes-in/data/input.csv', '/bes-out/twice.csv'));
    const again = await call('POST', `/${id}/start?api-version=2.0`);
    expect([again.status, again.json.error.code, again.json.error.details[0].code]).toEqual([400, 'InvalidOperation', 'CannotStartJob']);
    expect(again.json.error.message).toMatch(/^The job cannot be started because it is in (Running|Finished) state\.$/);
    await waitFor(id, (s) => s !== 'Running');
    const missing = 'f'.repeat(32);
    for (const [method, suffix] of [['GET', ''], ['POST', '/start'], ['DELETE', '']] as const) {
      const { status, json } = await call(method, `/${missing}${suffix}?api-version=2.0`);
      expect([status, json.error.code, json.error.details[0].code]).toEqual([404, 'NotFound', 'JobNotFound']);
    }
  });

  it('fails a job whose input is missing, has no Col2, is malformed CSV or has an unusable connection string', async () => {
    const missing = await waitFor(await submitAndStart(submitBody('/bes-in/nope.csv', '/bes-out/x1.csv')), (s) => s !== 'Running');
    expect(missing).toMatchObject({ StatusCode: 'Failed', Results: null });
    expect(missing.Details).toContain("input 'input1' at '/bes-in/nope.csv'");
    expect(missing.Details).toContain('does not exist');
    const noCol2 = await waitFor(await submitAndStart(submitBody('/bes-in/no-col2.csv', '/bes-out/x2.csv')), (s) => s !== 'Running');
    expect(noCol2.StatusCode).toBe('Failed');
    expect(noCol2.Details).toContain("no column 'Col2'");
    const broken = await waitFor(await submitAndStart(submitBody('/bes-in/broken.csv', '/bes-out/x3.csv')), (s) => s !== 'Running');
    expect(broken.StatusCode).toBe('Failed');
    expect(broken.Details).toMatch(/row 3 \(line 4\): unterminated/);
    const badConn = { Inputs: { input1: { ConnectionString: 'AccountKey=c2VjcmV0;nonsense', RelativeLocation: '/bes-in/data/input.csv' } } };
    const bad = await waitFor(await submitAndStart(badConn), (s) => s !== 'Running');
    expect(bad.StatusCode).toBe('Failed');
    expect(bad.Details).toContain('connection string is not valid');
    expect(JSON.stringify(bad)).not.toContain('c2VjcmV0');
    const noContainer = await waitFor(await submitAndStart(submitBody('/bes-in/data/input.csv', '/no-such-container/x.csv')), (s) => s !== 'Running');
    expect(noContainer.StatusCode).toBe('Failed');
    expect(noContainer.Details).toContain("output 'output1' at '/no-such-container/x.csv': the container does not exist");
    const unreachable = conn.replace(/BlobEndpoint=http:\/\/[^/;]+/, 'BlobEndpoint=http://127.0.0.1:1');
    const down = { Inputs: { input1: { ConnectionString: unreachable, RelativeLocation: '/bes-in/data/input.csv' } } };
    const offline = await waitFor(await submitAndStart(down), (s) => s !== 'Running');
    expect(offline.StatusCode).toBe('Failed');
    expect(offline.Details).toContain('could not be reached');
    for (const name of ['x1.csv', 'x2.csv', 'x3.csv']) expect(await outputs.getBlobClient(name).exists()).toBe(false);
  });

  it('forgets a finished job on DELETE and lists jobs', async () => {
    const id = await submitAndStart(submitBody('/bes-in/data/input.csv', '/bes-out/forget.csv'));
    await waitFor(id, (s) => s === 'Finished');
    const list = await call('GET', '?api-version=2.0');
    expect(list.json).toContainEqual(expect.objectContaining({ Id: id, StatusCode: 'Finished' }));
    expect((await call('DELETE', `/${id}?api-version=2.0`)).status).toBe(200);
    expect((await call('GET', `/${id}?api-version=2.0`)).json.error.details[0].code).toBe('JobNotFound');
    // the result itself stays where the job wrote it
    expect(await outputs.getBlobClient('forget.csv').exists()).toBe(true);
  });

  it('cancels a NotStarted job', async () => {
    const { json: id } = await call('POST', '?api-version=2.0', submitBody('/bes-in/data/input.csv', '/bes-out/never.csv'));
    expect((await call('DELETE', `/${id}?api-version=2.0`)).status).toBe(200);
    expect((await call('GET', `/${id}?api-version=2.0`)).json).toMatchObject({ StatusCode: 'Cancelled', Results: null });
    expect((await call('POST', `/${id}/start?api-version=2.0`)).json.error.message).toContain('Cancelled state');
  });

  it('cancels running and queued jobs (compiled service, row delay, one slot): no output blob, RRS keeps answering', async () => {
    const child = await startChild<{ url: string }>({
      name: 'reference',
      script: MAIN,
      env: { PATH: process.env.PATH ?? '', REFERENCE_API_KEY: KEY, REFERENCE_BES_ROW_DELAY_MS: '5', REFERENCE_BES_CONCURRENCY: '1' },
      ready: (line) => listeningLine<{ url: string }>(line),
    });
    try {
      const url = child.info.url;
      const running = await submitAndStart(submitBody('/bes-in/data/input.csv', '/bes-out/cancelled.csv'), url);
      const queued = await submitAndStart(submitBody('/bes-in/data/input.csv', '/bes-out/queued.csv'), url);
      await sleep(300);
      // the only slot is busy, so the second job waits, shown as Running as the classic service did
      expect((await call('GET', `/${queued}?api-version=2.0`, undefined, url)).json.StatusCode).toBe('Running');

      const startedAt = performance.now();
      const rrs = await request(`${url}/workspaces/ref-workspace/services/feature-hashing/execute?api-version=2.0`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['a b']] } }, GlobalParameters: {} }),
      });
      await rrs.body.dump();
      expect(rrs.statusCode).toBe(200);
      expect(performance.now() - startedAt).toBeLessThan(1_000);

      for (const id of [queued, running]) {
        const deleting = performance.now();
        expect((await call('DELETE', `/${id}?api-version=2.0`, undefined, url)).status).toBe(200);
        // Delete answers once the job let go of its blobs: promptly, not when the 6 s of rows are done
        expect(performance.now() - deleting).toBeLessThan(2_000);
        const status = (await call('GET', `/${id}?api-version=2.0`, undefined, url)).json;
        expect(status).toMatchObject({ StatusCode: 'Cancelled', Results: null });
        expect(status.EndTime).not.toBeNull();
      }
      await sleep(500);
      const names: string[] = [];
      for await (const blob of outputs.listBlobsFlat()) names.push(blob.name);
      expect(names).not.toContain('cancelled.csv');
      expect(names).not.toContain('queued.csv');
      expect((await call('GET', `/${running}?api-version=2.0`, undefined, url)).json.StatusCode).toBe('Cancelled');
    } finally {
      await child.stop();
    }
    const logs = child.logs.join('\n');
    expect(logs).not.toContain(accountKey);
    expect(logs).not.toContain(KEY);
  });
});
