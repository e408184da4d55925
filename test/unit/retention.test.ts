// Retention, as a unit: jobs that ended before the cutoff go, blobs first, each record with its ETag (a record
// changed meanwhile, or purged by another instance, is not counted twice); nothing newer is touched.
import { describe, expect, it } from 'vitest';
import { purgeEndedJobs } from '../../src/lib/jobs/retention.js';
import type { JobRecord } from '../../src/lib/jobs/job-record.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const job = (id: string, endedDaysAgo: number): JobRecord => ({
  id, subscriptionId: 's', workspace: 'w', service: 'v', backendJobId: 'b', state: 'Finished',
  createdAt: new Date(NOW - (endedDaysAgo + 1) * DAY).toISOString(), startTime: null, endTime: new Date(NOW - endedDaysAgo * DAY).toISOString(),
  details: null, outputs: { output1: { kind: 'facade' } }, results: null, nextPollAt: 0, lastPolledAt: 0, pollFailures: 0, leaseUntil: 0, leaseOwner: '', etag: `e-${id}`,
});

describe('purgeEndedJobs', () => {
  it('removes what ended before the cutoff, blobs before records, and counts only what it removed', async () => {
    const jobs = [job('a', 40), job('b', 31), job('c', 29), job('gone', 50)];
    const order: string[] = [];
    const result = await purgeEndedJobs({
      now: () => NOW,
      retentionMs: 30 * DAY,
      store: {
        listEndedBefore: async (cutoff) => jobs.filter((j) => j.endTime! < cutoff),
        delete: async (j) => (order.push(`record ${j.id}`), j.id !== 'gone'),
      },
      blobs: { deleteJobBlobs: async (id) => (order.push(`blobs ${id}`), 2) },
    });
    expect(result).toEqual({ jobs: 2, blobs: 6 });
    expect(order).toEqual(['blobs a', 'record a', 'blobs b', 'record b', 'blobs gone', 'record gone']);
  });
});
