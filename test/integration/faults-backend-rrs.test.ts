// RRS through the real facade against a chaos backend: every backend fault becomes a clear classic 502/504 within
// the backend timeout (plus a small margin), nothing is retried but the one key refresh after a 401, and a 4xx
// verdict of the backend about the caller's request still passes through as the backend sent it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { startChaosBackend, type ChaosBackend } from './helpers/chaos-backend.js';
import type { Fault } from './helpers/chaos-faults.js';
import { expectClassicError, printFigures, registerService, rrs, setVaultSecret } from './helpers/faults.js';
import { waitFor } from './helpers/wait.js';
import { featureHash } from '../../src/reference/feature-hashing.js';

const TIMEOUT_MS = 1_500;
const MARGIN_MS = 1_500;
const stack = useStack();
let chaos: ChaosBackend;
let rotating: ChaosBackend;
let warmedAt = 0;
const rows: Record<string, unknown>[] = [];

beforeAll(async () => {
  chaos = await startChaosBackend(stack().backend.apiKey);
  rotating = await startChaosBackend('rotating-key-v1');
  await registerService(stack(), 'chaos', chaos.url, TIMEOUT_MS);
  await setVaultSecret(stack().keyVault, 'chaos-rotating-key', 'rotating-key-v1');
  await registerService(stack(), 'chaos-rotating', rotating.url, TIMEOUT_MS, 'chaos-rotating-key');
  expect((await rrs(stack(), 'chaos-rotating')).status).toBe(200); // the facade now caches key v1
  warmedAt = Date.now();
});

afterAll(async () => {
  printFigures('backend-rrs', {
    faultsInjected: chaos.faultsInjected + rotating.faultsInjected,
    requestsServed: chaos.served.rrs + rotating.served.rrs,
    cases: rows,
  });
  await Promise.all([chaos?.close(), rotating?.close()]);
});

/** Calls the chaos service once with `fault` planned; returns the answer and how many requests the backend saw. */
async function withFault(fault: Fault) {
  const before = chaos.served.rrs;
  chaos.plan('rrs', fault);
  const answer = await rrs(stack(), 'chaos');
  const backendRequests = chaos.served.rrs - before;
  rows.push({ fault, status: answer.status, code: answer.json?.error?.code, ms: Math.round(answer.ms), backendRequests });
  return { answer, backendRequests };
}

describe('RRS: backend faults become clear errors, never retried', () => {
  it('a healthy chaos backend scores like the reference', async () => {
    const answer = await rrs(stack(), 'chaos');
    expect(answer.status).toBe(200);
    expect(answer.json.Results.output1.value.Values[0]).toEqual(['This is a good day', ...featureHash('This is a good day').map(String)]);
  });

  const quick: [Fault, number, string][] = [
    ['error500', 502, 'BackendError'],
    ['error500Plain', 502, 'BackendError'],
    ['error503', 502, 'BackendError'],
    ['html404', 502, 'BackendError'],
    ['garbage', 502, 'BackendInvalidResponse'],
    ['truncatedJson', 502, 'BackendInvalidResponse'],
    ['resetOnRequest', 502, 'BackendUnreachable'],
    ['resetMidResponse', 502, 'BackendUnreachable'],
  ];
  it.each(quick)('%s → %i %s at once, one backend request', async (fault, status, code) => {
    const { answer, backendRequests } = await withFault(fault);
    expectClassicError(answer, status, code);
    expect(answer.ms).toBeLessThan(TIMEOUT_MS);
    expect(backendRequests).toBe(1);
    expect(answer.text).not.toContain('<html');
  });

  it('a classic 500 keeps the backend\'s own code as a detail', async () => {
    const { answer } = await withFault('error500');
    expect(answer.json.error.details).toEqual([
      { code: 'BackendError', message: 'The backend web service failed (HTTP 500).' },
      { code: 'InternalError', target: 'backend', message: 'Execution encountered an internal error.' },
    ]);
  });

  it.each(['hang', 'trickle'] as Fault[])('%s → 504 BackendScoreTimeout within the timeout + a small margin', async (fault) => {
    const { answer, backendRequests } = await withFault(fault);
    expectClassicError(answer, 504, 'BackendScoreTimeout');
    expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(answer.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect(backendRequests).toBe(1);
  });

  it('401 then OK → one Key Vault refresh, one retry, 200; 401 twice → 502 BackendUnauthorized', async () => {
    const once = await withFault('unauthorized');
    expect(once.answer.status).toBe(200);
    expect(once.backendRequests).toBe(2);
    chaos.plan('rrs', 'unauthorized'); // the retry meets a 401 too
    const twice = await withFault('unauthorized');
    expectClassicError(twice.answer, 502, 'BackendUnauthorized');
    expect(twice.backendRequests).toBe(2);
  });

  it('the backend\'s classic 400 about the caller\'s input passes through unchanged', async () => {
    const before = chaos.served.rrs;
    const answer = await rrs(stack(), 'chaos', undefined, { Inputs: { input1: { ColumnNames: ['Nope'], Values: [['x']] } }, GlobalParameters: {} });
    expectClassicError(answer, 400, 'BadArgument');
    expect(chaos.served.rrs - before).toBe(1);
  });

  it('a rotated backend key: 401, one Key Vault refresh, the retry succeeds (two backend requests)', async () => {
    await waitFor('the secret cache\'s minimum refresh interval (1 s) to pass', () => (Date.now() - warmedAt > 1_100 ? true : undefined), 3_000);
    rotating.apiKey = 'rotating-key-v2';
    await setVaultSecret(stack().keyVault, 'chaos-rotating-key', 'rotating-key-v2');
    const before = rotating.served.rrs;
    const answer = await rrs(stack(), 'chaos-rotating');
    expect(answer.status).toBe(200);
    expect(rotating.served.rrs - before).toBe(2);
    rows.push({ fault: 'rotated key', status: answer.status, ms: Math.round(answer.ms), backendRequests: 2 });
  });

  it('after all of that the facade still serves the demo service', async () => {
    expect((await rrs(stack())).status).toBe(200);
    expect((await rrs(stack(), 'chaos')).status).toBe(200);
  });
});
