// The exact open-job limit, as a unit over a fake Table with ETags: a job joins only below the limit, concurrent
// joins never pass it, an ended job leaves, and a listed job whose leaving was lost is dropped when the list is full,
// but a job listed a moment ago whose record is not written yet (its submit in flight) is not.
import type { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { OpenJobs } from '../../src/lib/jobs/open-jobs.js';

function fakeTable() {
  const rows = new Map<string, { jobs: string; etag: string }>();
  let version = 0;
  const table = {
    async getEntity(_pk: string, rk: string) {
      await Promise.resolve();
      const row = rows.get(rk);
      if (!row) throw Object.assign(new Error('not found'), { statusCode: 404 });
      return { ...row };
    },
    async createEntity(e: { rowKey: string; jobs: string }) {
      await Promise.resolve();
      if (rows.has(e.rowKey)) throw Object.assign(new Error('conflict'), { statusCode: 409 });
      rows.set(e.rowKey, { jobs: e.jobs, etag: String(++version) });
    },
    async updateEntity(e: { rowKey: string; jobs: string }, _mode: string, options: { etag: string }) {
      await Promise.resolve();
      if (rows.get(e.rowKey)?.etag !== options.etag) throw Object.assign(new Error('precondition'), { statusCode: 412 });
      rows.set(e.rowKey, { jobs: e.jobs, etag: String(++version) });
    },
  };
  return table as unknown as TableClient;
}

describe('OpenJobs', () => {
  it('admits exactly the limit out of many concurrent reservations, and one more after one leaves', async () => {
    const records = new Map<string, boolean>();
    const table = fakeTable();
    const open = new OpenJobs(async () => table, { isOpen: async (id) => records.get(id) });
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => open.reserve('sub', `job${i}`, 4)));
    const admitted = outcomes.filter((o) => o.admitted);
    expect(admitted).toHaveLength(4);
    expect((await open.reserve('sub', 'late', 4)).admitted).toBe(false);
    const first = outcomes.findIndex((o) => o.admitted);
    await open.release('sub', `job${first}`);
    await open.release('sub', `job${first}`); // twice: no harm
    expect((await open.reserve('sub', 'late', 4)).admitted).toBe(true);
  });

  it('when full, drops ended jobs and long-missing records, keeping just-reserved ones whose record is not written yet', async () => {
    let now = 0;
    const records = new Map<string, boolean>();
    const table = fakeTable();
    const open = new OpenJobs(async () => table, { isOpen: async (id) => records.get(id), now: () => now });
    for (const id of ['ended', 'running', 'inflight']) expect((await open.reserve('sub', id, 3)).admitted).toBe(true);
    records.set('ended', false);
    records.set('running', true);
    // 'inflight' has no record: counted open (its submit is writing it), so only 'ended' makes room.
    expect((await open.reserve('sub', 'next', 3)).admitted).toBe(true);
    expect((await open.reserve('sub', 'another', 3)).admitted).toBe(false);
    // Ten minutes on, a still-missing record is a submit that died: its slot is freed.
    now = 11 * 60_000;
    records.set('next', true);
    expect((await open.reserve('sub', 'another', 3)).admitted).toBe(true);
  });
});
