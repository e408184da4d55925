// Classic BES jobs on an Azure ML batch endpoint, end to end over real HTTP: the facade (its own poller), the batch
// endpoint stand-in (this file's own, in-process, so tests can hold, fail and watch jobs) running the project's
// batch deployment of the reference model with real Python, and Azurite. A 10,000-row job scored like the classic
// reference, in the facade's results and in the caller's own output blob; predictions-only output joined back and
// whole rows taken as they are; cancel while Queued and while Running; a failing job's reason in Details; a 429 on
// invoke retried with the job kept; parameters a model deployment cannot take refused; tokens that expire mid-job
// (2 s tokens from the file's own identity stand-in) renewed. Needs the model servers' Python.
import { BlobServiceClient } from '@azure/storage-blob';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelServersMissing, useStack } from './helpers/stack.js';
import { csvOf, expectedRows, jobsApi, parseCsv, sampleTexts } from './helpers/bes.js';
import { expectClassicBody } from './helpers/classic.js';
import { waitFor } from './helpers/wait.js';
import { startAzureMlBatchStandIn, type AzureMlBatchStandIn } from '../../src/local/azureml-batch-standin.js';
import { DEMO_BATCH_DEPLOYMENTS, DEMO_BATCH_WORKSPACE, batchEntryBackend } from '../../src/local/stack/demo-entries.js';
import { findProjectRoot } from '../../src/local/stack/project.js';
import path from 'node:path';

const missing = modelServersMissing('azureml-batch');
const finished = (code: string) => ['Finished', 'Failed', 'Cancelled'].includes(code);

