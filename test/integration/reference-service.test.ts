// The reference ML web service as a real process (dist/src/reference/main.js, built by `npm test`): spawned with
// its env, called over HTTP on loopback, stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { featureHash } from '../../src/reference/feature-hashing.js';

const MAIN = 'dist/src/reference/main.js';
const KEY = 'integration-test-key-0123456789';
const MAX_BODY = 64 * 1024;

function start(env: Record<string, string>): { child: ChildProcess; url: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no listening line within 10 s')), 10_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const event = JSON.parse(line) as { event: string; url: string };
      if (event.event === 'listening') resolve(event.url);
      else reject(new Error(`unexpected first line: ${line}`));
    });
    void exit.then((code) => (clearTimeout(timer), reject(new Error(`exited with ${code} before listening`))));
  });
  return { child, url, exit };
}

const table = (values: unknown[][], globals: Record<string, unknown> = {}) => ({
  Inputs: { input1: { ColumnNames: ['Col2'], Values: values } },
  GlobalParameters: globals,
});

describe('reference ML web service process', () => {
  let proc: ReturnType<typeof start>;
  let base: string;
  let stderr = '';
  const execute = '/workspaces/ref-workspace/services/feature-hashing/execute';

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    proc = start({ REFERENCE_API_KEY: KEY, REFERENCE_MAX_BODY_BYTES: String(MAX_BODY) });
    proc.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    base = await proc.url;
  });

  afterAll(async () => {
    if (!proc) return;
    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
    expect(stderr).not.toContain(KEY);
  });

  async function call(query: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }, path = execute) {
    const res = await request(`${base}${path}${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = (await res.body.json()) as any;
    expect(res.headers['x-ms-request-id'], `request id on ${res.statusCode}`).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return { status: res.statusCode, json };
  }

  it('prints a loopback URL', () => {
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('scores the classic table format: Col2 then 8 string features', async () => {
    const texts = ['This is a good day', 'Day, day 123 00123', ''];
    const { status, json } = await call('?api-version=2.0&details=true', table(texts.map((t) => [t])));
    expect(status).toBe(200);
    const value = json.Results.output1.value;
    expect(json.Results.output1.type).toBe('table');
    expect(value.ColumnNames).toEqual(['Col2', ...Array.from({ length: 8 }, (_, i) => `Col2_HashingFeature.${i}`)]);
    expect(value.ColumnTypes).toHaveLength(9);
    expect(value.Values).toEqual(texts.map((t) => [t, ...featureHash(t).map(String)]));
    expect(json).toMatchObject({ ContainerAllocationDurationMs: 0, IsWarmContainer: true });
    expect(Number.isInteger(json.ExecutionDurationMs)).toBe(true);
  });

  it('omits ColumnTypes with details=false and defaults details to true', async () => {
    const off = await call('?api-version=2.0&details=false', table([['a b']]));
    expect(off.json.Results.output1.value).not.toHaveProperty('ColumnTypes');
    const dflt = await call('?api-version=2.0', table([['a b']]));
    expect(dflt.json.Results.output1.value).toHaveProperty('ColumnTypes');
  });

  it('speaks the swagger format in and out', async () => {
    const { status, json } = await call('?api-version=2.0&format=swagger', { Inputs: { input1: [{ Col2: 'good day' }] }, GlobalParameters: {} });
    expect(status).toBe(200);
    const expected: Record<string, string> = { Col2: 'good day' };
    featureHash('good day').forEach((count, i) => (expected[`Col2_HashingFeature.${i}`] = String(count)));
    expect(json.Results.output1).toEqual([expected]);
  });

  it('applies the Hashing bitsize and N-grams global parameters', async () => {
    const text = 'the quick brown fox jumps';
    const bits4 = await call('?api-version=2.0', table([[text]], { 'Hashing bitsize': 4 }));
    expect(bits4.json.Results.output1.value.ColumnNames).toHaveLength(17);
    expect(bits4.json.Results.output1.value.Values[0]).toEqual([text, ...featureHash(text, { bits: 4 }).map(String)]);
    const tri = await call('?api-version=2.0', table([[text]], { 'Hashing bitsize': '10', 'N-grams': '3' }));
    const features = tri.json.Results.output1.value.Values[0].slice(1).map(Number);
    expect(features).toEqual(featureHash(text, { bits: 10, ngrams: 3 }));
    expect(features.reduce((a: number, b: number) => a + b, 0)).toBe(5 + 4 + 3);
  });

  it('answers 401 ScoreRequestUnauthorized without a key or with a wrong one', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: KEY }, { authorization: `Bearer ${KEY}x` }];
    for (const headers of attempts) {
      const { status, json } = await call('?api-version=2.0', table([['a']]), headers);
      expect([status, json.error.code, json.error.details[0].code]).toEqual([401, 'Unauthorized', 'ScoreRequestUnauthorized']);
    }
  });

  it('answers 400 naming api-version when it is missing', async () => {
    const { status, json } = await call('', table([['a']]));
    expect([status, json.error.code, json.error.details[0].target]).toEqual([400, 'BadArgument', 'api-version']);
  });

  it('answers 400 RequestBodyInvalid to a body that is not JSON', async () => {
    const { status, json } = await call('?api-version=2.0', '{"Inputs": nope');
    expect([status, json.error.code, json.error.details[0].code]).toEqual([400, 'BadArgument', 'RequestBodyInvalid']);
  });

  it('answers 400 InvalidInputNames to an unknown input', async () => {
    const { status, json } = await call('?api-version=2.0', { Inputs: { input9: { ColumnNames: ['Col2'], Values: [['a']] } } });
    expect(status).toBe(400);
    expect(json.error.details).toContainEqual(expect.objectContaining({ code: 'InvalidInputNames', target: 'Inputs.input9' }));
  });

  it('answers 404 WebServiceNotFound to an unknown service', async () => {
    const path = '/workspaces/ref-workspace/services/no-such-service/execute';
    const { status, json } = await call('?api-version=2.0', table([['a']]), undefined, path);
    expect([status, json.error.code, json.error.details[0].code]).toEqual([404, 'NotFound', 'WebServiceNotFound']);
  });

  it('answers 413 RequestEntityTooLarge to a body over the limit', async () => {
    const { status, json } = await call('?api-version=2.0', table([['x'.repeat(MAX_BODY + 1)]]));
    expect([status, json.error.code, json.error.details[0].code]).toEqual([413, 'RequestEntityTooLarge', 'RequestBodyTooLarge']);
    // the service keeps serving afterwards
    expect((await call('?api-version=2.0', table([['a']]))).status).toBe(200);
  });

  it('exits 1 with a clear message when REFERENCE_API_KEY is missing', async () => {
    const bad = start({});
    let err = '';
    bad.child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    bad.url.catch(() => undefined);
    expect(await bad.exit).toBe(1);
    expect(err).toContain('REFERENCE_API_KEY');
  });
});
