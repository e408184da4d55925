// Property-based fuzzing of every data-plane operation (RRS table and swagger, BES upload, SAS, submit, list,
// start, status, cancel, download) through real HTTP against one real stack: never a 5xx, a reset or a hang,
// every 4xx in the classic shape. FUZZ_RUNS=5000 for a long run.
import { expectClassicBody } from './helpers/classic.js';
import fc from 'fast-check';
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allLogs, useStack } from './helpers/stack.js';
import { csvOf, jobsApi, sampleTexts } from './helpers/bes.js';
import { damagedBytes, hostileString, jsonBody } from './helpers/fuzz.js';
import { budget, fuzz, pathOf, problemOf, queryOf, runs, segment, send, tally, type FuzzRequest } from './helpers/fuzz-http.js';
import { headersOf, requestOf, subscriptionKeyOf } from './helpers/fuzz-headers.js';
import { RRS_EXAMPLE_REQUEST } from '../../src/lib/contracts/rrs.js';

const stack = useStack({
  facadeEnv: {
    AUTH_FAILURE_LIMIT: '1000000', BES_MAX_OPEN_JOBS_PER_SUBSCRIPTION: '500',
    BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1', BES_STATUS_REFRESH_SECONDS: '3600',
  },
});
const api = jobsApi(stack, () => stack().demo.subscriptionKey);
const RUNS = runs(120);
const origin = () => stack().facadeUrl;
const jobs = { pending: '', finished: '', input: '' };

beforeAll(async () => {
  const uploaded = await api.upload(csvOf(sampleTexts(5)));
  jobs.input = uploaded.json.RelativeLocation;
  const submit = () => api.submit({ Inputs: { input1: { RelativeLocation: jobs.input } }, GlobalParameters: {} });
  jobs.pending = (await submit()).json;
  jobs.finished = (await submit()).json;
  await api.start(jobs.finished);
  expect((await api.waitFor(jobs.finished, (c) => c === 'Finished')).json.StatusCode).toBe('Finished');
}, 60_000);

afterAll(() => {
  const seconds = ((Date.now() - tally.startedAt) / 1000).toFixed(1);
  console.log(`[fuzz data plane] ${tally.sent} requests in ${seconds} s; by status ${JSON.stringify(tally.byStatus)}\n${JSON.stringify(tally.byOperation, null, 1)}`);
});

