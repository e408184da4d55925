// Benchmark: what the table-backed checks cost per call. The same RRS load through the facade with
//  (a) the checks switched off — an `unlimited` subscription: key and product from the instance cache, no counters;
//  (b) exact counters on — a product with a high rate limit and quota: two conditional Table writes per call;
//  (c) counters on and no auth cache (AUTH_CACHE_SECONDS=0): the key and subscription read from Table storage too.
// Prints a table and writes bench/results/checks-<time>.json. Usage: npm run bench:checks [-- --quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { runLoad, type LoadResult } from './lib/load.js';
import { startFacade, startStack } from '../src/local/stack/start-stack.js';
import { findProjectRoot } from '../src/local/stack/project.js';

const quick = process.argv.includes('--quick');
const durationMs = quick ? 2_000 : 8_000;
const BODY = JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day']] } }, GlobalParameters: {} });

const stack = await startStack({ port: 0 });
const noCache = await startFacade({ ...stack.facadeEnv, AUTH_CACHE_SECONDS: '0' }, 0);
try {
  const manage = async (method: 'POST' | 'PUT', p: string, body: unknown) => {
    const res = await request(`${stack.facadeUrl}/manage/${p}`, { method, headers: { 'x-admin-key': stack.adminKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.body.json()) as { primaryKey: string };
  };
  await manage('PUT', 'products/bench-limited', { name: 'Bench', rateLimit: { calls: 100_000_000, renewalPeriod: 3600 }, quota: { calls: 1_000_000_000, renewalPeriod: 86400 } });
  const unlimitedKey = (await manage('POST', 'subscriptions', { name: 'bench-off', productId: 'unlimited' })).primaryKey;
  const limitedKey = (await manage('POST', 'subscriptions', { name: 'bench-on', productId: 'bench-limited' })).primaryKey;
  const executePath = `/workspaces/${stack.demo.workspace}/services/${stack.demo.service}/execute?api-version=2.0`;

  const scenarios = [
    { name: 'checks off (unlimited)', base: stack.facadeUrl, key: unlimitedKey },
    { name: 'exact counters on', base: stack.facadeUrl, key: limitedKey },
    { name: 'counters on, no auth cache', base: noCache.info.url, key: limitedKey },
  ];
  const rows: { scenario: string; concurrency: number; result: LoadResult }[] = [];
  for (const concurrency of [1, 16]) {
    for (const s of scenarios) {
      const result = await runLoad({
        url: `${s.base}${executePath}`,
        headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': s.key },
        body: BODY,
        concurrency,
        durationMs,
      });
      rows.push({ scenario: s.name, concurrency, result });
    }
  }
  console.log(`\nTable-backed checks, RRS through the facade (${durationMs / 1000} s per row, loopback, Azurite)\n`);
  console.log('| scenario | c | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | non-200 |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const off = rows.find((r) => r.concurrency === row.concurrency && r.scenario === scenarios[0]!.name)!.result;
    const non200 = row.result.requests - (row.result.statuses['200'] ?? 0);
    console.log(`| ${row.scenario} | ${row.concurrency} | ${row.result.rps.toFixed(0)} | ${row.result.p50Ms.toFixed(2)} | ${row.result.p99Ms.toFixed(2)} | ${(row.result.p50Ms - off.p50Ms).toFixed(2)} | ${(row.result.p99Ms - off.p99Ms).toFixed(2)} | ${non200} |`);
  }
  const dir = path.join(findProjectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `checks-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ durationMs, rows }, null, 2));
  console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
} finally {
  await noCache.stop();
  await stack.stop();
}
