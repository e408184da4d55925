// A small closed-loop load generator: `concurrency` workers each send the next request as soon as the last
// one answered, for a fixed time (and at most maxRequests), over an undici keep-alive Pool; latencies are kept
// whole (no sampling) and percentiles computed exactly from them.
import { Pool } from 'undici';

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  concurrency: number;
  durationMs: number;
  warmupMs?: number;
  /** Stops early after this many measured requests. */
  maxRequests?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: options.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const path = url.pathname + url.search;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const send = async () => {
    const res = await pool.request({ method: options.method ?? 'POST', path, headers: options.headers, body: options.body });
    await res.body.dump();
    return res.statusCode;
  };
  async function phase(ms: number, record: boolean): Promise<number> {
    const end = performance.now() + ms;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end && !(record && latencies.length >= (options.maxRequests ?? Infinity))) {
          const t0 = performance.now();
          const status = await send();
          if (record) {
            latencies.push(performance.now() - t0);
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
        }
      }),
    );
    return performance.now() - started;
  }
  try {
    await phase(options.warmupMs ?? 500, false);
    const elapsed = await phase(options.durationMs, true);
    const sorted = Float64Array.from(latencies).sort();
    return {
      requests: latencies.length,
      rps: latencies.length / (elapsed / 1000),
      p50Ms: percentile(sorted, 50),
      p90Ms: percentile(sorted, 90),
      p99Ms: percentile(sorted, 99),
      statuses,
    };
  } finally {
    await pool.close();
  }
}