describe.skipIf(Boolean(missing))('classic BES jobs on an Azure ML batch endpoint', { timeout: 60_000 }, () => {
  const stack = useStack({
    models: true,
    keyVaultEnv: { KEYVAULT_TOKEN_TTL_SECONDS: '2' },
    facadeEnv: { BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1', MAX_REQUEST_BYTES: '8388608' },
  });
  let endpoint: AzureMlBatchStandIn;
  const key = () => stack().demo.subscriptionKey;
  const predictions = jobsApi(stack, key, 'batch-predictions');
  const rows = jobsApi(stack, key, 'batch-rows');
  const slow = jobsApi(stack, key, 'batch-slow');

  async function register(service: string, deployment: 'predictions' | 'rows' | 'slow') {
    const backend = { ...batchEntryBackend(endpoint.url, deployment === 'slow' ? 'predictions' : deployment), deployment };
    const res = await request(`${stack().facadeUrl}/manage/catalogue/${stack().demo.workspace}/${service}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-admin-key': stack().adminKey },
      body: JSON.stringify({ backend }),
    });
    expect(res.statusCode, await res.body.text()).toBe(200);
  }

  /** Uploads the texts through the facade, submits and starts a job; its id. */
  async function run(api: typeof predictions, texts: string[], extra: Record<string, unknown> = {}): Promise<string> {
    const uploaded = await api.upload(csvOf(texts));
    expect(uploaded.status, uploaded.text).toBe(201);
    const submitted = await api.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } }, GlobalParameters: {}, ...extra });
    expect(submitted.status, submitted.text).toBe(200);
    const id = submitted.json as string;
    expect((await api.start(id)).status).toBe(200);
    return id;
  }

  const serviceJobOf = async (count: number) => waitFor('the endpoint to have the job', () => (endpoint.jobs().length >= count ? endpoint.jobs()[count - 1]! : undefined), 10_000);

  beforeAll(async () => {
    const root = findProjectRoot();
    const deployments = DEMO_BATCH_DEPLOYMENTS(root);
    endpoint = await startAzureMlBatchStandIn({
      python: stack().models!.servers.python,
      driver: path.join(root, 'models', 'batch-runtime', 'driver.py'),
      deployments: { ...deployments, slow: { ...deployments.predictions, env: { ...deployments.predictions.env, FEATURE_HASHING_DELAY_MS: '3000' } } },
      defaultDeployment: 'predictions',
      signingKey: stack().keyVault.signingKey,
      workspace: DEMO_BATCH_WORKSPACE,
    });
    await register('batch-predictions', 'predictions');
    await register('batch-rows', 'rows');
    await register('batch-slow', 'slow');
  }, 60_000);

  afterAll(async () => {
    await endpoint?.close();
  });

  it('a 10,000-row job scores every row like the classic reference, in the facade\'s results and in the blob the caller named', async () => {
    const texts = sampleTexts(10_000);
    const conn = stack().demo.clientStorageConnectionString;
    const container = BlobServiceClient.fromConnectionString(conn).getContainerClient('batch-client');
    await container.createIfNotExists();
    const id = await run(predictions, texts, { Outputs: { output1: { ConnectionString: conn, RelativeLocation: '/batch-client/out/scores.csv' } } });
    const done = await predictions.waitFor(id, finished, 90_000);
    expect(done.json.StatusCode, done.text).toBe('Finished');
    const viaFacade = parseCsv((await predictions.download(id)).text);
    expect(viaFacade[0]).toEqual(['Col2', ...Array.from({ length: 8 }, (_, k) => `Col2_HashingFeature.${k}`)]);
    expect(viaFacade.slice(1)).toEqual(expectedRows(texts));
    const named = await container.getBlobClient('out/scores.csv').downloadToBuffer();
    expect(parseCsv(named.toString())).toEqual(viaFacade);
    // The batch job went through Azure ML's states in order; both planes were called with their own audience.
    const job = endpoint.jobs().at(-1)!;
    expect(endpoint.statusLog(job.name)).toEqual(['NotStarted', 'Queued', 'Starting', 'Preparing', 'Running', 'Finalizing', 'Completed']);
    expect(new Set(endpoint.log.filter((c) => c.status < 300).map((c) => `${c.plane} ${c.audience}`))).toEqual(new Set(['invoke https://ml.azure.com', 'arm https://management.azure.com']));
  }, 120_000);

  it('a deployment that writes whole rows: taken as they are', async () => {
    const texts = sampleTexts(200);
    const id = await run(rows, texts);
    const done = await rows.waitFor(id, finished, 60_000);
    expect(done.json.StatusCode, done.text).toBe('Finished');
    expect(parseCsv((await rows.download(id)).text).slice(1)).toEqual(expectedRows(texts));
  });

  it('parameters a model deployment cannot take are refused at submit, naming them', async () => {
    const uploaded = await predictions.upload(csvOf(['x']));
    const refused = await predictions.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } }, GlobalParameters: { 'Hashing bitsize': 4 } });
    expect(refused.status).toBe(400);
    expectClassicBody(refused.json, 'InvalidGlobalParameter');
    expect(refused.json.error.details[0].target).toBe('GlobalParameters.Hashing bitsize');
  });

  it('cancel while Queued: the caller sees Cancelled at once; the batch job goes CancelRequested, then Canceled', async () => {
    endpoint.holdQueued(true);
    try {
      const before = endpoint.jobs().length;
      const id = await run(predictions, sampleTexts(10));
      const job = await serviceJobOf(before + 1);
      await waitFor('the job to queue', () => (endpoint.statusLog(job.name).includes('Queued') ? true : undefined));
      expect((await predictions.cancel(id)).status).toBe(200);
      expect((await predictions.status(id)).json.StatusCode).toBe('Cancelled');
      await waitFor('the batch job to be canceled', () => (endpoint.statusLog(job.name).at(-1) === 'Canceled' ? true : undefined));
      expect(endpoint.statusLog(job.name).slice(-2)).toEqual(['CancelRequested', 'Canceled']);
    } finally {
      endpoint.holdQueued(false);
    }
  });

  it('cancel while Running: the scoring stops, the caller sees Cancelled, no result', async () => {
    const before = endpoint.jobs().length;
    const id = await run(slow, sampleTexts(10));
    const job = await serviceJobOf(before + 1);
    await waitFor('the job to run', () => (endpoint.statusLog(job.name).includes('Running') ? true : undefined), 20_000);
    // 409 JobBusy while a poller holds the job for a moment: the answer says to cancel again shortly, as a client would.
    await waitFor('the cancel to be taken', async () => ((await slow.cancel(id)).status === 200 ? true : undefined), 10_000, 200);
    await waitFor('the batch job to be canceled', () => (endpoint.statusLog(job.name).at(-1) === 'Canceled' ? true : undefined), 10_000);
    const status = await slow.status(id);
    expect(status.json.StatusCode).toBe('Cancelled');
    expect((await slow.download(id)).status).toBe(404);
  });

  it('a failing job ends Failed with the job\'s error in Details', async () => {
    endpoint.failNextJob('the model ran out of memory');
    const id = await run(predictions, sampleTexts(5));
    const done = await predictions.waitFor(id, finished, 30_000);
    expect(done.json.StatusCode).toBe('Failed');
    expect(done.json.Details).toContain('the model ran out of memory');
  });

  it('429 on invoke: the start succeeds, the job is kept and invoked again after a backoff', async () => {
    endpoint.failNextInvoke(429);
    const texts = sampleTexts(20);
    const id = await run(predictions, texts);
    const done = await predictions.waitFor(id, finished, 30_000);
    expect(done.json.StatusCode, done.text).toBe('Finished');
    expect(parseCsv((await predictions.download(id)).text).slice(1)).toEqual(expectedRows(texts));
    expect(endpoint.log.filter((c) => c.plane === 'invoke').map((c) => c.status)).toContain(429);
  });

  it('tokens that expire while the job runs are renewed (2 s tokens, a job of more than 3 s)', async () => {
    const texts = sampleTexts(30);
    const started = Date.now();
    const id = await run(slow, texts);
    const done = await slow.waitFor(id, finished, 30_000);
    expect(done.json.StatusCode, done.text).toBe('Finished');
    expect(Date.now() - started).toBeGreaterThan(3_000);
    expect(parseCsv((await slow.download(id)).text).slice(1)).toEqual(expectedRows(texts));
    expect(endpoint.log.filter((c) => c.status === 401)).toEqual([]);
  });
});
