// The poller's promises under faults, against the real stack (Azurite, reference backend) with the facade's own
// timer off: pollers run here in-process, as instances would. A poller killed between copying the results and
// saving the record is finished by the next run without a second copy; two pollers at once copy once.
import { BlobServiceClient } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { csvOf, expectedRows, jobsApi, parseCsv, sampleTexts } from './helpers/bes.js';
import { inProcessPoller } from './helpers/fault-jobs.js';
import { waitFor } from './helpers/wait.js';
import { FacadeBlobs } from '../../src/lib/blobs/facade-blobs.js';
import { claimAndAdvance, pollDueJobs, type PollerDeps } from '../../src/lib/jobs/poller.js';
import type { ResultCopier } from '../../src/lib/jobs/job-steps.js';

const stack = useStack({ facadeEnv: { BES_POLL_SCHEDULE: '0 0 0 1 1 *', BES_STATUS_REFRESH_SECONDS: '3600' } });
const api = jobsApi(stack, () => stack().demo.subscriptionKey);

let copies = 0;
function pollerDeps(owner: string, overrides: Partial<PollerDeps> = {}): PollerDeps {
  const blobs = new FacadeBlobs({ storage: stack().storageConnectionString });
  const counting: ResultCopier = {
    async copyResult(jobId, output, destination) {
      const result = await blobs.copyResult(jobId, output, destination);
      if (result.copied) copies++;
      return result;
    },
  };
  return inProcessPoller(stack(), owner, { blobs: counting, ...overrides }, 5_000);
}

/** Submits and starts a job through the facade, then waits until the backend itself says Finished. */
async function startedJobFinishedOnBackend(texts: string[]): Promise<string> {
  const uploaded = await api.upload(csvOf(texts));
  const id = (await api.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } } })).json as string;
  expect((await api.start(id)).status).toBe(200);
  const deps = pollerDeps('observer');
  const record = (await deps.store.get(id))!;
  const entry = (await deps.catalogue.get(record.workspace, record.service))!;
  await waitFor('the backend to finish the job', async () => ((await deps.backends(entry).status(entry, record.backendJobId))?.status === 'Finished' ? true : undefined), 20_000, 100);
  return id;
}

async function resultBlobs(id: string): Promise<string[]> {
  const container = BlobServiceClient.fromConnectionString(stack().storageConnectionString).getContainerClient('results');
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat({ prefix: `${id}/` })) names.push(blob.name);
  return names;
}

describe('poller crash safety', () => {
  it('a poller killed between copy and record update: the rerun finishes the job without copying again', async () => {
    copies = 0;
    const texts = sampleTexts(400);
    const id = await startedJobFinishedOnBackend(texts);
    const killed = pollerDeps('poller-a', { afterCopy: async () => { throw new Error('killed after copy'); } });
    await expect(claimAndAdvance((await killed.store.get(id))!, killed)).rejects.toThrow('killed after copy');
    expect(copies).toBe(1);
    expect((await killed.store.get(id))!.state).toBe('Running'); // the record never said Finished

    // Another instance at once: the dead poller's lease still holds, so it keeps off.
    const other = pollerDeps('poller-b', { now: () => Date.now() + 10_000 }); // the job is due, the lease (60 s) still holds
    expect(await pollDueJobs(other, { concurrency: 4, batch: 100 })).toMatchObject({ advanced: 0, skipped: 1 });
    // After the lease expires, it takes the job over and finishes it.
    const later = pollerDeps('poller-b', { now: () => Date.now() + 61_000 });
    expect(await pollDueJobs(later, { concurrency: 4, batch: 100 })).toMatchObject({ advanced: 1, errors: 0 });
    const job = (await later.store.get(id))!;
    expect(job.state).toBe('Finished');
    expect(copies).toBe(1);
    expect(await resultBlobs(id)).toEqual([`${id}/output1.csv`]);
    const download = await api.download(id);
    expect(parseCsv(download.text).slice(1)).toEqual(expectedRows(texts));
  });

  it('two pollers at once: one copy, one finished job', async () => {
    copies = 0;
    const id = await startedJobFinishedOnBackend(sampleTexts(300));
    // A little later than now, so the job's next poll (set when it started) is due for both.
    const soon = () => Date.now() + 10_000;
    const [a, b] = await Promise.all([
      pollDueJobs(pollerDeps('poller-a', { now: soon }), { concurrency: 4, batch: 100 }),
      pollDueJobs(pollerDeps('poller-b', { now: soon }), { concurrency: 4, batch: 100 }),
    ]);
    expect(a.errors + b.errors).toBe(0);
    expect(a.advanced + b.advanced).toBe(1);
    expect(copies).toBe(1);
    expect((await pollerDeps('x').store.get(id))!.state).toBe('Finished');
    expect(await resultBlobs(id)).toEqual([`${id}/output1.csv`]);
  });
});
