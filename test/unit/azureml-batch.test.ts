// The azureml-batch adapter's pieces without Azure: the classic result composed from a staged input and the
// deployment's JSON Lines output (predictions joined back in order, or whole rows), the job resource read, every
// Azure ML job state mapped to the classic lifecycle, what a model deployment cannot take refused at submit, and a
// refused invoke retried with backoff while the job is kept (an in-memory exchange, a small HTTP endpoint).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { composeResult } from '../../src/lib/backends/azureml-batch/results.js';
import { AZUREML_JOB_STATES, CLASSIC_STATE, parseJob } from '../../src/lib/backends/azureml-batch/wire.js';
import { AzureMlBatchConfig } from '../../src/lib/backends/azureml-batch/config.js';
import { AzureMlBatchBackend } from '../../src/lib/backends/azureml-batch/adapter.js';
import type { BatchExchange, BatchJobState } from '../../src/lib/backends/batch-exchange.js';
import type { BackendJobRequest } from '../../src/lib/backends/port.js';
import { GatewayError } from '../../src/lib/errors.js';
import { CsvParser } from '../../src/common/csv.js';

const WS = { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'rg', name: 'ws' };
const config = (over: Record<string, unknown> = {}) =>
  AzureMlBatchConfig.parse({ kind: 'azureml-batch', baseUrl: 'https://e.westeurope.inference.ml.azure.com/jobs', workspace: WS, output: 'predictions', predictions: [{ name: 'Col2_HashingFeature', type: 'integer' }], ...over });

const csv = (text: string) => {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()].map((r) => r.fields);
};

describe('the classic result of a batch job', () => {
  const input = Buffer.from('Id,Col2\r\n1,"a, b"\r\n2,"say ""hi""\nthere"\r\n3,\r\n');

  it('joins predictions ([file, prediction] or bare) back to their input rows, in order, with a header row', () => {
    const output = Buffer.from('["in.csv", [1, 0]]\n["in.csv", [0, 2]]\n[3, 4]\n');
    expect(csv(composeResult(config(), input, output).toString())).toEqual([
      ['Id', 'Col2', 'Col2_HashingFeature.0', 'Col2_HashingFeature.1'],
      ['1', 'a, b', '1', '0'],
      ['2', 'say "hi"\nthere', '0', '2'],
      ['3', '', '3', '4'],
    ]);
    expect(csv(composeResult(config({ echo: ['Col2'] }), input, output).toString())[0]).toEqual(['Col2', 'Col2_HashingFeature.0', 'Col2_HashingFeature.1']);
  });

  it('takes whole rows as they are, named by echo and the predictions', () => {
    const output = Buffer.from('["a, b", 1, 0]\n["say \\"hi\\"\\nthere", 0, 2]\n["", 3, 4]\n');
    expect(csv(composeResult(config({ output: 'rows', echo: ['Col2'] }), input, output).toString())).toEqual([
      ['Col2', 'Col2_HashingFeature.0', 'Col2_HashingFeature.1'],
      ['a, b', '1', '0'],
      ['say "hi"\nthere', '0', '2'],
      ['', '3', '4'],
    ]);
  });

  it('an output that does not fit the input is the backend\'s fault (502), never a wrong result', () => {
    const fail = (output: string, over = {}) => {
      try {
        composeResult(config(over), input, Buffer.from(output));
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
        return (error as GatewayError).status;
      }
      return 200;
    };
    expect(fail('[1]\n[2]\n')).toBe(502); // 2 lines for 3 rows
    expect(fail('[1]\nnot json\n[3]\n')).toBe(502);
    expect(fail('[1, 2]\n[3]\n[4, 5]\n', { output: 'rows', echo: ['Col2'] })).toBe(502); // ragged rows
  });
});

