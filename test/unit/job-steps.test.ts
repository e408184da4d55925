// The job state machine, one step at a time, with a fake backend and copier: every backend status maps
// explicitly, backend trouble backs off instead of failing the job, and limits end jobs with details.
import { describe, expect, it } from 'vitest';
import { advanceJob, backoffMs, type StepDeps } from '../../src/lib/jobs/job-steps.js';
import { classicStatus, type JobRecord, type JobState } from '../../src/lib/jobs/job-record.js';
import type { BackendJobStatus } from '../../src/lib/backends/port.js';
import { parseJobStatus } from '../../src/lib/backends/classic/wire.js';
import { GatewayError } from '../../src/lib/errors.js';
import type { Backend } from '../../src/lib/backends/port.js';
import type { CatalogueEntry } from '../../src/lib/catalogue/entry.js';
import type { OutputDestination } from '../../src/lib/blobs/facade-blobs.js';
import { DestinationRefused } from '../../src/lib/blobs/copy-result.js';
import { createSealer } from '../../src/lib/secrets/sealer.js';
import { sealContext } from '../../src/lib/jobs/submit-body.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const entry: CatalogueEntry = {
  workspace: 'ws', service: 'svc', products: [],
  backend: { kind: 'classic', baseUrl: 'http://127.0.0.1:1', workspace: 'b', service: 'b', apiKeySecretName: 'k' },
};

function job(state: JobState, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'a'.repeat(32), subscriptionId: 's', workspace: 'ws', service: 'svc', backendJobId: 'b1', state,
    createdAt: new Date(NOW - 60_000).toISOString(), startTime: new Date(NOW - 30_000).toISOString(), endTime: null,
    details: null, outputs: { output1: { kind: 'facade' } }, results: null,
    nextPollAt: NOW, lastPolledAt: 0, pollFailures: 0, leaseUntil: 0, leaseOwner: '', etag: 'e',
    ...extra,
  };
}

const sealer = createSealer(async () => 'unit-sealing-key');

function deps(status: BackendJobStatus | undefined | Error, extra: Partial<StepDeps> = {}) {
  const calls = { cancel: 0, status: 0, copies: [] as string[], destinations: [] as OutputDestination[] };
  const backend = {
    async status() { calls.status++; if (status instanceof Error) throw status; return status; },
    async cancel() { calls.cancel++; },
  } as unknown as Backend<never>;
  const d: StepDeps = {
    backends: () => backend,
    blobs: {
      async copyResult(jobId, name, destination) {
        calls.copies.push(name);
        calls.destinations.push(destination);
        return { relativeLocation: destination.kind === 'caller' ? `${destination.container}/${destination.blob}` : `results/${jobId}/${name}.csv`, bytes: 1, copied: true };
      },
    },
    sealer,
    catalogue: { get: async () => entry },
    now: () => NOW, pollIntervalMs: 5_000, maxRunMs: 3_600_000,
    ...extra,
  };
  return { d, calls };
}

describe('advanceJob from Running', () => {
  it.each([
    ['NotStarted', 'Running'],
    ['Running', 'Running'],
    ['Finished', 'Finished'],
    ['Failed', 'Failed'],
    ['Cancelled', 'Cancelled'],
  ] as const)('backend %s → facade %s', async (backendStatus, expected) => {
    const { d } = deps({ status: backendStatus, details: backendStatus === 'Failed' ? 'bad row 3' : null });
    const next = await advanceJob(job('Running'), d);
    expect(next.state).toBe(expected);
    if (expected === 'Running') expect(next.nextPollAt).toBe(NOW + 5_000);
    if (expected === 'Finished') expect(next.results).toEqual({ output1: `results/${'a'.repeat(32)}/output1.csv` });
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
    const { d, calls } = deps({ status: 'Running', details: null }, { maxRunMs: 10_000 });
    const next = await advanceJob(job('Running'), d);
    expect(next.state).toBe('Failed');
    expect(next.details).toMatch(/longer than the maximum/);
    expect(calls.cancel).toBe(1);
  });

  it('fails a job the backend no longer knows, or whose service left the catalogue', async () => {
    expect((await advanceJob(job('Running'), deps(undefined).d)).state).toBe('Failed');
    const gone = deps({ status: 'Running', details: null }, { catalogue: { get: async () => undefined } }).d;
    expect((await advanceJob(job('Running'), gone)).details).toMatch(/removed from the catalogue/);
  });
});

