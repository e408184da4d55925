// `npm run bench [-- --quick] [-- --only=rrs,counters,upload,poller,coldstart,stalled-uploads,adapters,batch-poller] [-- --cpu-prof]`: starts the local
// stack on loopback, runs the scenarios in order, prints a table per scenario and the targets with PASS/MISS, and
// writes bench/results/bench-<time>.json. --cpu-prof profiles the facade on the RRS c=16 row only (/tmp/prof).
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { startStack } from '../src/local/stack/start-stack.js';
import { findProjectRoot } from '../src/local/stack/project.js';
import type { BenchContext } from './lib/context.js';
import { findWrk } from './lib/wrk.js';
import { machine, printTable, targetsTable, writeResults, type ScenarioResult } from './lib/report.js';
import { rrsScenario } from './scenarios/rrs.js';
import { countersScenario } from './scenarios/counters.js';
import { uploadScenario } from './scenarios/upload.js';
import { pollerScenario } from './scenarios/poller.js';
import { coldstartScenario } from './scenarios/coldstart.js';
import { stalledUploadsScenario } from './scenarios/stalled-uploads.js';
import { adaptersScenario } from './scenarios/adapters.js';
import { batchPollerScenario } from './scenarios/batch-poller.js';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  rrs: rrsScenario, counters: countersScenario, upload: uploadScenario, poller: pollerScenario, coldstart: coldstartScenario, 'stalled-uploads': stalledUploadsScenario, adapters: adaptersScenario, 'batch-poller': batchPollerScenario,
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const cpuProf = args.includes('--cpu-prof');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').filter(Boolean);
const unknown = (only ?? []).filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}`);
const chosen = cpuProf ? ['rrs'] : (only ?? Object.keys(SCENARIOS));

const started = performance.now();
const root = findProjectRoot();
const wrk = findWrk();
console.log(`ml-facade bench${quick ? ' --quick' : ''}: ${chosen.join(', ')}`);
console.log(`load generator: ${wrk.note}`);
const stack = await startStack({
  port: 0,
  // The poller scenario drives pollDueJobs itself; the backend runs many tiny BES jobs at once.
  facadeEnv: { BES_POLL_SCHEDULE: '0 0 0 1 1 *' },
  referenceEnv: { REFERENCE_BES_CONCURRENCY: '64' },
  // The adapters scenario measures the real model servers (prepared on first use, like npm start).
  models: chosen.includes('adapters') || chosen.includes('batch-poller') ? 'optional' : 'off',
});
const ctx: BenchContext = { quick, stack, root, wrk: wrk.path, cpuProf };
const results: ScenarioResult[] = [];
let failure: unknown;
try {
  for (const name of chosen) {
    const t0 = performance.now();
    const load = os.loadavg()[0]!;
    console.log(`\n## ${name} (machine load average ${load.toFixed(2)} on ${os.cpus().length} cpus as it starts)`);
    const result = await SCENARIOS[name]!(ctx);
    result.seconds = (performance.now() - t0) / 1000;
    result.loadAverageAtStart = load;
    results.push(result);
    for (const table of result.tables) printTable(table);
    console.log(`\n(${name}: ${result.seconds.toFixed(1)} s)`);
  }
} catch (error) {
  failure = error;
} finally {
  await stack.stop();
}
const targets = results.flatMap((r) => r.targets);
if (targets.length > 0) printTable(targetsTable(targets));
const totalSeconds = (performance.now() - started) / 1000;
const file = writeResults(root, {
  when: new Date().toISOString(), git: gitState(root), quick, cpuProf, scenarios: chosen, machine: machine(), loadGenerator: wrk.note, totalSeconds, targets,
  results: results.map((r) => ({ name: r.name, seconds: r.seconds, loadAverageAtStart: r.loadAverageAtStart, data: r.data, tables: r.tables })),
  error: failure === undefined ? undefined : String(failure instanceof Error ? failure.stack : failure),
});
console.log(`\ntotal ${totalSeconds.toFixed(1)} s; written ${file}`);
if (failure) {
  console.error(failure);
  process.exit(1);
}
process.exit(0); // undici pools opened in-process (poller scenario) would otherwise keep the loop alive

/** Which code was measured (read-only git calls): the commit and the files changed on top of it. */
function gitState(cwd: string): { commit: string; changedFiles: string[] } | undefined {
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd, encoding: 'utf8' }).trim();
    return { commit: git('rev-parse', 'HEAD'), changedFiles: git('status', '--porcelain').split('\n').filter(Boolean) };
  } catch {
    return undefined;
  }
}
