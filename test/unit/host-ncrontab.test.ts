// Six-field NCRONTAB schedules (seconds first, local time) and hh:mm:ss intervals of timer triggers.
import { describe, expect, it } from 'vitest';
import { nextOccurrences, parseSchedule } from '../../src/local/host/ncrontab.js';

const at = (...p: [number, number, number, number?, number?, number?]): Date => new Date(p[0], p[1] - 1, p[2], p[3] ?? 0, p[4] ?? 0, p[5] ?? 0);
const next = (expr: string, from: Date, n = 3): Date[] => nextOccurrences(parseSchedule(expr), from, n);

describe('NCRONTAB', () => {
  it('handles second steps', () => {
    expect(next('*/10 * * * * *', at(2025, 1, 1, 12, 0, 5))).toEqual([at(2025, 1, 1, 12, 0, 10), at(2025, 1, 1, 12, 0, 20), at(2025, 1, 1, 12, 0, 30)]);
  });

  it('is strictly after the given time', () => {
    expect(next('*/10 * * * * *', at(2025, 1, 1, 12, 0, 10), 1)).toEqual([at(2025, 1, 1, 12, 0, 20)]);
    expect(next('*/10 * * * * *', new Date(at(2025, 1, 1, 12, 0, 9).getTime() + 999), 1)).toEqual([at(2025, 1, 1, 12, 0, 10)]);
  });

  it('handles minute steps and hour rollover', () => {
    expect(next('0 */5 * * * *', at(2025, 1, 1, 12, 57, 1))).toEqual([at(2025, 1, 1, 13, 0, 0), at(2025, 1, 1, 13, 5, 0), at(2025, 1, 1, 13, 10, 0)]);
  });

  it('handles lists, ranges and weekday names (day and weekday must both match)', () => {
    // 2025-01-03 is a Friday.
    expect(next('0 30 9,17 * * MON-FRI', at(2025, 1, 3, 10, 0, 0))).toEqual([at(2025, 1, 3, 17, 30), at(2025, 1, 6, 9, 30), at(2025, 1, 6, 17, 30)]);
    expect(next('0 0 0 13 * 5', at(2025, 1, 1), 2)).toEqual([at(2025, 6, 13), at(2026, 2, 13)]);
    expect(next('0 0 0 * * 7', at(2025, 1, 1), 1)).toEqual([at(2025, 1, 5)]);
  });

  it('handles months by name and month-end days', () => {
    expect(next('0 0 0 31 * *', at(2025, 1, 31, 1), 2)).toEqual([at(2025, 3, 31), at(2025, 5, 31)]);
    expect(next('0 0 12 29 FEB *', at(2025, 1, 1), 1)).toEqual([at(2028, 2, 29, 12)]);
    expect(next('5/20 0 0 1 JAN-MAR *', at(2025, 1, 1), 4)).toEqual([at(2025, 1, 1, 0, 0, 5), at(2025, 1, 1, 0, 0, 25), at(2025, 1, 1, 0, 0, 45), at(2025, 2, 1, 0, 0, 5)]);
  });

  it('returns nothing for a schedule that never occurs', () => {
    expect(parseSchedule('0 0 0 31 FEB *').next(at(2025, 1, 1))).toBeUndefined();
  });

  it('accepts hh:mm:ss intervals', () => {
    expect(next('00:05:00', at(2025, 1, 1, 12), 2)).toEqual([at(2025, 1, 1, 12, 5), at(2025, 1, 1, 12, 10)]);
  });

  it('rejects invalid expressions', () => {
    expect(() => parseSchedule('*/5 * * * *')).toThrow(/six fields/);
    expect(() => parseSchedule('60 * * * * *')).toThrow(/second/);
    expect(() => parseSchedule('* * * * * FUNDAY')).toThrow(/day of week/);
    expect(() => parseSchedule('*/0 * * * * *')).toThrow(/step/);
    expect(() => parseSchedule('0 5-1 * * * *')).toThrow(/range/);
  });
});
