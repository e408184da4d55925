// Cold start: import time of every compiled app entry (dist/src/functions/*.js) vs `@azure/functions` alone,
// each in a fresh node with the functions-core stand-in installed first (as the worker provides it), median of
// several runs; the heavy dependencies alone for where the time goes; and spawn → first answered RRS call.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { startFacade } from '../../src/local/stack/start-stack.js';
import { facadeRrsUrl, RRS_BODY, type BenchContext } from '../lib/context.js';
import { fmt, type ScenarioResult } from '../lib/report.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Runs `imports` (specifiers or file URLs) in a fresh node; returns the ms their import took. */
function timeImport(root: string, imports: string[]): Promise<number> {
  const shim = pathToFileURL(path.join(root, 'dist', 'src', 'local', 'host', 'core-shim.js')).href;
  const code = `import { installCoreShim } from ${JSON.stringify(shim)}; installCoreShim();
const t = performance.now(); for (const m of ${JSON.stringify(imports)}) await import(m); console.log('IMPORT_MS', performance.now() - t);`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', code], { cwd: root, timeout: 30_000 }, (error, stdout) => {
      const match = /IMPORT_MS (\S+)/.exec(stdout);
      if (error || !match) reject(error ?? new Error(`no timing printed: ${stdout}`));
      else resolve(Number(match[1]));
    });
  });
}

async function firstRrs(ctx: BenchContext): Promise<{ listeningMs: number; firstOkMs: number; firstCallMs: number; tries: number }> {
  const t0 = performance.now();
  const facade = await startFacade(ctx.stack.facadeEnv, 0);
  const listeningMs = performance.now() - t0;
  try {
    const url = facadeRrsUrl(facade.info.url, ctx.stack);
    for (let tries = 1; performance.now() - t0 < 30_000; tries++) {
      const t = performance.now();
      const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': ctx.stack.demo.subscriptionKey }, body: RRS_BODY });
      await res.body.dump();
      if (res.statusCode === 200) return { listeningMs, firstOkMs: performance.now() - t0, firstCallMs: performance.now() - t, tries };
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('no 200 from RRS within 30 s of spawning the facade');
  } finally {
    await facade.stop();
  }
}

export async function coldstartScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const runs = ctx.quick ? 3 : 7;
  const dir = path.join(ctx.root, 'dist', 'src', 'functions');
  const entries = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => pathToFileURL(path.join(dir, f)).href);
  const functionsOnly = ['@azure/functions'];
  const app: number[] = [], lib: number[] = [];
  for (let i = 0; i < runs; i++) {
    lib.push(await timeImport(ctx.root, functionsOnly)); // alternated so drift hits both alike
    app.push(await timeImport(ctx.root, entries));
  }
  const deps = ['@azure/data-tables', '@azure/storage-blob', '@azure/keyvault-secrets', '@azure/identity', 'zod', 'undici'];
  const depRows: (string | number)[][] = [];
  for (const dep of deps) {
    const times: number[] = [];
    for (let i = 0; i < (ctx.quick ? 1 : 3); i++) times.push(await timeImport(ctx.root, ['@azure/functions', dep]));
    depRows.push([`@azure/functions + ${dep}`, fmt(median(times) - median(lib), 0)]);
  }
  const starts = [];
  for (let i = 0; i < (ctx.quick ? 1 : 3); i++) starts.push(await firstRrs(ctx));
  const ratio = median(app) / median(lib);
  const listening = median(starts.map((s) => s.listeningMs)), firstOk = median(starts.map((s) => s.firstOkMs));
  return {
    name: 'coldstart',
    tables: [
      { title: `Cold start: import time in a fresh node (median of ${runs})`, columns: ['what', 'median ms', 'runs ms'],
        rows: [
          ['@azure/functions alone', fmt(median(lib), 1), lib.map((x) => x.toFixed(0)).join(' ')],
          [`app entries (${entries.length} files in dist/src/functions)`, fmt(median(app), 1), app.map((x) => x.toFixed(0)).join(' ')],
        ],
        notes: [`ratio app / @azure/functions: ${fmt(ratio)}×`] },
      { title: 'Cold start: what each dependency adds over @azure/functions alone (ms, rough: shared modules counted once per row)', columns: ['import', '+ms'], rows: depRows },
      { title: `Cold start: facade process spawn → first answered RRS call (median of ${starts.length})`, columns: ['spawn → listening ms', 'spawn → first 200 ms', 'first call ms', 'tries'],
        rows: starts.map((s) => [fmt(s.listeningMs, 0), fmt(s.firstOkMs, 0), fmt(s.firstCallMs, 0), s.tries]).concat(starts.length > 1 ? [[`median ${fmt(listening, 0)}`, `median ${fmt(firstOk, 0)}`, '', '']] : []) },
    ],
    targets: [{ name: 'App import time / @azure/functions alone', goal: '≤ 1.30×', measured: `${fmt(ratio)}× (${fmt(median(app), 0)} vs ${fmt(median(lib), 0)} ms)`, pass: ratio <= 1.3 }],
    data: { runs, lib, app, entries, deps: depRows, starts },
  };
}
