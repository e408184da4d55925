// `npm start`: the whole stack on this machine with one command. Writes .local/stack.json, prints what to try, and
// stops every child process on SIGINT (Ctrl-C), SIGTERM or SIGHUP; the children also stop by themselves if this
// process is killed outright (see stack/child.ts). State persists in .local/ (STACK_STATE_DIR moves it): Azurite's
// data and the generated keys, so keys and subscriptions survive a restart.
//   node dist/src/local/stack.js            start (PORT: the facade's port, default 7071; PORT=0: any free port)
//   node dist/src/local/stack.js --fresh    start clean: the data and keys of earlier starts are removed first
//   node dist/src/local/stack.js --reset    remove them and exit (`npm run reset`)
import { createInterface } from 'node:readline';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SERVICES, startStack, type Stack, type StackInfo } from './stack/start-stack.js';
import { findProjectRoot } from './stack/project.js';
import { portSetting } from './env.js';
import { watchParent } from './stack/parent-watch.js';
import { loadState, portProblem, resetState, runningStackPid, saveState, stateDir, stateFiles, writePrivate } from './stack/state.js';

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const flags = process.argv.slice(2);
const unknown = flags.find((flag) => flag !== '--fresh' && flag !== '--reset');
if (unknown) fail(`unknown option ${unknown.slice(0, 40)}: the options are --fresh (start clean) and --reset (remove the local state and exit)`, 2);
let port = 7071;
try {
  port = portSetting(process.env, 'PORT', 7071);
} catch (error) {
  fail(`${(error as Error).message} (PORT=0 picks a free one)`, 2);
}
const root = findProjectRoot();
const dir = stateDir(root);
const files = stateFiles(dir);
const shown = (file: string) => path.relative(process.cwd(), file) || file;

const running = runningStackPid(dir);
if (running) fail(`a local stack is already running from ${shown(dir)} (pid ${running}): stop it first (kill ${running}), or set STACK_STATE_DIR for another one`);
if (flags.includes('--reset') || flags.includes('--fresh')) {
  const removed = resetState(dir);
  console.log(removed.length ? `Removed the local state: ${removed.map(shown).join(', ')}.` : `No local state in ${shown(dir)} to remove.`);
  if (flags.includes('--reset')) process.exit(0);
}
const host = process.env.HOST || '127.0.0.1';
const busy = await portProblem(port, host);
if (busy) fail(busy);

let saved;
try {
  saved = loadState(dir);
} catch (error) {
  fail((error as Error).message);
}

