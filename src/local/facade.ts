// `npm run facade`: one more facade process joining a running local stack (no emulators, no seeding), from
// the settings in .local/stack.json (STACK_STATE_DIR moves it), on PORT — as a scaled-out instance of the Function
// App would. It checks first that the stack answers, and stops when the stack does, or on SIGINT, SIGTERM, SIGHUP.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { startFacade } from './stack/start-stack.js';
import { findProjectRoot } from './stack/project.js';
import { portSetting } from './env.js';
import { watchParent } from './stack/parent-watch.js';
import { answers, isStackProcess, portProblem, stateDir, stateFiles } from './stack/state.js';

const StackFile = z.object({ pid: z.number().int().optional(), facadeSettings: z.record(z.string(), z.string()) });

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

let port = 7072;
try {
  port = portSetting(process.env, 'PORT', 7072);
} catch (error) {
  fail(`${(error as Error).message} (PORT=0 picks a free one)`, 2);
}
const file = stateFiles(stateDir(findProjectRoot())).stack;
let stack: z.infer<typeof StackFile>;
try {
  stack = StackFile.parse(JSON.parse(readFileSync(file, 'utf8')));
} catch {
  fail(`No usable ${file}: start the stack first with "npm start".`);
}
const settings = stack.facadeSettings;

// A stack.json outlives a stack killed outright: the stack is running when its process is and its storage and Key
// Vault answer (at most a few seconds to tell).
const storageUrl = settings.AzureWebJobsStorage__blobServiceUri ?? /BlobEndpoint=([^;]+)/.exec(settings.AzureWebJobsStorage ?? '')?.[1];
const needed = [storageUrl, settings.KEY_VAULT_URL].filter((url): url is string => Boolean(url));
const silent = stack.pid !== undefined && !isStackProcess(stack.pid)
  ? `its process (pid ${stack.pid}) is gone`
  : (await Promise.all(needed.map(async (url) => ((await answers(url)) ? undefined : `nothing answers at ${url}`)))).find(Boolean);
if (silent) fail(`The local stack of ${file} is not running (${silent}): start it with "npm start".`);
const busy = await portProblem(port, process.env.HOST || '127.0.0.1');
if (busy) fail(busy);

let facade: Awaited<ReturnType<typeof startFacade>> | undefined;
let stopping = false;
function stop(code: number, why?: string): void {
  if (why) console.error(why);
  if (stopping || !facade) process.exit(code); // before it is up (or a second signal): its host stops by itself
  stopping = true;
  void facade.stop().then(() => process.exit(code));
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(0));
// Run by npm, a signal to npm may not reach this process (see stack.ts): stop when npm or its shell is gone.
if (process.env.npm_lifecycle_event) watchParent((why) => stop(0, `Stopping: ${why}.`), { ancestors: 1 });

try {
  facade = await startFacade({ ...process.env, ...settings }, port, true);
} catch (error) {
  fail(`The facade did not start: ${error instanceof Error ? error.message : String(error)}`);
}
console.log(`Another facade instance is serving ${facade.info.url} (Ctrl-C stops it).`);
facade.process.once('exit', (code) => {
  if (!stopping) process.exit(code ?? 1);
});
// A scaled-out instance without its stack is of no use: it stops when the stack does.
const stackPid = stack.pid;
if (stackPid !== undefined) {
  setInterval(() => {
    if (!isStackProcess(stackPid)) stop(1, `The local stack (pid ${stackPid}) stopped; stopping this facade too.`);
  }, 1_000).unref();
}
