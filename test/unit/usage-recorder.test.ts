// The per-instance usage recorder against a fake table with an injected clock: minute buckets, cumulative
// upserts that stay exact across repeated, failed and overlapping flushes, and totals that add up across instances.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageRecorder, closeAllRecorders } from '../../src/lib/usage/recorder.js';
import type { UsageSample } from '../../src/lib/usage/call-record.js';
import type { UsageRow, UsageSink } from '../../src/lib/usage/usage-table.js';
import { Histogram } from '../../src/lib/usage/histogram.js';

const T0 = Date.UTC(2025, 0, 8, 12, 0, 0);
const MINUTE = 60_000;

/** A table that keeps the last upsert per (minute, instance, dimensions), as Replace-upserts do. */
function fakeTable() {
  const rows = new Map<string, UsageRow>();
  const upserts: { minute: number; count: number }[] = [];
  let fail = 0;
  let hold: Promise<void> | undefined;
  const state = { waiting: false };
  const sink: UsageSink = {
    async upsert(minute, batch) {
      if (hold) {
        state.waiting = true;
        await hold;
      }
      if (fail > 0) {
        fail--;
        throw new Error('storage down');
      }
      upserts.push({ minute, count: batch.length });
      for (const row of batch) rows.set(`${minute}|${row.instanceId}|${row.subscriptionId}|${row.productId}|${row.operation}|${row.outcome}`, row);
    },
  };
  const total = (pick: (r: UsageRow) => boolean = () => true) => [...rows.values()].filter(pick).reduce((n, r) => n + r.calls, 0);
  return { sink, rows, upserts, total, state, failNext: (n: number) => (fail = n), holdWith: (p: Promise<void> | undefined) => (hold = p) };
}

function sample(overrides: Partial<UsageSample> = {}): UsageSample {
  return {
    subscriptionId: 'sub1', productId: 'starter', operation: 'rrs.execute', outcome: 'success', backendKind: 'classic', workspace: 'ws', service: 'svc',
    status: 200, latencyMs: 2, backendMs: null, bytesIn: 100, bytesOut: 300, ...overrides,
  };
}

function setup(instanceId = 'i1', table = fakeTable()) {
  const clock = { t: T0 + 5_000 };
  const warnings: string[] = [];
  const recorder = new UsageRecorder({ sink: table.sink, instanceId, flushIntervalMs: 15_000, now: () => clock.t, warn: (m) => warnings.push(m), maxPendingMinutes: 3 });
  return { clock, table, recorder, warnings };
}

afterEach(async () => {
  await closeAllRecorders();
  vi.useRealTimers();
});

describe('UsageRecorder', () => {
  it('aggregates by minute and dimensions, and writes one row per combination', async () => {
    const { clock, table, recorder } = setup();
    recorder.record(sample({ latencyMs: 1 }));
    recorder.record(sample({ latencyMs: 3 }));
    recorder.record(sample({ outcome: 'blocked', bytesOut: 50 }));
    recorder.record(sample({ subscriptionId: 'anonymous', productId: '(none)', outcome: 'blocked' }));
    clock.t += MINUTE;
    recorder.record(sample({ operation: 'bes.submit' }));
    const result = await recorder.flush();
    expect(result).toMatchObject({ instanceId: 'i1', rows: 4, pendingMinutes: 1 });
    const first = table.rows.get(`${T0 / MINUTE}|i1|sub1|starter|rrs.execute|success`)!;
    expect(first).toMatchObject({ calls: 2, bytesIn: 200, bytesOut: 600 });
    const h = new Histogram();
    h.addEncoded(first.latency);
    expect(h.total).toBe(2);
    expect(table.total()).toBe(5);
  });

  it('rewrites cumulative totals: repeated flushes write nothing new and never double count', async () => {
    const { table, recorder } = setup();
    for (let i = 0; i < 10; i++) recorder.record(sample());
    await recorder.flush();
    expect((await recorder.flush()).rows).toBe(0);
    for (let i = 0; i < 5; i++) recorder.record(sample());
    await recorder.flush();
    expect(table.upserts).toHaveLength(2);
    expect(table.total()).toBe(15);
  });

  it('keeps what a failed flush could not write and writes it on the next one', async () => {
    const { table, recorder } = setup();
    recorder.record(sample());
    table.failNext(1);
    await expect(recorder.flush()).rejects.toThrow('storage down');
    recorder.record(sample());
    await recorder.flush();
    expect(table.total()).toBe(2);
  });

  it('a call recorded while its minute is being written is written by the next flush', async () => {
    const { table, recorder } = setup();
    recorder.record(sample());
    let release!: () => void;
    table.holdWith(new Promise<void>((r) => (release = r)));
    const first = recorder.flush();
    while (!table.state.waiting) await new Promise((r) => setImmediate(r));
    recorder.record(sample());
    const second = recorder.flush(); // queued behind the first: flushes never overlap
    table.holdWith(undefined);
    release();
    await Promise.all([first, second]);
    expect(table.total()).toBe(2);
    expect(table.upserts.map((u) => u.count)).toEqual([1, 1]);
  });

  it('drops a finished minute once written, and a clock step back counts in the latest minute', async () => {
    const { clock, table, recorder } = setup();
    recorder.record(sample());
    clock.t += MINUTE;
    recorder.record(sample());
    clock.t -= 2 * MINUTE; // NTP step backwards
    recorder.record(sample());
    expect((await recorder.flush()).pendingMinutes).toBe(1);
    expect(table.rows.get(`${T0 / MINUTE + 1}|i1|sub1|starter|rrs.execute|success`)!.calls).toBe(2);
    expect(table.total()).toBe(3);
  });

  it('bounds memory while storage is down: the oldest unwritten minute is dropped and reported', async () => {
    const { clock, table, recorder, warnings } = setup();
    table.failNext(100);
    for (let m = 0; m < 5; m++) {
      recorder.record(sample());
      clock.t += MINUTE;
    }
    expect(warnings.join('\n')).toMatch(/1 calls of minute 2025-01-08T12:00/);
    table.failNext(0);
    expect((await recorder.flush()).rows).toBe(3);
  });

  it('flushes on its interval and at shutdown (closeAllRecorders, the appTerminate hook)', async () => {
    vi.useFakeTimers({ now: T0 });
    const table = fakeTable();
    const recorder = new UsageRecorder({ sink: table.sink, instanceId: 'i1', flushIntervalMs: 15_000 });
    recorder.record(sample());
    await vi.advanceTimersByTimeAsync(14_999);
    expect(table.total()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(table.total()).toBe(1);
    recorder.record(sample());
    await closeAllRecorders();
    expect(table.total()).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('instances write separate rows whose sum is the total of all calls', async () => {
    const table = fakeTable();
    const a = setup('a', table);
    const b = setup('b', table);
    for (let i = 0; i < 7; i++) a.recorder.record(sample());
    for (let i = 0; i < 5; i++) b.recorder.record(sample({ outcome: i < 2 ? 'failed' : 'success' }));
    await Promise.all([a.recorder.flush(), b.recorder.flush(), a.recorder.flush()]);
    expect(table.total()).toBe(12);
    expect(table.total((r) => r.outcome === 'failed')).toBe(2);
    expect(new Set([...table.rows.values()].map((r) => r.instanceId))).toEqual(new Set(['a', 'b']));
  });
});