// Stopping: the first signal stops every child (SIGTERM, then SIGKILL after 5 s) and exits; a second one exits at
// once (the children then stop by themselves). Before the stack is up there is nothing to stop in order: exiting is
// enough, as every child started so far notices and stops.
let stack: Stack | undefined;
let stopping = false;
async function shutdown(code: number, why?: string): Promise<void> {
  if (stopping || !stack) {
    for (const child of stack?.children ?? []) child.process.kill('SIGKILL');
    process.exit(code);
  }
  stopping = true;
  console.log(`\n${why ?? 'Stopping'}…`);
  setTimeout(() => process.exit(code || 1), 15_000).unref();
  await stack.stop();
  rmSync(files.stack, { force: true });
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
// Run by npm (`npm start`: npm, then sh -c, then node), a signal to npm may not reach this process: npm forwards it to
// the shell, which dies (SIGTERM) or waits (SIGINT), and npm itself dies of SIGHUP. So stop when either is gone.
if (process.env.npm_lifecycle_event) watchParent((why) => void shutdown(0, `Stopping: ${why}`), { ancestors: 1 });

const started = performance.now();
console.log('Starting the local stack: Azurite, Key Vault stand-in, reference ML service, model servers, facade…');
// Quiet by default: the summary, then one short line per call. STACK_ECHO=1 shows every child's output, prefixed.
const storageAuth = process.env.STACK_STORAGE_AUTH === 'identity' ? 'identity' : 'key';
if (process.env.STACK_STORAGE_AUTH && process.env.STACK_STORAGE_AUTH !== storageAuth) fail('STACK_STORAGE_AUTH is key (the default) or identity', 2);
try {
  stack = await startStack({
    port,
    echo: process.env.STACK_ECHO === '1',
    models: 'optional',
    storageAuth,
    stateDir: dir,
    azurite: { persistLocation: files.azurite },
    keys: saved.keys,
    ...(saved.demoSubscription ? { demoSubscription: saved.demoSubscription } : {}),
  });
} catch (error) {
  fail(`The local stack did not start: ${error instanceof Error ? error.message : String(error)}`);
}
for (const child of stack.children) {
  child.process.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${child.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping the stack.`);
    void shutdown(1);
  });
}
saveState(dir, { keys: stack.keys, demoSubscription: stack.demoSubscription });
const reused = saved.demoSubscription?.id === stack.demoSubscription.id;

const services = `${stack.facadeUrl}/workspaces/${stack.demo.workspace}/services`;
const modelLines = stack.models
  ? `The same model on the real model servers (same input, same answer):
  Azure ML online (MLflow deployment)   ${services}/${DEMO_SERVICES.azuremlMlflow}/execute?api-version=2.0
  Azure ML online (classic score.py)    ${services}/${DEMO_SERVICES.azuremlClassic}/execute?api-version=2.0
  Open Inference Protocol (MLServer)    ${services}/${DEMO_SERVICES.oip}/execute?api-version=2.0
  Azure ML batch endpoint (BES jobs)    ${services}/${DEMO_SERVICES.azuremlBatch}/jobs?api-version=2.0`
  : `Model servers not started: ${stack.modelsMissing} (the classic demo works without them).`;

const info: StackInfo = {
  facadeUrl: stack.facadeUrl,
  adminKey: stack.adminKey,
  demo: stack.demo,
  storageConnectionString: stack.storageConnectionString,
};
const pids = Object.fromEntries(stack.children.map((child) => [child.name, child.process.pid]));
writePrivate(files.stack, JSON.stringify({ ...info, pid: process.pid, pids, facadeSettings: stack.facadeSettings }, null, 2) + '\n');

const stackFile = shown(files.stack);
const requirable = stackFile.startsWith('..') || path.isAbsolute(stackFile) ? path.resolve(files.stack) : `./${stackFile}`;
const executeUrl = `${stack.facadeUrl}/workspaces/${stack.demo.workspace}/services/${stack.demo.service}/execute?api-version=2.0&details=true`;
console.log(`
ml-facade is up in ${((performance.now() - started) / 1000).toFixed(1)} s.
  facade          ${stack.facadeUrl}   (a landing page)
  portal          ${stack.facadeUrl}/portal   (the API reference, try-it with the demo key)
  dashboard       ${stack.facadeUrl}/manage/dashboard   (the admin key: "adminKey" in ${stackFile})
  health          ${stack.facadeUrl}/health
  reference ML    ${stack.backend.url}
  Key Vault       ${stack.keyVault.url}
  settings, keys  ${stackFile}
  local state     ${shown(dir)} (${reused ? 'kept from the last start: same keys, same subscriptions' : 'new'}; npm run reset starts clean)

Try it (the key is the demo subscription key from ${stackFile}):
  curl -s -X POST '${executeUrl}' \\
    -H "Authorization: Bearer $(node -p "require('${requirable}').demo.subscriptionKey")" \\
    -H 'Content-Type: application/json' \\
    -d '{"Inputs":{"input1":{"ColumnNames":["Col2"],"Values":[["This is a good day"]]}},"GlobalParameters":{}}'

${modelLines}

Ctrl-C (or SIGTERM, SIGHUP to pid ${process.pid}) stops everything. One line per call follows; STACK_ECHO=1 shows everything.`);
if (process.env.STACK_ECHO !== '1') followCalls(stack.children.find((c) => c.name === 'facade')?.process.stdout ?? undefined);

/** One short human line per data-plane call, from the facade's per-call record (ids and numbers only, never a key). */
function followCalls(stdout: NodeJS.ReadableStream | undefined): void {
  if (!stdout) return;
  createInterface({ input: stdout }).on('line', (line) => {
    if (!line.includes('gatewayCall')) return;
    try {
      const outer = JSON.parse(line) as { message?: string };
      const call = JSON.parse(outer.message ?? line) as Record<string, string | number | null>;
      if (call.event !== 'gatewayCall') return;
      const who = call.subscriptionId === 'anonymous' ? 'no valid key' : `subscription ${String(call.subscriptionId).slice(0, 8)}…`;
      const time = new Date().toTimeString().slice(0, 8);
      console.log(`${time}  ${call.operation} ${call.workspace}/${call.service} → ${call.status} in ${call.latencyMs} ms (${who}${call.backendMs !== null ? `, backend ${call.backendMs} ms` : ''})`);
    } catch {
      // not a call record
    }
  });
}