describe('the batch endpoint wire', () => {
  it('reads the job name from the id\'s last segment, its state, and a failed job\'s reason', () => {
    expect(parseJob({ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/jobs/batchjob-1', properties: { status: 'Queued' } }))
      .toEqual({ name: 'batchjob-1', state: 'Queued', reason: null });
    expect(parseJob({ name: 'j', properties: { status: 'Failed', error: { message: 'run() raised\nValueError' } } })).toEqual({ name: 'j', state: 'Failed', reason: 'run() raised ValueError' });
    expect(parseJob({ name: 'j', properties: { status: 'SomethingNew' } })!.state).toBe('Unknown');
    expect(parseJob({ properties: { status: 'Running' } })).toBeUndefined();
  });

  it('maps every Azure ML job state explicitly: ends to Finished, Failed, Cancelled; everything else Running', () => {
    expect(Object.keys(CLASSIC_STATE).sort()).toEqual([...AZUREML_JOB_STATES].sort());
    expect(CLASSIC_STATE.Completed).toBe('Finished');
    expect(CLASSIC_STATE.Failed).toBe('Failed');
    expect(CLASSIC_STATE.Canceled).toBe('Cancelled');
    for (const state of ['NotStarted', 'Starting', 'Preparing', 'Queued', 'Running', 'Finalizing', 'CancelRequested', 'NotResponding', 'Paused', 'Unknown'] as const) {
      expect(CLASSIC_STATE[state], state).toBe('Running');
    }
  });
});

class MemoryExchange implements BatchExchange {
  states = new Map<string, BatchJobState>();
  async stageInput(key: string) { return `http://storage.invalid/staging/${key}/input.csv?sig=x`; }
  async outputLocation(key: string, attempt: number) { return `http://storage.invalid/staging/${key}/output-${attempt}.csv?sig=x`; }
  async readStaged() { return undefined; }
  async writeOutput() {}
  async loadState(key: string) { return this.states.get(key); }
  async saveState(key: string, state: BatchJobState) { this.states.set(key, structuredClone(state)); }
}

const KEY = 'a'.repeat(32);
const job = (globals: Record<string, unknown> = {}): BackendJobRequest => ({
  Inputs: { input1: { ConnectionString: 'x', RelativeLocation: '/inputs/in.csv' } },
  Outputs: { output1: { ConnectionString: 'y', RelativeLocation: `/staging/${KEY}/output1.csv` } },
  GlobalParameters: globals,
});
const tokens = { get: async () => 'token', refresh: async () => 'token' };

describe('the azureml-batch adapter', () => {
  const servers: http.Server[] = [];
  afterAll(async () => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  it('refuses at submit what a model deployment cannot take: parameters, several inputs, naming each', async () => {
    const adapter = new AzureMlBatchBackend(tokens, new MemoryExchange());
    const error = await adapter.submit({ backend: config() }, job({ 'Hashing bitsize': 4 })).catch((e: unknown) => e as GatewayError);
    expect(error).toMatchObject({ status: 400 });
    expect((error as GatewayError).details).toEqual([expect.objectContaining({ code: 'InvalidGlobalParameter', target: 'GlobalParameters.Hashing bitsize' })]);
    const two = { ...job(), Inputs: { a: job().Inputs.input1!, b: job().Inputs.input1! } };
    expect(((await adapter.submit({ backend: config() }, two).catch((e: unknown) => e)) as GatewayError).details[0]).toMatchObject({ target: 'Inputs' });
  });

  it('a 429 on invoke keeps the job (Running) and tries again after a backoff that doubles; then follows the job', async () => {
    const answers = [429, 503, 200];
    const seen: number[] = [];
    const server = http.createServer((req, res) => {
      req.resume().on('end', () => {
        const status = answers.shift() ?? 200;
        seen.push(status);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? { id: '/x/jobs/batchjob-7', properties: { status: 'NotStarted' } } : { error: { message: 'busy' } }));
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    let now = 1_000_000;
    const exchange = new MemoryExchange();
    const adapter = new AzureMlBatchBackend(tokens, exchange, { retryBaseMs: 1_000, now: () => now });
    const target = { backend: config({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }) };
    const key = await adapter.submit(target, job());
    await adapter.start(target, key); // 429: the start succeeds, the job waits
    expect(exchange.states.get(key)).toMatchObject({ attempt: 1, serviceJob: null, invokeFailures: 1, nextInvokeAt: now + 1_000 });
    expect(await adapter.status(target, key)).toEqual({ status: 'Running', details: null }); // before the backoff: no call
    expect(seen).toEqual([429]);
    now += 1_000;
    await adapter.status(target, key); // 503: backoff doubles
    expect(exchange.states.get(key)).toMatchObject({ attempt: 2, invokeFailures: 2, nextInvokeAt: now + 2_000 });
    now += 2_000;
    await adapter.status(target, key); // 200: the job has a name; each attempt had its own output location
    expect(exchange.states.get(key)).toMatchObject({ attempt: 3, serviceJob: 'batchjob-7', invokeFailures: 0 });
    expect(seen).toEqual([429, 503, 200]);
  });
});
