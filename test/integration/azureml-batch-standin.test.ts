// The Azure ML batch endpoint stand-in (src/local/azureml-batch-standin.ts), in-process, running the project's
// batch deployment of the reference model (models/feature-hashing/azureml/batch/score.py) through the batch runtime
// stand-in (models/batch-runtime/driver.py) with real Python, against a tiny blob server standing for storage (GET
// serves the input CSVs, PUT stores the output). It checks both planes (invoke: audience https://ml.azure.com; ARM
// Jobs API: https://management.azure.com), the state walk, cancel, failures, and that the output file parses back
// (JSON lines) to exactly the TypeScript reference's features for every row, in input order, in both output modes.
// Python: findModelPython, as test/integration/python-models.test.ts: fails under CI without one, skipped loudly
// elsewhere. No wall-clock sleeps: every wait polls with a deadline (vi.waitFor).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startAzureMlBatchStandIn, type AzureMlBatchStandIn } from '../../src/local/azureml-batch-standin.js';
import { createTokenIssuer } from '../../src/local/identity-tokens.js';
import { findProjectRoot } from '../../src/local/stack/project.js';
import { modelPython } from './helpers/stack.js';
import { prng } from './helpers/prng.js';
import { featureHash } from '../../src/reference/feature-hashing.js';

const root = findProjectRoot();
const python = modelPython('azureml-batch-standin');

const SIGNING_KEY = 'batch-standin-test-signing-key-0123456789abcdef';
const issuer = createTokenIssuer(Buffer.from(SIGNING_KEY), 3600);
const mlToken = issuer.issue('https://ml.azure.com').token;
const armToken = issuer.issue('https://management.azure.com').token;
const WS = { subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: 'rg-ml', workspace: 'ws-ml' };
const ARM = `/subscriptions/${WS.subscriptionId}/resourceGroups/${WS.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${WS.workspace}`;
const SCORE = path.join(root, 'models', 'feature-hashing', 'azureml', 'batch', 'score.py');


