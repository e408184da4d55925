// Adds up usage rows (every instance's, every minute in range, those matching the filters) into the usage API's
// answer: totals, groups by one dimension (most calls first) and a time series by interval; latency percentiles from
// summed histograms, means from summed latencies.
import { Histogram } from './histogram.js';
import type { Outcome } from './call-record.js';
import type { UsageRow } from './usage-table.js';
import { DIMENSION, matchesFilters, type Filters, type GroupBy, type UsageQuery } from './usage-query.js';

export interface Percentiles { p50: number | null; p95: number | null; p99: number | null }
interface Counts {
  calls: number; success: number; blocked: number; failed: number; other: number;
  /** Subsets of blocked: 401, 403 and 429 answers. */
  unauthorized: number; forbidden: number; throttled: number;
}
/** Means in ms, rounded to 2 decimals; null where nothing was counted. */
interface Means { meanMs: number | null; gatewayMeanMs: number | null; backendMeanMs: number | null }
export interface Timing extends Means { backendCalls: number; latencyMsSum: number; backendMsSum: number }

export interface UsageReport {
  from: string;
  to: string;
  interval: number;
  groupBy: GroupBy | null;
  filters: Filters;
  totals: Counts & { bytesIn: number; bytesOut: number; latency: Percentiles; timing: Timing };
  groups: (Counts & { key: string; name?: string | null; latency: Percentiles; timing: Timing })[];
  series: (Counts & Percentiles & Means & { time: string })[];
}

/** Which blocked answers each count holds. */
const BLOCKED_BY_STATUS: Record<number, 'unauthorized' | 'forbidden' | 'throttled'> = { 401: 'unauthorized', 403: 'forbidden', 429: 'throttled' };

const round2 = (ms: number) => Math.round(ms * 100) / 100;
const mean = (sum: number, n: number) => (n === 0 ? null : round2(sum / n));

class Tally {
  calls = 0;
  success = 0;
  blocked = 0;
  failed = 0;
  other = 0;
  unauthorized = 0;
  forbidden = 0;
  throttled = 0;
  bytesIn = 0;
  bytesOut = 0;
  latencyMsSum = 0;
  backendCalls = 0;
  backendMsSum = 0;
  readonly latency = new Histogram();

  add(row: UsageRow, latency: Histogram): void {
    this.calls += row.calls;
    this[row.outcome satisfies Outcome] += row.calls;
    const blockedAs = BLOCKED_BY_STATUS[row.status];
    if (blockedAs) this[blockedAs] += row.calls;
    this.bytesIn += row.bytesIn;
    this.bytesOut += row.bytesOut;
    this.latencyMsSum += row.latencyMsSum;
    this.backendCalls += row.backendCalls;
    this.backendMsSum += row.backendMsSum;
    this.latency.merge(latency);
  }

  counts(): Counts {
    const { calls, success, blocked, failed, other, unauthorized, forbidden, throttled } = this;
    return { calls, success, blocked, failed, other, unauthorized, forbidden, throttled };
  }

  percentiles(): Percentiles {
    const at = (p: number) => {
      const ms = this.latency.percentile(p);
      return ms === null ? null : round2(ms);
    };
    return { p50: at(50), p95: at(95), p99: at(99) };
  }

  /** gatewayMeanMs: the time spent in the facade itself (latency less the backend's wait), over all calls. */
  means(): Means {
    return {
      meanMs: mean(this.latencyMsSum, this.calls),
      gatewayMeanMs: mean(this.latencyMsSum - this.backendMsSum, this.calls),
      backendMeanMs: mean(this.backendMsSum, this.backendCalls),
    };
  }

  timing(): Timing {
    return { ...this.means(), backendCalls: this.backendCalls, latencyMsSum: round2(this.latencyMsSum), backendMsSum: round2(this.backendMsSum) };
  }
}

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
  const groupKey = query.groupBy ? DIMENSION[query.groupBy] : undefined;
  const filters = query.filters ?? {};

  for (const row of rows) {
    if (row.minute < first || row.minute > last || !matchesFilters(row, filters)) continue;
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
    filters,
    totals: { ...totals.counts(), bytesIn: totals.bytesIn, bytesOut: totals.bytesOut, latency: totals.percentiles(), timing: totals.timing() },
    groups: [...groups]
      .sort(([ka, a], [kb, b]) => b.calls - a.calls || ka.localeCompare(kb))
      .map(([key, tally]) => ({
        key,
        ...(query.groupBy === 'subscription' ? { name: names?.get(key) ?? null } : {}),
        ...tally.counts(),
        latency: tally.percentiles(),
        timing: tally.timing(),
      })),
    series: series.map((tally, i) => ({ time: new Date(seriesStart + i * step).toISOString(), ...tally.counts(), ...tally.percentiles(), ...tally.means() })),
  };
}