/** The generated requests of each operation, built once the stack (and its keys and jobs) exists. */
function operations(): Record<string, fc.Arbitrary<FuzzRequest>> {
  const s = stack();
  const base = ['workspaces', segment(s.demo.workspace), 'services', segment(s.demo.service)];
  const credentials = subscriptionKeyOf(s.demo.subscriptionKey);
  const bes = queryOf([['api-version', '2.0']]);
  const json = headersOf('application/json');
  const plain = headersOf(undefined);
  const swagger = { Inputs: { input1: [{ Col2: 'This is a good day' }, { Col2: 'another' }] }, GlobalParameters: { 'Hashing bitsize': 3, 'N-grams': 2 } };
  const held = { Inputs: { input1: { RelativeLocation: jobs.input } }, Outputs: { output1: { RelativeLocation: '/results/out.csv' } }, GlobalParameters: { 'N-grams': 1 } };
  const classic = {
    Input: { ConnectionString: s.storageConnectionString, RelativeLocation: jobs.input, BaseLocation: null, SasBlobToken: null },
    Outputs: { output1: { ConnectionString: s.storageConnectionString, RelativeLocation: '/staging/x.csv' } },
    GlobalParameters: {},
  };
  const csv = csvOf(sampleTexts(20));
  const job = (id: string) => segment(id);
  return {
    'rrs.execute (table)': requestOf('POST', { path: pathOf([...base, 'execute']), query: queryOf([['api-version', '2.0'], ['details', 'true']]), credentials, headers: json, body: jsonBody(RRS_EXAMPLE_REQUEST) }),
    'rrs.execute (swagger)': requestOf('POST', { path: pathOf([...base, 'execute']), query: queryOf([['api-version', '2.0'], ['format', 'swagger'], ['details', 'false']]), credentials, headers: json, body: jsonBody(swagger) }),
    'bes.upload': requestOf('POST', {
      path: pathOf([...base, 'inputs']), query: queryOf([['api-version', '2.0'], ['name', 'input.csv']]), credentials, headers: headersOf('text/csv'),
      body: damagedBytes(fc.oneof({ weight: 6, arbitrary: fc.constant(csv) }, { weight: 2, arbitrary: hostileString }, { weight: 1, arbitrary: fc.constant(csv.repeat(2_000)) })),
    }),
    'bes.uploadSas': requestOf('POST', { path: pathOf([...base, 'inputs', 'sas']), query: queryOf([['api-version', '2.0'], ['name', 'big.csv']]), credentials, headers: plain }),
    'bes.submit': requestOf('POST', { path: pathOf([...base, 'jobs']), query: bes, credentials, headers: json, body: fc.oneof(jsonBody(held), jsonBody(classic)) }),
    'bes.list': requestOf('GET', { path: pathOf([...base, 'jobs']), query: bes, credentials, headers: plain }),
    'bes.status': requestOf('GET', { path: pathOf([...base, 'jobs', job(jobs.finished)]), query: bes, credentials, headers: plain }),
    'bes.download': requestOf('GET', { path: pathOf([...base, 'jobs', job(jobs.finished), 'results', segment('output1')]), query: bes, credentials, headers: plain }),
    'bes.start': requestOf('POST', { path: pathOf([...base, 'jobs', job(jobs.pending), 'start']), query: bes, credentials, headers: plain }),
    'bes.cancel': requestOf('DELETE', { path: pathOf([...base, 'jobs', job(jobs.pending)]), query: bes, credentials, headers: plain }),
    // The subscriber's own API: their recent calls (every parameter fuzzed) and the services their product allows.
    'me.calls': requestOf('GET', {
      path: pathOf(['workspaces', 'me', 'calls']), credentials, headers: plain,
      query: queryOf([['limit', '20'], ['errorsOnly', 'true'], ['from', new Date(Date.now() - 3_600_000).toISOString()], ['to', new Date(Date.now() + 60_000).toISOString()]]),
    }),
    'me.services': requestOf('GET', { path: pathOf(['workspaces', 'me', 'services']), query: queryOf([]), credentials, headers: plain }),
  };
}

const NAMES = ['rrs.execute (table)', 'rrs.execute (swagger)', 'bes.upload', 'bes.uploadSas', 'bes.submit', 'bes.list', 'bes.status', 'bes.download', 'bes.start', 'bes.cancel',
  'me.calls', 'me.services'];

describe('fuzzed data-plane calls never get a 5xx, a reset or a hang, and every 4xx is a classic error', () => {
  for (const name of NAMES) {
    it(name, async () => {
      await fuzz(name, origin, operations()[name]!, RUNS);
    }, budget(RUNS));
  }

  it('any method on any data-plane path', async () => {
    const s = stack();
    const base = ['workspaces', segment(s.demo.workspace), 'services', segment(s.demo.service)];
    const id = segment(jobs.finished);
    const path = fc.oneof(...[['execute'], ['jobs'], ['jobs', id], ['jobs', id, 'start'], ['jobs', id, 'results', 'output1'], ['inputs'], ['inputs', 'sas']].map((rest) => pathOf([...base, ...rest])));
    const arb = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS').chain((method) =>
      requestOf(method, { path, query: queryOf([['api-version', '2.0']]), credentials: subscriptionKeyOf(s.demo.subscriptionKey), headers: headersOf(undefined) }));
    await fuzz('any method', origin, arb, RUNS);
  }, budget(RUNS));

  it('leaves the facade alive and healthy, with no unhandled error logged', async () => {
    const facade = stack().children.find((c) => c.name === 'facade')!;
    expect(facade.process.exitCode).toBeNull();
    const health = await send(origin(), { method: 'GET', path: '/health', query: '', headers: {} }, 'health');
    expect(health.status).toBe(200);
    expect(allLogs(stack())).not.toMatch(/Unhandled error|Unhandled promise rejection|\(Failed|Local host failed/);
  });
});

