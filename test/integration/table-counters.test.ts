// TableCounterStore against a real Azurite: exactly `limit` admitted out of a concurrent burst, whether the
// contenders share one process, are separate store instances, or are separate OS processes; restarts forget nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteInfo } from '../../src/local/stack/azurite.js';
import type { RunningChild } from '../../src/local/stack/child.js';
import { getTableClient } from '../../src/lib/storage/tables.js';
import { TableCounterStore, type CounterStats } from '../../src/lib/throttling/counter-store.js';
import { windowAt, windowKey, type Window } from '../../src/lib/throttling/windows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BURST_SCRIPT = path.join(here, 'helpers', 'counter-burst.mjs');
const COMPILED = path.join(here, '../../dist/src/lib/throttling/counter-store.js');
const W = windowAt(Date.UTC(2025, 0, 1, 12), 60);

let azurite: RunningChild<AzuriteInfo> | undefined;
let dir = '';
const conn = () => azurite!.info.connectionString;
const table = () => getTableClient(conn(), 'counters');
const stored = async (scope: string, window: Window) => (await (await table()).getEntity<{ count: number }>(scope, windowKey(window))).count;
const sum = (stats: CounterStats[], key: keyof CounterStats) => stats.reduce((n, s) => n + s[key], 0);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'counters-'));
  azurite = await startAzurite({ location: dir });
  await table(); // creates the table, so the bursts below time counting only
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function burst(stores: TableCounterStore[], scope: string, calls: number, limit: number) {
  const began = performance.now();
  const results = await Promise.all(Array.from({ length: calls }, (_, i) => stores[i % stores.length]!.tryConsume(scope, W, limit)));
  const ms = Math.round(performance.now() - began);
  const stats = stores.map((s) => s.stats);
  console.log(`[counters] ${scope}: ${calls} calls over ${stores.length} store(s) in ${ms} ms; reads ${sum(stats, 'reads')}, writes ${sum(stats, 'writes')}, ETag conflicts ${sum(stats, 'conflicts')}, local refusals ${sum(stats, 'localRefusals')}`);
  return results.filter((r) => r.admitted).length;
}

function startBurstProcess(scope: string, limit: number, calls: number) {
  const child = spawn(process.execPath, [BURST_SCRIPT, scope, String(W.start), String(W.periodSeconds), String(limit), String(calls)], {
    env: { ...process.env, COUNTER_CONNECTION: conn() },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: Record<string, any>[] = [];
  const output: string[] = [];
  const waiters: Array<() => void> = [];
  const onLine = (line: string) => {
    output.push(line);
    try { lines.push(JSON.parse(line)); } catch { /* not ours */ }
    waiters.splice(0).forEach((w) => w());
  };
  createInterface({ input: child.stdout }).on('line', onLine);
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { waiters.splice(0).forEach((w) => w()); resolve(); }));
  const waitFor = (event: string) => new Promise<Record<string, any>>((resolve, reject) => {
    const check = () => {
      const found = lines.find((l) => l.event === event);
      if (found) return resolve(found);
      if (child.exitCode !== null) return reject(new Error(`burst child exited: ${output.join('\n')}`));
      waiters.push(check);
    };
    check();
  });
  return { child, exited, waitFor, go: () => child.stdin.write('go\n') };
}

describe('TableCounterStore on Azurite', () => {
  it('one process, one store: exactly 10 of 40 concurrent calls are admitted', async () => {
    expect(await burst([new TableCounterStore(table)], 'rate:one-store', 40, 10)).toBe(10);
    expect(await stored('rate:one-store', W)).toBe(10);
  });

  it('one process, 40 store instances (no shared queue, raw ETag races): exactly 10 admitted', async () => {
    const stores = Array.from({ length: 40 }, () => new TableCounterStore(table));
    expect(await burst(stores, 'rate:forty-stores', 40, 10)).toBe(10);
    expect(await stored('rate:forty-stores', W)).toBe(10);
  });

  it('one store without the per-scope queue: exactly 10 admitted', async () => {
    expect(await burst([new TableCounterStore(table, { queuePerScope: false })], 'rate:unqueued', 40, 10)).toBe(10);
  });

  it('two OS processes sharing the storage, 20 concurrent calls each: exactly 10 admitted in total', async () => {
    expect(existsSync(COMPILED), `${COMPILED} is missing: run "npx tsc -p tsconfig.json" first (npm test does)`).toBe(true);
    const children = [startBurstProcess('rate:two-processes', 10, 20), startBurstProcess('rate:two-processes', 10, 20)];
    try {
      await Promise.all(children.map((c) => c.waitFor('ready')));
      children.forEach((c) => c.go());
      const done = await Promise.all(children.map((c) => c.waitFor('done')));
      console.log(`[counters] two processes: ${JSON.stringify(done.map(({ admitted, ms, stats }) => ({ admitted, ms, ...stats })))}`);
      expect(done.flatMap((d) => d.errors)).toEqual([]);
      expect(done.reduce((n, d) => n + d.admitted, 0)).toBe(10);
      expect(await stored('rate:two-processes', W)).toBe(10);
    } finally {
      children.forEach((c) => c.child.kill());
      await Promise.all(children.map((c) => c.exited));
    }
  });

  it('a new window starts from zero, and a restarted instance sees the counts the old one left', async () => {
    const first = new TableCounterStore(table);
    for (let i = 0; i < 3; i++) expect((await first.tryConsume('quota:restart', W, 5)).admitted).toBe(true);
    const restarted = new TableCounterStore(table);
    expect(await restarted.tryConsume('quota:restart', W, 5)).toEqual({ admitted: true, count: 4 });
    expect(await restarted.tryConsume('quota:restart', W, 5)).toEqual({ admitted: true, count: 5 });
    expect(await new TableCounterStore(table).tryConsume('quota:restart', W, 5)).toEqual({ admitted: false, count: 5 });
    // the first instance remembers a stale ETag; its write loses and it re-reads instead of over-admitting
    expect(await first.tryConsume('quota:restart', W, 5)).toEqual({ admitted: false, count: 5 });
    expect(first.stats.conflicts).toBe(1);
    const next: Window = { start: W.start + 60_000, periodSeconds: 60 };
    expect(await restarted.tryConsume('quota:restart', next, 5)).toEqual({ admitted: true, count: 1 });
  });

  it('storage that cannot be reached answers 503 ServiceUnavailable, never admits', async () => {
    const dead = conn().replace(/TableEndpoint=http:\/\/127\.0\.0\.1:\d+/, 'TableEndpoint=http://127.0.0.1:1');
    const store = new TableCounterStore(() => getTableClient(dead, 'counters'));
    await expect(store.tryConsume('rate:dead', W, 10)).rejects.toMatchObject({ status: 503, classCode: 'ServiceUnavailable' });
  });
});