const PIECES = ['hello', 'world', 'a,b', '"quoted"', 'say "hi", then', 'line\nbreak', 'crlf\r\nhere', 'café', 'naïve', 'Ωμέγα', '日本語', '😀', '👩‍💻', '12345', '4294967297', 'tab\there', 'nbsp\u00a0x', 'ls\u2028x', '', ' ', '  lead', 'trail  ', ',', '""', 'NA', 'null', '#', "'s"];
function corpus(n: number): string[] {
  const rand = prng(20260101);
  return Array.from({ length: n }, (_, i) => {
    if (i % 97 === 0) return '';
    const k = 1 + Math.floor(rand() * 6);
    return Array.from({ length: k }, () => PIECES[Math.floor(rand() * PIECES.length)]!).join(rand() < 0.5 ? ' ' : '  ');
  });
}
const csvCell = (s: string): string => (/[",\r\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s);
const toCsv = (texts: string[]): string => `Id,Col2,Other\r\n${texts.map((t, i) => `${i + 1},${csvCell(t)},x y`).join('\r\n')}\r\n`;

interface Blobs { server: Server; url: string; data: Map<string, Buffer>; puts: Array<{ path: string; blobType?: string }> }
async function startBlobs(): Promise<Blobs> {
  const data = new Map<string, Buffer>();
  const puts: Blobs['puts'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://blobs');
    if (!url.searchParams.get('sig')) return void res.writeHead(403).end('no SAS');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PUT') {
        data.set(url.pathname, Buffer.concat(chunks));
        const blobType = req.headers['x-ms-blob-type'];
        puts.push({ path: url.pathname, blobType: typeof blobType === 'string' ? blobType : undefined });
        return void res.writeHead(201).end();
      }
      const blob = data.get(url.pathname);
      if (req.method !== 'GET' || !blob) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/csv' }).end(blob);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, data, puts };
}

describe.skipIf(!python)('Azure ML batch endpoint stand-in running the feature-hashing batch deployment', () => {
  let blobs: Blobs;
  let standIn: AzureMlBatchStandIn;
  let outputs = 0;
  const texts = corpus(1000);

  beforeAll(async () => {
    blobs = await startBlobs();
    blobs.data.set('/data/awkward%20input.csv', Buffer.from(toCsv(texts)));
    blobs.data.set('/data/no-col2.csv', Buffer.from('Id,Text\n1,hello\n'));
    standIn = await startAzureMlBatchStandIn({
      python: python!,
      driver: path.join(root, 'models', 'batch-runtime', 'driver.py'),
      deployments: {
        predictions: { scoringScript: SCORE, miniBatchSize: 1, env: { FEATURE_HASHING_OUTPUT: 'predictions' } },
        rows: { scoringScript: SCORE, env: { FEATURE_HASHING_OUTPUT: 'rows', HASHING_BITSIZE: '4', NGRAMS: '3' } },
        slow: { scoringScript: SCORE, env: { FEATURE_HASHING_DELAY_MS: '60000' } },
      },
      defaultDeployment: 'predictions',
      signingKey: SIGNING_KEY,
      workspace: WS,
      stepMs: 10,
      cancelDelayMs: 500,
    });
  });
  afterAll(async () => {
    await standIn?.close();
    await new Promise((resolve) => blobs?.server.close(resolve));
  });

  const newOutput = (): string => `${blobs.url}/results/out-${++outputs}/predictions.csv?sv=2024&sig=write`;
  const body = (inputUri: string, outputUri = newOutput(), type = 'UriFile') => ({
    properties: { InputData: { input1: { JobInputType: type, Uri: inputUri } }, OutputData: { output1: { JobOutputType: 'UriFile', Uri: outputUri } } },
  });
  const invoke = (payload: unknown, { deployment, token = mlToken }: { deployment?: string; token?: string } = {}) =>
    fetch(`${standIn.url}/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(deployment ? { 'azureml-model-deployment': deployment } : {}) },
      body: JSON.stringify(payload),
    });
  const arm = (name: string, { cancel = false, token = armToken, apiVersion = '2024-04-01' } = {}) =>
    fetch(`${standIn.url}${ARM}/jobs/${name}${cancel ? '/cancel' : ''}${apiVersion ? `?api-version=${apiVersion}` : ''}`, {
      method: cancel ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}` },
    });
  const job = async (name: string) => (await (await arm(name)).json()) as { id: string; name: string; properties: { status: string; error?: { code: string; message: string } } };
  const waitFor = (name: string, status: string, timeout = 60_000) =>
    vi.waitFor(async () => expect((await job(name)).properties.status).toBe(status), { timeout, interval: 25 });
  const start = async (payload: unknown, deployment?: string): Promise<string> => {
    const res = await invoke(payload, { deployment });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { id: string; name: string; properties: { status: string } };
    expect(answer.id.split('/').pop()).toBe(answer.name);
    expect(answer.id).toBe(`${ARM}/jobs/${answer.name}`);
    expect(answer.properties.status).toBe('NotStarted');
    return answer.name;
  };
  const outputLines = (outputUri: string): unknown[] => {
    const text = blobs.data.get(new URL(outputUri).pathname)!.toString('utf8');
    return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
  };
  const WALK = ['NotStarted', 'Queued', 'Starting', 'Preparing', 'Running', 'Finalizing', 'Completed'];

  it('predictions mode: 1,000 awkward rows run through every state to Completed; the output is [file, features] per row, in order', async () => {
    const output = newOutput();
    const name = await start(body(`${blobs.url}/data/awkward%20input.csv?sv=2024&sig=read`, output));
    await waitFor(name, 'Completed');
    expect(standIn.statusLog(name)).toEqual(WALK);
    expect(blobs.puts.find((p) => p.path === new URL(output).pathname)?.blobType).toBe('BlockBlob');
    const lines = outputLines(output);
    expect(lines).toHaveLength(1000);
    lines.forEach((line, i) => expect(line, `row ${i}`).toEqual(['awkward input.csv', featureHash(texts[i]!)]));
    const listed = standIn.jobs().find((j) => j.name === name)!;
    expect(listed).toMatchObject({ status: 'Completed', deployment: 'predictions', inputUri: `${blobs.url}/data/awkward%20input.csv` });
    expect(listed.outputUri).not.toContain('sig=');
  });

  it('rows mode (azureml-model-deployment: rows, 4 bits, 3-grams): each line is [Col2, ...features], texts exact', async () => {
    const output = newOutput();
    const name = await start(body(`${blobs.url}/data/awkward%20input.csv?sig=read`, output), 'rows');
    await waitFor(name, 'Completed');
    const lines = outputLines(output);
    expect(lines).toHaveLength(1000);
    lines.forEach((line, i) => expect(line, `row ${i}`).toEqual([texts[i], ...featureHash(texts[i]!, { bits: 4, ngrams: 3 })]));
  });

  it('checks the token audience on both planes, requires api-version, and never logs a token', async () => {
    expect((await invoke(body(`${blobs.url}/data/awkward%20input.csv?sig=r`), { token: armToken })).status).toBe(401);
    expect((await invoke(body(`${blobs.url}/data/awkward%20input.csv?sig=r`), { token: 'not-a-token' })).status).toBe(401);
    const name = await start(body(`${blobs.url}/data/awkward%20input.csv?sig=r`));
    expect((await arm(name, { token: mlToken })).status).toBe(401);
    const noVersion = await arm(name, { apiVersion: '' });
    expect(noVersion.status).toBe(400);
    expect(((await noVersion.json()) as { error: { code: string } }).error.code).toBe('MissingApiVersionParameter');
    const unknown = await arm('batchjob-does-not-exist');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('ResourceNotFound');
    await waitFor(name, 'Completed');
    const audiences = standIn.log.filter((c) => c.status === 401).map((c) => [c.plane, c.audience]);
    expect(audiences).toEqual(expect.arrayContaining([['invoke', 'https://management.azure.com'], ['arm', 'https://ml.azure.com'], ['invoke', undefined]]));
    const logged = JSON.stringify(standIn.log);
    for (const secret of [mlToken, armToken, 'sig=']) expect(logged).not.toContain(secret);
  });

  it('holdQueued keeps a job Queued; cancel answers 202, then CancelRequested, then Canceled', async () => {
    standIn.holdQueued(true);
    try {
      const name = await start(body(`${blobs.url}/data/awkward%20input.csv?sig=r`));
      await waitFor(name, 'Queued');
      const res = await arm(name, { cancel: true });
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toContain(`/jobs/${name}`);
      expect((await job(name)).properties.status).toBe('CancelRequested');
      await waitFor(name, 'Canceled');
      expect(standIn.statusLog(name)).toEqual(['NotStarted', 'Queued', 'CancelRequested', 'Canceled']);
      expect((await arm(name, { cancel: true })).status).toBe(200); // terminal: a no-op
    } finally {
      standIn.holdQueued(false);
    }
  });

  it('cancel while Running kills the scoring script: Canceled, no output written', async () => {
    const output = newOutput();
    const name = await start(body(`${blobs.url}/data/awkward%20input.csv?sig=r`, output), 'slow');
    await waitFor(name, 'Running');
    expect((await arm(name, { cancel: true })).status).toBe(202);
    await waitFor(name, 'Canceled');
    expect(standIn.statusLog(name)).toEqual(['NotStarted', 'Queued', 'Starting', 'Preparing', 'Running', 'CancelRequested', 'Canceled']);
    expect(blobs.data.has(new URL(output).pathname)).toBe(false);
  });

  it('a failing job is Failed with its message (first line) in properties.error; so is a scoring script error', async () => {
    standIn.failNextJob('Model exploded\nsecond line');
    const name = await start(body(`${blobs.url}/data/awkward%20input.csv?sig=r`));
    await waitFor(name, 'Failed');
    expect((await job(name)).properties.error).toEqual({ code: 'UserError', message: 'Model exploded' });
    const bad = await start(body(`${blobs.url}/data/no-col2.csv?sig=r`));
    await waitFor(bad, 'Failed');
    expect((await job(bad)).properties.error?.message).toContain("no column 'Col2'");
    const gone = await start(body(`${blobs.url}/data/missing.csv?sig=r`));
    await waitFor(gone, 'Failed');
    expect((await job(gone)).properties.error?.message).toContain('HTTP 404');
  });

  it('failNextInvoke(429) answers 429 with Retry-After once; then invokes work again', async () => {
    standIn.failNextInvoke(429);
    const res = await invoke(body(`${blobs.url}/data/awkward%20input.csv?sig=r`));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
    await waitFor(await start(body(`${blobs.url}/data/awkward%20input.csv?sig=r`)), 'Completed');
  });

  it('refuses a reused output location, UriFolder inputs, not exactly one input or output, and unknown deployments', async () => {
    const output = newOutput();
    await start(body(`${blobs.url}/data/awkward%20input.csv?sig=r`, output));
    expect((await invoke(body(`${blobs.url}/data/awkward%20input.csv?sig=r`, output.replace('sig=write', 'sig=other')))).status).toBe(400);
    expect((await invoke(body(`${blobs.url}/data/?sig=r`, newOutput(), 'UriFolder'))).status).toBe(400);
    expect((await invoke(body(`${blobs.url}/data/a.csv?sig=r`, newOutput(), 'Literal'))).status).toBe(400);
    const two = body(`${blobs.url}/data/a.csv?sig=r`);
    (two.properties.InputData as Record<string, unknown>).input2 = { JobInputType: 'UriFile', Uri: `${blobs.url}/b.csv` };
    expect((await invoke(two)).status).toBe(400);
    expect((await invoke({ properties: { InputData: { input1: { JobInputType: 'UriFile', Uri: `${blobs.url}/a.csv` } } } })).status).toBe(400);
    expect((await invoke(body(`${blobs.url}/data/a.csv?sig=r`), { deployment: 'nope-deployment' })).status).toBe(404);
  });
});
