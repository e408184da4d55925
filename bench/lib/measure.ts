// One measured load row: wrk (or the Node generator when wrk is absent) at a fixed concurrency for a fixed
// time, with the CPU each named process spent during it, per answered request.
import { runLoad } from './load.js';
import { cpuDelta, cpuSnapshot, foreignLoad } from './proc.js';
import { runWrk } from './wrk.js';
import { fmt } from './report.js';

export interface RowSpec {
  label: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  concurrency: number;
  seconds: number;
  /** Processes whose CPU is measured: name → pid. */
  pids: Record<string, number>;
}

export interface Row {
  label: string;
  concurrency: number;
  generator: 'wrk' | 'node';
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  non2xx: number;
  socketErrors: number;
  /** CPU µs per request, per measured process. */
  cpuUsPerRequest: Record<string, number>;
  /** Cores kept busy by processes outside this bench during the row (other work on the machine). */
  otherCores: number;
}

export async function measureRow(spec: RowSpec, wrk: string | undefined, force?: 'node'): Promise<Row> {
  const before = cpuSnapshot(spec.pids);
  const foreign = foreignLoad();
  let row: Omit<Row, 'cpuUsPerRequest' | 'otherCores'>;
  if (wrk && force !== 'node') {
    const r = await runWrk(wrk, { url: spec.url, headers: spec.headers, body: spec.body, concurrency: spec.concurrency, durationSeconds: spec.seconds });
    row = { label: spec.label, concurrency: spec.concurrency, generator: 'wrk', ...r };
  } else {
    const r = await runLoad({
      url: spec.url, headers: spec.headers, body: spec.body, concurrency: spec.concurrency,
      durationMs: spec.seconds * 1000, warmupMs: 0, maxRequests: 2_000_000,
    });
    const ok = Object.entries(r.statuses).reduce((n, [s, count]) => (s.startsWith('2') ? n + count : n), 0);
    row = {
      label: spec.label, concurrency: spec.concurrency, generator: 'node', requests: r.requests, rps: r.rps,
      p50Ms: r.p50Ms, p90Ms: r.p90Ms, p99Ms: r.p99Ms, non2xx: r.requests - ok, socketErrors: 0,
    };
  }
  const otherCores = foreign.stop();
  const spent = cpuDelta(before, cpuSnapshot(spec.pids));
  const cpuUsPerRequest = Object.fromEntries(Object.entries(spent).map(([name, us]) => [name, row.requests > 0 ? us / row.requests : NaN]));
  return { ...row, cpuUsPerRequest, otherCores };
}

/** Warms a target (JIT, connection pools, caches) with a short unmeasured load. */
export async function warm(spec: Pick<RowSpec, 'url' | 'headers' | 'body'>, ms: number): Promise<void> {
  await runLoad({ url: spec.url, headers: spec.headers, body: spec.body, concurrency: 16, durationMs: ms, warmupMs: 0, maxRequests: 200_000 });
}

export const ROW_COLUMNS = ['target', 'c', 'gen', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'other cores'];

export function rowCells(row: Row): (string | number)[] {
  return [row.label, row.concurrency, row.generator, fmt(row.rps, 0), fmt(row.p50Ms, 3), fmt(row.p99Ms, 3), row.non2xx + row.socketErrors, fmt(row.otherCores)];
}

export const cpuCell = (row: Row, name: string): string => fmt(row.cpuUsPerRequest[name] ?? NaN, 0);

export const OTHER_CORES_NOTE = 'other cores: CPU taken by processes outside this bench during the row (a shared machine); well above 0 means the row is disturbed.';
