// The job state machine, one step at a time, with a fake backend and copier: every backend status maps
// explicitly, backend trouble backs off instead of failing the job, and limits end jobs with details.
import { describe, expect, it } from 'vitest';
import { advanceJob, backoffMs, type StepDeps } from '../../src/lib/jobs/job-steps.js';
import { classicStatus, type JobRecord, type JobState } from '../../src/lib/jobs/job-record.js';
import type { BackendJobStatus } from '../../src/lib/backends/classic-wire.js';
import { parseJobStatus } from '../../src/lib/backends/classic-wire.js';
import { GatewayError } from '../../src/lib/errors.js';
import type { BackendJobs } from '../../src/lib/jobs/backend-jobs.js';
import type { CatalogueEntry } from '../../src/lib/contracts/catalogue.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const entry: CatalogueEntry = {
  workspace: 'ws', service: 'svc', products: [],
  backend: { kind: 'classic', baseUrl: 'http://127.0.0.1:1', workspace: 'b', service: 'b', apiKeySecretName: 'k' },
};

function job(state: JobState, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'a'.repeat(32), subscriptionId: 's', workspace: 'ws', service: 'svc', backendJobId: 'b1', state,
    createdAt: new Date(NOW - 60_000).toISOString(), startTime: new Date(NOW - 30_000).toISOString(), endTime: null,
    details: null, results: null, nextPollAt: NOW, lastPolledAt: 0, pollFailures: 0, leaseUntil: 0, leaseOwner: '', etag: 'e',
    ...extra,
  };
}

function deps(status: BackendJobStatus | undefined | Error, extra: Partial<StepDeps> = {}) {
  const calls = { cancel: 0, copies: [] as string[] };
  const backend = {
    async status() { if (status instanceof Error) throw status; return status; },
    async cancel() { calls.cancel++; },
  } as unknown as BackendJobs;
  const d: StepDeps = {
    backend,
    blobs: { async copyResult(jobId, name) { calls.copies.push(name); return { relativeLocation: `results/${jobId}/${name}.csv`, bytes: 1, copied: true }; } },
    catalogue: { get: async () => entry },
    now: () => NOW, pollIntervalMs: 5_000, maxRunMs: 3_600_000,
    ...extra,
  };
  return { d, calls };
}

const output = { baseLocation: 'http://x/', relativeLocation: 'c/o.csv', sasBlobToken: '?sig=1', connectionString: null };

describe('advanceJob from Running', () => {
  it.each([
    ['NotStarted', 'Running'],
    ['Running', 'Running'],
    ['Finished', 'Finished'],
    ['Failed', 'Failed'],
    ['Cancelled', 'Cancelled'],
  ] as const)('backend %s → facade %s', async (backendStatus, expected) => {
    const { d } = deps({ status: backendStatus, outputs: {}, details: backendStatus === 'Failed' ? 'bad row 3' : null });
    const next = await advanceJob(job('Running'), d);
    expect(next.state).toBe(expected);
    if (expected === 'Running') expect(next.nextPollAt).toBe(NOW + 5_000);
    if (expected === 'Finished') expect(next.results).toEqual({});
    if (expected === 'Failed') {
      expect(next.details).toBe('bad row 3');
      expect(next.endTime).toBe(new Date(NOW).toISOString());
    }
  });

  it('backs off, keeping the job, while the backend is unreachable', async () => {
    const { d } = deps(new GatewayError('BackendUnreachable', 'down'));
    const first = await advanceJob(job('Running'), d);
    expect(first.state).toBe('Running');
    expect(first.pollFailures).toBe(1);
    expect(first.nextPollAt).toBe(NOW + backoffMs(1));
    const third = await advanceJob({ ...first, pollFailures: 2 }, d);
    expect(third.nextPollAt - NOW).toBe(backoffMs(3));
    expect(backoffMs(3)).toBeGreaterThan(backoffMs(1));
    expect(backoffMs(100)).toBe(300_000);
  });

  it('lets other errors (bugs) surface instead of hiding them as backoff', async () => {
    const { d } = deps(new TypeError('bug'));
    await expect(advanceJob(job('Running'), d)).rejects.toThrow('bug');
  });

  it('fails a job past the maximum run time, cancelling it on the backend', async () => {
    const { d, calls } = deps({ status: 'Running', outputs: {}, details: null }, { maxRunMs: 10_000 });
    const next = await advanceJob(job('Running'), d);
    expect(next.state).toBe('Failed');
    expect(next.details).toMatch(/longer than the maximum/);
    expect(calls.cancel).toBe(1);
  });

  it('fails a job the backend no longer knows, or whose service left the catalogue', async () => {
    expect((await advanceJob(job('Running'), deps(undefined).d)).state).toBe('Failed');
    const gone = deps({ status: 'Running', outputs: {}, details: null }, { catalogue: { get: async () => undefined } }).d;
    expect((await advanceJob(job('Running'), gone)).details).toMatch(/removed from the catalogue/);
  });
});

