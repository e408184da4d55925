// Timer scheduling of the local Functions host, on fake timers: runs on the schedule, never overlaps a
// timer with itself, honours runOnStartup, runs on demand, stops cleanly.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSchedule } from '../../src/local/host/ncrontab.js';
import { TimerScheduler, type TimerEntry, type TimerInfo } from '../../src/local/host/timers.js';

const START = new Date(2025, 0, 1, 12, 0, 5);

function entry(schedule: string, extra: Partial<TimerEntry> = {}): TimerEntry {
  return { name: 'poll', schedule: parseSchedule(schedule), runOnStartup: false, useMonitor: true, ...extra };
}

describe('TimerScheduler', () => {
  let scheduler: TimerScheduler | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(async () => {
    await scheduler?.stop();
    vi.useRealTimers();
  });

  it('runs on the schedule with the arguments the host gives', async () => {
    const runs: { at: number; info: TimerInfo }[] = [];
    scheduler = new TimerScheduler([entry('*/10 * * * * *')], async (_name, info) => void runs.push({ at: Date.now(), info }), () => {});
    scheduler.start();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(runs.map((r) => new Date(r.at).getSeconds())).toEqual([10, 20, 30]);
    const first = runs[0]!.info;
    expect(first.isPastDue).toBe(false);
    expect(first.schedule).toEqual({ adjustForDST: true });
    expect(first.scheduleStatus?.last).toBe('0001-01-01T00:00:00');
    expect(first.scheduleStatus?.next).toBe(new Date(2025, 0, 1, 12, 0, 20).toISOString());
    expect(runs[1]!.info.scheduleStatus?.last).toBe(new Date(2025, 0, 1, 12, 0, 10).toISOString());
  });

  it('never overlaps runs of one timer and resumes after a long run', async () => {
    let active = 0;
    let maxActive = 0;
    let release: () => void = () => {};
    const calls: number[] = [];
    scheduler = new TimerScheduler([entry('*/10 * * * * *')], () => {
      calls.push(Date.now());
      active++;
      maxActive = Math.max(maxActive, active);
      return new Promise<void>((resolve) => {
        release = () => {
          active--;
          resolve();
        };
      });
    }, () => {});
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000); // first run starts at :10 and hangs
    await vi.advanceTimersByTimeAsync(35_000); // :20, :30, :40 pass while it runs
    expect(calls).toHaveLength(1);
    release();
    await vi.advanceTimersByTimeAsync(10_000); // next occurrence after the run ended: :50
    expect(calls).toHaveLength(2);
    expect(new Date(calls[1]!).getSeconds()).toBe(50);
    release();
    expect(maxActive).toBe(1);
  });

  it('honours runOnStartup and reports failures without stopping the schedule', async () => {
    const errors: string[] = [];
    let n = 0;
    scheduler = new TimerScheduler(
      [entry('0 */5 * * * *', { runOnStartup: true })],
      async () => {
        if (++n === 1) throw new Error('first run fails');
      },
      (name, err) => errors.push(`${name}: ${(err as Error).message}`),
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(n).toBe(1);
    expect(errors).toEqual(['poll: first run fails']);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(n).toBe(2);
  });

  it('runs on demand after a run in progress and settles with the outcome', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    let fail = false;
    scheduler = new TimerScheduler([entry('*/10 * * * * *')], async () => {
      order.push('start');
      if (fail) throw new Error('boom');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('end');
    }, () => {});
    const first = scheduler.runNow('POLL');
    const second = scheduler.runNow('poll');
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['start']);
    release();
    await first;
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['start', 'end', 'start']);
    release();
    await second;
    fail = true;
    await expect(scheduler.runNow('poll')).rejects.toThrow('boom');
    await expect(scheduler.runNow('nope')).rejects.toThrow(/No timer/);
  });

  it('stops firing after stop()', async () => {
    let n = 0;
    scheduler = new TimerScheduler([entry('*/10 * * * * *')], async () => void n++, () => {});
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(n).toBe(1);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(n).toBe(1);
  });
});
