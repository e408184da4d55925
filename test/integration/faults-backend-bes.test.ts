// BES through the real facade against a chaos backend: a faulty submit/start/cancel is a clear 502/504, made once
// (not idempotent: the caller decides to retry) and leaves no half-made job; status polling is retried by the
// poller with backoff, through every kind of fault, and the job then finishes with its whole result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { csvOf, expectedRows, jobsApi, parseCsv, sampleTexts } from './helpers/bes.js';
import { startChaosBackend, type ChaosBackend } from './helpers/chaos-backend.js';
import type { Fault } from './helpers/chaos-faults.js';
import { expectClassicError, printFigures, registerService } from './helpers/faults.js';
import { inProcessPoller, resultCsv } from './helpers/fault-jobs.js';
import { pollDueJobs } from '../../src/lib/jobs/poller.js';
import { backoffMs } from '../../src/lib/jobs/job-steps.js';

const TIMEOUT_MS = 1_500;
const stack = useStack({ facadeEnv: { BES_POLL_SCHEDULE: '0 0 0 1 1 *', BES_STATUS_REFRESH_SECONDS: '3600', BES_BACKEND_TIMEOUT_MS: String(TIMEOUT_MS) } });
const api = jobsApi(stack, () => stack().demo.subscriptionKey, 'chaos-bes');
const texts = sampleTexts(500);
let chaos: ChaosBackend;
let input = '';
let completed = 0;

beforeAll(async () => {
  chaos = await startChaosBackend(stack().backend.apiKey);
  await registerService(stack(), 'chaos-bes', chaos.url, TIMEOUT_MS);
  input = (await api.upload(csvOf(texts))).json.RelativeLocation;
});

afterAll(async () => {
  printFigures('backend-bes', { faultsInjected: chaos.faultsInjected, requestsServed: chaos.served, jobsCompleted: completed, jobsLost: 0 });
  await chaos?.close();
});

const submitBody = () => ({ Inputs: { input1: { RelativeLocation: input } }, GlobalParameters: {} });

async function newRunningJob(): Promise<string> {
  const id = (await api.submit(submitBody())).json as string;
  expect((await api.start(id)).status).toBe(200);
  return id;
}

describe('BES control calls under backend faults', () => {
  const cases: [Fault, number, string][] = [
    ['error500', 502, 'BackendError'], ['error503', 502, 'BackendError'], ['html404', 502, 'BackendError'],
    ['garbage', 502, 'BackendInvalidResponse'], ['wrongShape', 502, 'BackendInvalidResponse'], ['truncatedJson', 502, 'BackendInvalidResponse'],
    ['resetOnRequest', 502, 'BackendUnreachable'], ['resetMidResponse', 502, 'BackendUnreachable'],
    ['hang', 504, 'BackendScoreTimeout'], ['trickle', 504, 'BackendScoreTimeout'],
  ];
  it.each(cases)('submit meeting %s → %i %s, one backend request, no job left behind', async (fault, status, code) => {
    const before = chaos.served.submit;
    chaos.plan('submit', fault);
    const started = performance.now();
    const answer = await api.submit(submitBody());
    const ms = performance.now() - started;
    expectClassicError({ ...answer, ms }, status, code);
    if (status === 504) expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(status === 504 ? TIMEOUT_MS + 1_500 : TIMEOUT_MS); // at once, or at the timeout + a margin
    expect(chaos.served.submit - before).toBe(1);
    expect((await api.list()).json).toEqual([]);
  });

  it('a failed start leaves the job NotStarted; the caller\'s second start runs it', async () => {
    const id = (await api.submit(submitBody())).json as string;
    chaos.plan('start', 'error500');
    expectClassicError({ ...(await api.start(id)), ms: 0 }, 502, 'BackendError');
    expect((await api.status(id)).json.StatusCode).toBe('NotStarted');
    expect((await api.start(id)).status).toBe(200);
    expect((await api.status(id)).json.StatusCode).toBe('Running');
    expect((await api.cancel(id)).status).toBe(200); // out of the poller's way below
  });

  it('a cancel meeting a hang is a 504 and changes nothing; cancelling again works', async () => {
    const id = await newRunningJob();
    chaos.plan('cancel', 'hang');
    expectClassicError({ ...(await api.cancel(id)), ms: 0 }, 504, 'BackendScoreTimeout');
    expect((await api.status(id)).json.StatusCode).toBe('Running');
    expect((await api.cancel(id)).status).toBe(200);
    expect((await api.status(id)).json.StatusCode).toBe('Cancelled');
  });
});

describe('status polling under backend faults', () => {
  it('retries with backoff through every fault, keeps the job Running, then finishes it with the whole result', async () => {
    const id = await newRunningJob();
    const deps = inProcessPoller(stack(), 'poller-under-faults');
    const faults: Fault[] = ['wrongShape', 'error500', 'garbage', 'truncatedJson', 'resetMidResponse', 'hang', 'html404', 'resetOnRequest', 'unauthorized'];
    const record = async () => (await deps.store.get(id))!;
    for (const [i, fault] of faults.entries()) {
      const at = Math.max(Date.now(), (await record()).nextPollAt) + 1;
      const backendJobId = (await record()).backendJobId;
      chaos.plan(`status:${backendJobId}`, fault, ...(fault === 'unauthorized' ? ['unauthorized' as Fault] : []));
      const before = chaos.served.status;
      const summary = await pollDueJobs({ ...deps, now: () => at }, { concurrency: 4, batch: 100 });
      expect(summary).toMatchObject({ due: 1, advanced: 1, errors: 0 });
      const job = await record();
      expect({ fault, state: job.state, failures: job.pollFailures }).toEqual({ fault, state: 'Running', failures: i + 1 });
      expect(job.nextPollAt).toBe(at + backoffMs(i + 1));
      expect(chaos.served.status - before).toBe(fault === 'unauthorized' ? 2 : 1); // one attempt per tick (a 401: one refresh)
      expect((await api.status(id)).json.StatusCode).toBe('Running');
    }
    await chaos.finish((await record()).backendJobId, resultCsv(texts));
    const at = (await record()).nextPollAt + 1;
    expect(await pollDueJobs({ ...deps, now: () => at }, { concurrency: 4, batch: 100 })).toMatchObject({ advanced: 1, errors: 0 });
    const done = await api.status(id);
    expect(done.json.StatusCode).toBe('Finished');
    expect((await record()).pollFailures).toBe(0);
    expect(parseCsv((await api.download(id)).text).slice(1)).toEqual(expectedRows(texts));
    completed++;
  });
});