describe('regressions found by fuzzing', () => {
  const jobsPath = () => `/workspaces/${stack().demo.workspace}/services/${stack().demo.service}/jobs`;
  const key = () => ({ 'ocp-apim-subscription-key': stack().demo.subscriptionKey });

  it('a URL over the header size limit gets 431 in the classic shape, even while a large body is still coming', async () => {
    for (const body of [undefined, Buffer.alloc(10_000_000, 97)]) {
      const answer = await send(origin(), { method: 'POST', path: `/workspaces/${'b'.repeat(20_000)}/services/x/inputs`, query: '', headers: key(), body }, 'regression');
      expect(answer.status).toBe(431);
      expect(problemOf(answer)).toBeUndefined();
    }
  });

  it('a chunked body over the RRS limit gets 413, and the next request on that connection is answered (no hang)', async () => {
    const execute = `/workspaces/${stack().demo.workspace}/services/${stack().demo.service}/execute`;
    const big = { method: 'POST', path: execute, query: 'api-version=2.0', headers: { ...key(), 'content-type': 'application/json' }, body: Buffer.alloc(6_000_000, 32), chunked: true };
    for (let i = 0; i < 3; i++) {
      expect((await send(origin(), big, 'regression')).status).toBe(413);
      expect((await send(origin(), { method: 'GET', path: '/health', query: '', headers: {} }, 'regression')).status).toBe(200);
    }
  });

  it('a 2 MB body that cannot be inflated gets 400, and the next request on that connection is answered (no hang)', async () => {
    const execute = `/workspaces/${stack().demo.workspace}/services/${stack().demo.service}/execute?api-version=2.0`;
    const client = new Client(origin(), { pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
    try {
      const bad = await client.request({ method: 'POST', path: execute, headers: { ...key(), 'content-type': 'application/json', 'content-encoding': 'deflate' }, body: Buffer.alloc(2_000_000, 91) });
      expect(bad.statusCode).toBe(400);
      expectClassicBody(await bad.body.json(), 'RequestBodyInvalid');
      const next = await client.request({ method: 'POST', path: execute, headers: { ...key(), 'content-type': 'application/json' }, body: JSON.stringify(RRS_EXAMPLE_REQUEST) });
      expect(next.statusCode).toBe(200);
      await next.body.dump();
    } finally {
      await client.close();
    }
  });

  it('the host\'s own answers (no route, an unusable Host header) carry a request id and do not echo the URL', async () => {
    const noRoute = await send(origin(), { method: 'GET', path: '/workspaces/x/services/y/nothing', query: '', headers: {} }, 'regression');
    expect(noRoute.status).toBe(404);
    expect(problemOf(noRoute)).toBeUndefined();
    const badHost = await send(origin(), { method: 'GET', path: jobsPath(), query: 'api-version=2.0&subscription-key=secret-in-url', headers: { host: 'exa mple' } }, 'regression');
    expect(badHost.status).toBe(400);
    expect(problemOf(badHost)).toBeUndefined();
    expect(badHost.text).not.toContain('secret-in-url');
  });

  it('a lone surrogate in a facade-held input location is 404 InputBlobNotFound, not a 503 from the storage SDK', async () => {
    for (const odd of ['\\ud800', '\\udfff\\ud800']) {
      const body = Buffer.from(`{"Inputs":{"input1":{"RelativeLocation":"${jobs.input}${odd}"}}}`);
      const answer = await send(origin(), { method: 'POST', path: jobsPath(), query: 'api-version=2.0', headers: { ...key(), 'content-type': 'application/json' }, body }, 'regression');
      expect(answer.status).toBe(404);
      expectClassicBody(JSON.parse(answer.text), 'InputBlobNotFound');
    }
  });
});
