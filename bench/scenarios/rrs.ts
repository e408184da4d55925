// RRS side by side: direct to the reference backend, through the minimal proxy, through the facade with its
// full pipeline (auth, exact counters on a high-limit product, usage), at c = 1, 16, 64, rows interleaved so
// drift hits all three alike. Also checks the Node generator against wrk on one row, and can cpu-profile the facade.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { listeningLine, startChild } from '../../src/local/stack/child.js';
import { startMeasuredFacade } from '../lib/facade.js';
import { backendRrsUrl, facadeRrsUrl, pidOf, putProduct, RRS_BODY, subscribe, type BenchContext } from '../lib/context.js';
import { cpuCell, measureRow, OTHER_CORES_NOTE, ROW_COLUMNS, rowCells, warm, type Row, type RowSpec } from '../lib/measure.js';
import { fmt, type ScenarioResult, type Table } from '../lib/report.js';
import { summarizeByArea, summarizeProfile } from '../lib/cpuprofile.js';

const PROF_DIR = '/tmp/prof';

export async function rrsScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { stack } = ctx;
  const seconds = ctx.quick ? 2 : 8;
  // The counters scenario's "rate 100M/3600 s" product: a rate limit never reached in a run, counted exactly.
  await putProduct(stack, 'bench-high', { calls: 100_000_000, renewalPeriod: 3600 });
  const counted = await subscribe(stack, 'bench-rrs', 'bench-high');
  const proxy = await startChild<{ url: string }>({
    name: 'minimal-proxy',
    script: path.join(ctx.root, 'dist', 'bench', 'minimal-proxy.js'),
    env: { ...process.env, PROXY_TARGET: stack.backend.url, PORT: '0' },
    ready: listeningLine,
  });
  if (ctx.cpuProf) rmSync(PROF_DIR, { recursive: true, force: true });
  const facade = await startMeasuredFacade(ctx.root, stack.facadeEnv, ctx.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`] : [])
    .catch(async (error: unknown) => {
      await proxy.stop();
      throw error;
    });
  try {
    const pids = { proxy: proxy.process.pid!, facade: facade.pid, backend: pidOf(stack, 'reference'), azurite: pidOf(stack, 'azurite') };
    const direct = { url: backendRrsUrl(stack.backend.url, stack), headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.backend.apiKey}` }, body: RRS_BODY };
    const targets = {
      direct: { label: 'direct', ...direct, proc: undefined },
      proxy: { label: 'minimal proxy', ...direct, url: backendRrsUrl(proxy.info.url, stack), proc: 'proxy' },
      facade: {
        label: 'facade (counters on)', body: RRS_BODY, proc: 'facade',
        url: facadeRrsUrl(facade.url, stack),
        headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': counted.key },
      },
    };
    const chosen = ctx.cpuProf ? [targets.facade] : [targets.direct, targets.proxy, targets.facade];
    // The facade is a fresh process: it gets the longer warm-up (JIT, caches, counter blocks).
    for (const t of chosen) await warm(t, (ctx.quick ? 300 : 1000) * (t.proc === 'facade' ? 3 : 1));
    const rows: (Row & { proc?: string; facadeLogBytesPerRequest?: number })[] = [];
    for (const concurrency of ctx.cpuProf ? [16] : [1, 16, 64]) {
      for (const t of chosen) {
        const spec: RowSpec = { label: t.label, url: t.url, headers: t.headers, body: t.body, concurrency, seconds, pids };
        const logged = facade.logBytes();
        const row = await measureRow(spec, ctx.wrk);
        rows.push({ ...row, proc: t.proc, facadeLogBytesPerRequest: t.proc === 'facade' ? (facade.logBytes() - logged) / row.requests : undefined });
      }
    }
    const tables: Table[] = [{
      title: `RRS: direct vs minimal proxy vs facade (${seconds} s per row, loopback, one 1-row request)`,
      columns: [...ROW_COLUMNS, 'proxy CPU µs/req', 'backend CPU µs/req', 'azurite CPU µs/req'],
      rows: rows.map((r) => [...rowCells(r), r.proc ? cpuCell(r, r.proc) : '—', cpuCell(r, 'backend'), cpuCell(r, 'azurite')]),
      notes: [
        '"proxy CPU" is the process between the client and the backend: the minimal proxy or the facade. Every process (and the load generator) shares the same cores.',
        `The facade is its own process with the stack's settings, logging to a file (${fmt(rows.find((r) => r.facadeLogBytesPerRequest)?.facadeLogBytesPerRequest ?? NaN, 0)} bytes of log per call), not to a pipe the bench drains.`,
        OTHER_CORES_NOTE,
      ],
    }];
    const data: Record<string, unknown> = { seconds, rows };
    if (ctx.cpuProf) {
      await facade.stop(); // the profile is written as it exits
      const file = newestProfile();
      data.profile = file;
      tables.push({ title: `Facade CPU profile, c=16, top self time (${file})`, columns: ['self ms', 'self %', 'function', 'where'], rows: summarizeProfile(file, 25) });
      tables.push({ title: 'Facade CPU profile, self time by package', columns: ['self ms', 'self %', 'area'], rows: summarizeByArea(file).slice(0, 20) });
      return { name: 'rrs', tables, targets: [], data };
    }
    const find = (label: string, c: number) => rows.find((r) => r.label === label && r.concurrency === c)!;
    const compare: (string | number)[][] = [];
    const targetList = [];
    for (const c of [1, 16, 64]) {
      const d = find(targets.direct.label, c), p = find(targets.proxy.label, c), f = find(targets.facade.label, c);
      compare.push([c, fmt(f.rps / p.rps), fmt(p.p50Ms - d.p50Ms, 3), fmt(p.p99Ms - d.p99Ms, 3), fmt(f.p50Ms - d.p50Ms, 3), fmt(f.p99Ms - d.p99Ms, 3)]);
      if (c !== 1) targetList.push({ name: `RRS facade throughput / minimal proxy, c=${c}, counters on`, goal: '≥ 0.80×', measured: `${fmt(f.rps / p.rps)}×`, pass: f.rps / p.rps >= 0.8 && f.non2xx === 0 });
      if (c === 16) targetList.push({ name: 'RRS facade added p50 over direct, c=16', goal: '≤ 1 ms', measured: `${fmt(f.p50Ms - d.p50Ms, 3)} ms`, pass: f.p50Ms - d.p50Ms <= 1 });
    }
    tables.push({ title: 'RRS ratios', columns: ['c', 'facade / proxy req/s', 'proxy +p50 ms', 'proxy +p99 ms', 'facade +p50 ms', 'facade +p99 ms'], rows: compare, notes: ['+p50/+p99: added latency over direct to the backend.'] });
    if (ctx.wrk) {
      // The Node generator checked against wrk on the most latency-sensitive row.
      const spec: RowSpec = { label: 'direct', ...direct, concurrency: 16, seconds, pids };
      const node = await measureRow(spec, ctx.wrk, 'node');
      const w = find('direct', 16);
      data.generatorCheck = { wrk: w, node };
      tables.push({ title: 'Load generator check: direct, c=16', columns: ROW_COLUMNS, rows: [rowCells(w), rowCells(node)],
        notes: ['bench/lib/load.ts runs in the bench process (same cores); it is the fallback when wrk is absent.'] });
    }
    return { name: 'rrs', tables, targets: targetList, data };
  } finally {
    await proxy.stop();
    await facade.stop();
  }
}

function newestProfile(): string {
  const files = readdirSync(PROF_DIR).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(PROF_DIR, f));
  const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) throw new Error(`no .cpuprofile in ${PROF_DIR}`);
  return newest;
}
