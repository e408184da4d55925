// The usage query: parameters validated (400 naming the field) with their defaults, and rows of several
// instances and minutes added into totals, groups (most calls first) and an interval series.
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/lib/errors.js';
import { resolveUsageQuery, type UsageQuery } from '../../src/lib/usage/usage-query.js';
import { minutesOf, summarize } from '../../src/lib/usage/usage-report.js';
import { Histogram } from '../../src/lib/usage/histogram.js';
import type { UsageRow } from '../../src/lib/usage/usage-table.js';

const NOW = Date.UTC(2025, 0, 8, 12, 30, 20);

function targetOf(query: Record<string, string>): string | undefined {
  try {
    resolveUsageQuery(query, NOW);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(400);
    return (error as GatewayError).details[0]?.target;
  }
  return undefined;
}

describe('resolveUsageQuery', () => {
  it('defaults to the last hour by the minute, no groups', () => {
    expect(resolveUsageQuery({}, NOW)).toEqual({ from: NOW - 3600_000, to: NOW, interval: 1, groupBy: null });
    expect(resolveUsageQuery({ from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00+00:00', groupby: 'product', interval: '60' }, NOW))
      .toEqual({ from: Date.UTC(2025, 0, 1), to: Date.UTC(2025, 0, 2), interval: 60, groupBy: 'product' });
  });

  it('answers 400 naming the field', () => {
    expect(targetOf({ from: 'yesterday' })).toBe('from');
    expect(targetOf({ to: '2025-13-01T00:00:00Z' })).toBe('to');
    expect(targetOf({ groupby: 'colour' })).toBe('groupBy');
    expect(targetOf({ interval: '7' })).toBe('interval');
    expect(targetOf({ from: '2025-01-08T12:00:00Z', to: '2025-01-08T11:00:00Z' })).toBe('from');
    expect(targetOf({ from: '2024-11-01T00:00:00Z', to: '2025-01-01T00:00:00Z', interval: '1440' })).toBe('from');
    expect(targetOf({ from: '2024-12-25T00:00:00Z', to: '2025-01-01T00:00:00Z' })).toBe('interval'); // 10 080 points
    expect(targetOf({ from: '2024-12-25T00:00:00Z', to: '2025-01-01T00:00:00Z', interval: '5' })).toBeUndefined();
  });
});

function row(minuteIso: string, fields: Partial<UsageRow>, latencies: number[] = [2]): UsageRow {
  const h = new Histogram();
  latencies.forEach((ms) => h.add(ms));
  return {
    minute: Date.parse(minuteIso) / 60_000, instanceId: 'a', subscriptionId: 's1', productId: 'starter', operation: 'rrs.execute',
    outcome: 'success', calls: latencies.length, bytesIn: 10 * latencies.length, bytesOut: 20 * latencies.length, latency: h.encode(), ...fields,
  };
}

describe('summarize', () => {
  const query: UsageQuery = { from: Date.parse('2025-01-08T12:00:30Z'), to: Date.parse('2025-01-08T12:10:30Z'), interval: 5, groupBy: 'subscription' };
  const rows = [
    row('2025-01-08T11:59:00Z', {}), // before the range: not counted
    row('2025-01-08T12:00:00Z', {}, [1, 1, 1]), // overlaps from
    row('2025-01-08T12:04:00Z', { instanceId: 'b', outcome: 'blocked', subscriptionId: 'anonymous', productId: '(none)' }, [0.5, 0.5]),
    row('2025-01-08T12:05:00Z', { outcome: 'failed', subscriptionId: 's2' }, [100]),
    row('2025-01-08T12:10:00Z', { instanceId: 'b', outcome: 'other' }, [10, 20]), // overlaps to
    row('2025-01-08T12:11:00Z', {}), // after the range
  ];

  it('covers every minute overlapping the range', () => {
    expect(minutesOf(query)).toEqual({ first: Date.parse('2025-01-08T12:00:00Z') / 60_000, last: Date.parse('2025-01-08T12:10:00Z') / 60_000 });
  });

  it('adds totals, groups and series', () => {
    const report = summarize(rows, query, new Map([['s1', 'first app']]));
    expect(report).toMatchObject({ from: '2025-01-08T12:00:30.000Z', to: '2025-01-08T12:10:30.000Z', interval: 5, groupBy: 'subscription' });
    expect(report.totals).toMatchObject({ calls: 8, success: 3, blocked: 2, failed: 1, other: 2, bytesIn: 80, bytesOut: 160 });
    const { p50, p95, p99 } = report.totals.latency;
    expect(p50! <= p95! && p95! <= p99!).toBe(true);
    expect(p99).toBeGreaterThan(93);
    expect(report.groups.map((g) => [g.key, g.name, g.calls])).toEqual([['s1', 'first app', 5], ['anonymous', null, 2], ['s2', null, 1]]);
    expect(report.series.map((p) => [p.time, p.calls, p.blocked])).toEqual([
      ['2025-01-08T12:00:00.000Z', 5, 2], ['2025-01-08T12:05:00.000Z', 1, 0], ['2025-01-08T12:10:00.000Z', 2, 0],
    ]);
    expect(report.series[1]).toMatchObject({ failed: 1, p50: report.series[1]!.p99 });
  });

  it('has no groups without groupBy and null percentiles where nothing happened', () => {
    const report = summarize([], { ...query, groupBy: null }, undefined);
    expect(report.groups).toEqual([]);
    expect(report.totals.latency).toEqual({ p50: null, p95: null, p99: null });
    expect(report.series).toHaveLength(3);
    expect(report.series[0]).toMatchObject({ calls: 0, p50: null });
  });

  it('groups by operation and outcome without names', () => {
    const byOutcome = summarize(rows, { ...query, groupBy: 'outcome' });
    expect(byOutcome.groups.map((g) => g.key)).toEqual(['success', 'blocked', 'other', 'failed']);
    expect(byOutcome.groups[0]).not.toHaveProperty('name');
  });
});
