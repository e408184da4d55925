// Real classic clients in Python, unchanged but for host and key, against the real stack: the Azure ML Studio
// (classic) client library from PyPI ("azureml") scoring and raising its own exceptions for classic errors, and a
// BES client written as the classic samples were (its own storage, ConnectionString + RelativeLocation, the
// result read from the blob it named). They run in the virtual environment .ci/run makes (.venv, from
// test/clients/python/requirements.txt); without it these tests fail under CI and are skipped, loudly, elsewhere.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { csvOf, expectedRows, parseCsv, sampleTexts } from './helpers/bes.js';
import { findProjectRoot } from '../../src/local/stack/project.js';
import { featureHash } from '../../src/reference/feature-hashing.js';

const root = findProjectRoot();
const python = process.env.CLASSIC_CLIENTS_PYTHON ?? path.join(root, '.venv', 'bin', 'python');
const clients = path.join(root, 'test', 'clients', 'python');
const run = promisify(execFile);

async function pythonReady(): Promise<string | undefined> {
  if (!existsSync(python)) return `no Python at ${python}`;
  try {
    await run(python, ['-c', 'import azureml.services, azure.storage.blob'], { timeout: 60_000 });
    return undefined;
  } catch (error) {
    return `the classic client packages are not installed in ${python}: ${(error as Error).message.split('\n')[0]}`;
  }
}

const missing = await pythonReady();
if (missing) {
  const line = `[classic-python-clients] SKIPPED: ${missing}. Run: python3 -m venv .venv && .venv/bin/pip install -r test/clients/python/requirements.txt`;
  if (process.env.CI === 'true') throw new Error(line);
  console.warn(line);
}

async function runClient(script: string, args: string[]): Promise<any> {
  const { stdout } = await run(python, [path.join(clients, script), ...args], { timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe.skipIf(Boolean(missing))('classic Python clients', () => {
  const stack = useStack({ facadeEnv: { MAX_REQUEST_BYTES: '65536', BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1' } });
  const service = () => `${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/${stack().demo.service}`;

  async function manage(method: 'POST' | 'PUT', route: string, body: unknown): Promise<any> {
    const res = await request(`${stack().facadeUrl}/manage/${route}`, { method, headers: { 'x-admin-key': stack().adminKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.body.json();
  }

  it('the azureml client library scores through the facade and raises its own exceptions for 400, 401, 403, 404, 413 and 429', async () => {
    await manage('PUT', 'products/py-bes-only', { name: 'BES only', operations: ['bes'] });
    await manage('PUT', 'products/py-one-call', { name: 'One call a day', rateLimit: { calls: 1, renewalPeriod: 86_400 } });
    const besOnly = (await manage('POST', 'subscriptions', { name: 'py-bes-only', productId: 'py-bes-only' })).primaryKey;
    const oneCall = (await manage('POST', 'subscriptions', { name: 'py-one-call', productId: 'py-one-call' })).primaryKey;
    const key = stack().demo.subscriptionKey;
    const execute = `${service()}/execute?api-version=2.0&details=true`;
    const cases = [
      { name: 'score', url: execute, key, text: 'This is a good day' },
      { name: 'oneCallFirst', url: execute, key: oneCall, text: 'first' },
      { name: '400', url: `${service()}/execute`, key, text: 'x' },
      { name: '401', url: execute, key: 'not-a-key', text: 'x' },
      { name: '403', url: execute, key: besOnly, text: 'x' },
      { name: '404', url: `${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/nope/execute?api-version=2.0`, key, text: 'x' },
      { name: '413', url: execute, key, text: 'x'.repeat(70_000) },
      { name: '429', url: execute, key: oneCall, text: 'second' },
    ];
    const got = await runClient('classic_rrs.py', [JSON.stringify(cases)]);

    const expected: Record<string, unknown> = Object.fromEntries(['Col2', ...featureHash('This is a good day').map((_, i) => `Col2_HashingFeature.${i}`)].map((c, i) => [c, i === 0 ? 'This is a good day' : featureHash('This is a good day')[i - 1]]));
    expect(got.score).toEqual({ ok: expected }); // values decoded by the library from ColumnTypes (Int32 → int)
    expect(got.oneCallFirst.ok).toBeTruthy();
    // Unauthorized: the library raises RuntimeError with details[0].message (a KeyError when details were missing).
    expect(got['401']).toEqual({ raised: 'RuntimeError', message: 'Access denied: the subscription key is not valid.' });
    // Every other classic error: its ValueError, carrying the classic body.
    for (const [name, klass, code] of [['400', 'BadArgument', 'InvalidQueryParameter'], ['403', 'Forbidden', 'OperationNotAllowed'], ['404', 'NotFound', 'WebServiceNotFound'], ['413', 'RequestEntityTooLarge', 'RequestBodyTooLarge'], ['429', 'TooManyRequests', 'RateLimitExceeded']] as const) {
      expect({ name, raised: got[name].raised }).toEqual({ name, raised: 'ValueError' });
      expect(got[name].message).toContain(`'code': '${klass}'`);
      expect(got[name].message).toContain(`'code': '${code}'`);
    }
  });

  it('a classic BES client puts its input in its own container, submits, starts, polls and reads every row scored from the output blob it named', async () => {
    const texts = sampleTexts(500);
    const dir = mkdtempSync(path.join(tmpdir(), 'classic-bes-'));
    const input = path.join(dir, 'input.csv');
    writeFileSync(input, csvOf(texts));
    const got = await runClient('classic_bes.py', [service(), stack().demo.subscriptionKey, stack().demo.clientStorageConnectionString, 'classic-python', input]);
    expect(got.status).toBe('Finished');
    expect(got.details).toBeNull();
    expect(parseCsv(got.result).slice(1)).toEqual(expectedRows(texts));
    expect(got.statusLocation).toMatch(/\/clientstore1\/classic-python\/output\/output1results\.csv$/);
    expect(got.statusHasConnectionString).toBe(false);
  });
});