describe('advanceJob when the backend finished', () => {
  it('copies the outputs the facade asked for from staging, with no second status call, whatever the answer names', async () => {
    const { d, calls } = deps({ status: 'Finished', details: null });
    const next = await advanceJob(job('Running', { outputs: { output1: { kind: 'facade' }, scores: { kind: 'facade' } } }), d);
    expect(next.state).toBe('Finished');
    expect(calls.copies).toEqual(['output1', 'scores']);
    expect(calls.status).toBe(1);
  });

  it('copies a caller-named output to the caller\'s blob, opening the sealed connection string', async () => {
    const id = 'a'.repeat(32);
    const connection = 'BlobEndpoint=https://client1.blob.core.windows.net;SharedAccessSignature=sv=1&sig=x';
    const sealedConnection = await sealer.seal(connection, sealContext(id, 'output1'));
    const { d, calls } = deps({ status: 'Finished', details: null });
    const next = await advanceJob(job('Running', { outputs: { output1: { kind: 'caller', blobEndpoint: 'https://client1.blob.core.windows.net', container: 'out', blob: 'r.csv', sealedConnection } } }), d);
    expect(next.state).toBe('Finished');
    expect(next.results).toEqual({ output1: 'out/r.csv' });
    expect(calls.destinations[0]).toMatchObject({ kind: 'caller', container: 'out', blob: 'r.csv', connection: { blobHost: 'client1.blob.core.windows.net', credential: { kind: 'sas' } } });
  });

  it('fails the job, saying why, when the sealed credentials are not this output\'s', async () => {
    const sealedConnection = await sealer.seal('AccountName=client1;AccountKey=a2V5', sealContext('b'.repeat(32), 'output1'));
    const { d, calls } = deps({ status: 'Finished', details: null });
    const next = await advanceJob(job('Running', { outputs: { output1: { kind: 'caller', blobEndpoint: 'x', container: 'out', blob: 'r.csv', sealedConnection } } }), d);
    expect([next.state, calls.copies.length]).toEqual(['Failed', 0]);
    expect(next.details).toMatch(/could not be opened/);
  });

  it('when the copy cannot finish, says Copying and backs off instead of failing the job', async () => {
    const { d } = deps({ status: 'Finished', details: null }, {
      blobs: { async copyResult() { throw new GatewayError('StorageUnavailable', 'storage down'); } },
    });
    const next = await advanceJob(job('Running'), d);
    expect(next.state).toBe('Copying');
    expect(next.pollFailures).toBe(1);
    expect(next.nextPollAt).toBe(NOW + backoffMs(1));
  });

  it('fails the job with the reason when the output location refuses the write for good', async () => {
    const { d } = deps({ status: 'Finished', details: null }, {
      blobs: { async copyResult() { throw new DestinationRefused('the output location refused the write: 404 ContainerNotFound'); } },
    });
    const next = await advanceJob(job('Running'), d);
    expect(next.state).toBe('Failed');
    expect(next.details).toMatch(/ContainerNotFound/);
  });

  it('fails a job recorded without its outputs (an older version\'s record) instead of guessing', async () => {
    const { d, calls } = deps({ status: 'Finished', details: null });
    const next = await advanceJob(job('Running', { outputs: {} }), d);
    expect([next.state, calls.copies.length]).toEqual(['Failed', 0]);
    expect(next.details).toMatch(/submit it again/);
  });
});

describe('advanceJob from Copying', () => {
  it('copies every output and finishes with the results map, without asking the backend again', async () => {
    const { d, calls } = deps({ status: 'Running', details: null });
    const next = await advanceJob(job('Copying', { outputs: { output1: { kind: 'facade' }, output2: { kind: 'facade' } } }), d);
    expect(next.state).toBe('Finished');
    expect(calls.copies).toEqual(['output1', 'output2']);
    expect(calls.status).toBe(0);
    expect(next.results).toEqual({ output1: `results/${'a'.repeat(32)}/output1.csv`, output2: `results/${'a'.repeat(32)}/output2.csv` });
  });

  it('fails, saying so, when the results could not be copied within the run time', async () => {
    const { d, calls } = deps({ status: 'Finished', details: null }, { maxRunMs: 10_000 });
    const next = await advanceJob(job('Copying'), d);
    expect([next.state, calls.copies.length]).toEqual(['Failed', 0]);
    expect(next.details).toMatch(/could not be copied within the maximum run time/);
  });

  it('leaves terminal and not-started jobs as they are', async () => {
    for (const state of ['NotStarted', 'Finished', 'Failed', 'Cancelled'] as const) {
      const { d } = deps({ status: 'Running', details: null });
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