describe('advanceJob when the backend finished', () => {
  it('copies the outputs named by the same status answer, with no second status call', async () => {
    let statusCalls = 0;
    const { d, calls } = deps({ status: 'Finished', outputs: { output1: output }, details: null });
    const counted = { ...d, backend: { ...d.backend, status: async () => { statusCalls++; return { status: 'Finished' as const, outputs: { output1: output }, details: null }; } } as unknown as BackendJobs };
    const next = await advanceJob(job('Running'), counted);
    expect(next.state).toBe('Finished');
    expect(calls.copies).toEqual(['output1']);
    expect(statusCalls).toBe(1);
  });

  it('when the copy cannot finish, says Copying and backs off instead of failing the job', async () => {
    const { d } = deps({ status: 'Finished', outputs: { output1: output }, details: null }, {
      blobs: { async copyResult() { throw new GatewayError('StorageUnavailable', 'storage down'); } },
    });
    const next = await advanceJob(job('Running'), d);
    expect(next.state).toBe('Copying');
    expect(next.pollFailures).toBe(1);
    expect(next.nextPollAt).toBe(NOW + backoffMs(1));
  });
});

describe('advanceJob from Copying', () => {
  it('copies every output and finishes with the results map', async () => {
    const { d, calls } = deps({ status: 'Finished', outputs: { output1: output, output2: output }, details: null });
    const next = await advanceJob(job('Copying'), d);
    expect(next.state).toBe('Finished');
    expect(calls.copies).toEqual(['output1', 'output2']);
    expect(next.results).toEqual({ output1: `results/${'a'.repeat(32)}/output1.csv`, output2: `results/${'a'.repeat(32)}/output2.csv` });
  });

  it('fails when the backend lost the results', async () => {
    const { d } = deps({ status: 'Running', outputs: {}, details: null });
    expect((await advanceJob(job('Copying'), d)).state).toBe('Failed');
  });

  it('leaves terminal and not-started jobs as they are', async () => {
    for (const state of ['NotStarted', 'Finished', 'Failed', 'Cancelled'] as const) {
      const { d } = deps({ status: 'Running', outputs: {}, details: null });
      expect((await advanceJob(job(state), d)).state).toBe(state);
    }
  });
});

describe('the classic wire format', () => {
  it('maps the numeric status codes of older services and the facade states to classic ones', () => {
    expect([0, 1, 2, 3, 4].map((n) => parseJobStatus({ StatusCode: n })?.status)).toEqual(['NotStarted', 'Running', 'Failed', 'Cancelled', 'Finished']);
    expect(parseJobStatus({ StatusCode: '4' })?.status).toBe('Finished');
    expect(parseJobStatus({ StatusCode: 'Exploded' })).toBeUndefined();
    expect(classicStatus('Copying')).toBe('Running');
  });
});
