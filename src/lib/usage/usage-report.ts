// Adds up usage rows (every instance's, every minute in range) into the usage API's answer: totals, groups
// by one dimension (most calls first) and a time series by interval; latency percentiles from summed histograms.
import { Histogram } from './histogram.js';
import type { Outcome } from './call-record.js';
import type { UsageRow } from './usage-table.js';
import type { GroupBy, UsageQuery } from './usage-query.js';

export interface Percentiles { p50: number | null; p95: number | null; p99: number | null }
interface Counts { calls: number; success: number; blocked: number; failed: number; other: number }

export interface UsageReport {
  from: string;
  to: string;
  interval: number;
  groupBy: GroupBy | null;
  totals: Counts & { bytesIn: number; bytesOut: number; latency: Percentiles };
  groups: (Counts & { key: string; name?: string | null; latency: Percentiles })[];
  series: (Counts & Percentiles & { time: string })[];
}

class Tally {
  calls = 0;
  success = 0;
  blocked = 0;
  failed = 0;
  other = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly latency = new Histogram();

  add(row: UsageRow, latency: Histogram): void {
    this.calls += row.calls;
    this[row.outcome satisfies Outcome] += row.calls;
    this.bytesIn += row.bytesIn;
    this.bytesOut += row.bytesOut;
    this.latency.merge(latency);
  }

  counts(): Counts {
    return { calls: this.calls, success: this.success, blocked: this.blocked, failed: this.failed, other: this.other };
  }

  percentiles(): Percentiles {
    const at = (p: number) => {
      const ms = this.latency.percentile(p);
      return ms === null ? null : Math.round(ms * 100) / 100;
    };
    return { p50: at(50), p95: at(95), p99: at(99) };
  }
}

const GROUP_FIELD: Record<GroupBy, (row: UsageRow) => string> = {
  subscription: (row) => row.subscriptionId,
  product: (row) => row.productId,
  operation: (row) => row.operation,
  outcome: (row) => row.outcome,
  backend: (row) => row.backendKind,
};

/** The epoch minutes whose rows can hold calls of [from, to): every minute overlapping it. */
export function minutesOf(query: UsageQuery): { first: number; last: number } {
  return { first: Math.floor(query.from / 60_000), last: Math.ceil(query.to / 60_000) - 1 };
}

/** `names`: subscription id → name, for groupBy=subscription. */
export function summarize(rows: readonly UsageRow[], query: UsageQuery, names?: ReadonlyMap<string, string>): UsageReport {
  const { first, last } = minutesOf(query);
  const step = query.interval * 60_000;
  const seriesStart = Math.floor(query.from / step) * step;
  const series = Array.from({ length: Math.ceil((query.to - seriesStart) / step) }, () => new Tally());
  const totals = new Tally();
  const groups = new Map<string, Tally>();
  const groupKey = query.groupBy ? GROUP_FIELD[query.groupBy] : undefined;

  for (const row of rows) {
    if (row.minute < first || row.minute > last) continue;
    const latency = new Histogram();
    latency.addEncoded(row.latency);
    totals.add(row, latency);
    series[Math.floor((row.minute * 60_000 - seriesStart) / step)]?.add(row, latency);
    if (groupKey) {
      const key = groupKey(row);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = new Tally()));
      group.add(row, latency);
    }
  }

  return {
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    interval: query.interval,
    groupBy: query.groupBy,
    totals: { ...totals.counts(), bytesIn: totals.bytesIn, bytesOut: totals.bytesOut, latency: totals.percentiles() },
    groups: [...groups]
      .sort(([ka, a], [kb, b]) => b.calls - a.calls || ka.localeCompare(kb))
      .map(([key, tally]) => ({
        key,
        ...(query.groupBy === 'subscription' ? { name: names?.get(key) ?? null } : {}),
        ...tally.counts(),
        latency: tally.percentiles(),
      })),
    series: series.map((tally, i) => ({ time: new Date(seriesStart + i * step).toISOString(), ...tally.counts(), ...tally.percentiles() })),
  };
}
