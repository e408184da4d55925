// The local stack as a user runs it (`node dist/src/local/stack.js`, what `npm start` runs after building), each start
// in a state directory of its own (STACK_STATE_DIR, so the developer's .local/ is never touched), the model servers
// off (BACKENDS_PYTHON=/nonexistent: 'optional' goes on without them). Checks that a stop signal to that one process
// leaves none of the stack's processes behind, that even SIGKILL does (the children watch their parent), that keys
// and the demo subscription survive a restart and --fresh / --reset clear them, that a busy or bad PORT fails at
// once in one line, and that `npm run facade` against a stack that is gone says so in one line.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { findProjectRoot } from '../../src/local/stack/project.js';

const ROOT = findProjectRoot();
const STACK = path.join(ROOT, 'dist', 'src', 'local', 'stack.js');
const FACADE = path.join(ROOT, 'dist', 'src', 'local', 'facade.js');
const dirs: string[] = [];
const started: ChildProcess[] = [];

function stateDirectory(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ml-facade-stack-'));
  dirs.push(dir);
  return dir;
}

/** The environment of a user's shell: no npm variables (the stack would watch npm), the model servers off. */
function userEnv(stateDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
  return { ...env, PORT: '0', STACK_ECHO: '0', BACKENDS_PYTHON: '/nonexistent', STACK_STATE_DIR: stateDir, ...extra };
}

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const t0 = performance.now();
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, ms: performance.now() - t0 })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls `check` every 25 ms until it returns a value other than undefined/false, or fails after `ms`. */
async function until<T>(what: string, ms: number, check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface StackFile {
  pid: number;
  pids: Record<string, number>;
  facadeUrl: string;
  adminKey: string;
  demo: { workspace: string; service: string; subscriptionKey: string };
}

/** Starts the stack and waits until it says it is up; its stack.json. */
async function startStack(stateDir: string, args: string[] = []): Promise<{ run: Run; info: StackFile }> {
  const r = run(STACK, args, userEnv(stateDir));
  let exit: { code: number | null } | undefined;
  void r.exited.then((e) => (exit = e));
  await until('the stack is up', 60_000, () => {
    if (exit) throw new Error(`the stack exited (code ${exit.code}):\n${r.stdout()}\n${r.stderr()}`);
    return r.stdout().includes('ml-facade is up in');
  });
  const info = JSON.parse(readFileSync(path.join(stateDir, 'stack.json'), 'utf8')) as StackFile;
  return { run: r, info };
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Every process below `pid` (Linux /proc: each thread's children, recursively). */
function descendants(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const child of children.split(' ').filter(Boolean).map(Number)) found.push(child, ...descendants(child));
  }
  return found;
}

async function rrs(info: StackFile, key: string): Promise<number> {
  const url = `${info.facadeUrl}/workspaces/${info.demo.workspace}/services/${info.demo.service}/execute?api-version=2.0`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day']] } }, GlobalParameters: {} }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Sends `signal` to the stack and measures how long until neither it nor any process it started is left. */
async function stopAll(stack: { run: Run; info: StackFile }, signal: NodeJS.Signals): Promise<{ ms: number; code: number | null }> {
  const pids = [...new Set([...descendants(stack.run.child.pid!), ...Object.values(stack.info.pids)])];
  expect(pids.length).toBeGreaterThanOrEqual(4); // Azurite, Key Vault, reference service, facade
  const t0 = performance.now();
  process.kill(stack.run.child.pid!, signal);
  const exit = await stack.run.exited;
  await until(`no process of the stack left after ${signal}`, 10_000, () => pids.every((pid) => !alive(pid)));
  return { ms: performance.now() - t0, code: exit.code };
}

const timings: Record<string, string> = {};

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  console.log(`stack lifecycle timings: ${JSON.stringify(timings)}`);
});

describe('the local stack as a user runs it', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} to the stack process stops every process it started, within 10 s`, async () => {
      const dir = stateDirectory();
      const stack = await startStack(dir);
      const { ms, code } = await stopAll(stack, signal);
      timings[signal] = `${(ms / 1000).toFixed(2)} s`;
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
      expect(existsSync(path.join(dir, 'stack.json'))).toBe(false); // nothing claims a stack is running
    }, 60_000);
  }

  it('SIGKILL to the stack process: its children notice and stop by themselves', async () => {
    const stack = await startStack(stateDirectory());
    const { ms } = await stopAll(stack, 'SIGKILL');
    timings.SIGKILL = `${(ms / 1000).toFixed(2)} s`;
    expect(ms).toBeLessThan(10_000);
  }, 60_000);

  it('keeps the keys and the demo subscription across restarts; --fresh and --reset clear them', async () => {
    const dir = stateDirectory();
    const first = await startStack(dir);
    expect(first.run.stdout()).toMatch(/local state .*\(new;/);
    const key = first.info.demo.subscriptionKey;
    expect(await rrs(first.info, key)).toBe(200);
    await stopAll(first, 'SIGTERM');
    expect(statMode(path.join(dir, 'secrets.json'))).toBe(0o600);

    const t0 = performance.now();
    const second = await startStack(dir);
    timings.restart = `${((performance.now() - t0) / 1000).toFixed(2)} s`;
    expect(second.run.stdout()).toMatch(/local state .*\(kept from the last start/);
    expect(second.info.demo.subscriptionKey).toBe(key);
    expect(second.info.adminKey).toBe(first.info.adminKey);
    expect(await rrs(second.info, key)).toBe(200);
    // No second demo subscription: the one recorded is reused.
    const subscriptions = await fetch(`${second.info.facadeUrl}/manage/subscriptions`, { headers: { 'x-admin-key': second.info.adminKey } });
    const list = (await subscriptions.json()) as unknown;
    const items = (Array.isArray(list) ? list : ((list as { items?: unknown[]; value?: unknown[] }).items ?? (list as { value?: unknown[] }).value ?? [])) as { name?: string }[];
    expect(items.filter((s) => s.name === 'demo')).toHaveLength(1);
    await stopAll(second, 'SIGINT');

    const fresh = await startStack(dir, ['--fresh']);
    expect(fresh.run.stdout()).toContain('Removed the local state');
    expect(fresh.info.demo.subscriptionKey).not.toBe(key);
    expect(fresh.info.adminKey).not.toBe(first.info.adminKey);
    expect(await rrs(fresh.info, key)).toBe(401);
    expect(await rrs(fresh.info, fresh.info.demo.subscriptionKey)).toBe(200);

    // --reset refuses while the stack runs, then removes the data and keys.
    const refused = run(STACK, ['--reset'], userEnv(dir));
    expect((await refused.exited).code).not.toBe(0);
    expect(refused.stderr()).toContain('already running');
    await stopAll(fresh, 'SIGTERM');
    const reset = run(STACK, ['--reset'], userEnv(dir));
    expect((await reset.exited).code).toBe(0);
    expect(existsSync(path.join(dir, 'secrets.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'azurite'))).toBe(false);
  }, 120_000);

  it('a port in use: one line with the hint, non-zero, within 3 s', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const dir = stateDirectory();
      const r = run(STACK, [], userEnv(dir, { PORT: String(port) }));
      const exit = await r.exited;
      timings.portInUse = `${(exit.ms / 1000).toFixed(2)} s`;
      expect(exit.code).not.toBe(0);
      expect(exit.ms).toBeLessThan(3_000);
      expect(r.stderr().trim()).toBe(`port ${port} is in use; set PORT or use PORT=0`);
      expect(readdirSync(dir)).toEqual([]); // nothing was started or written
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  for (const port of ['abc', '70000', '-1', '1.5']) {
    it(`PORT=${port}: one line, no stack trace`, async () => {
      const r = run(STACK, [], userEnv(stateDirectory(), { PORT: port }));
      const exit = await r.exited;
      expect(exit.code).not.toBe(0);
      expect(r.stderr().trim().split('\n')).toEqual([`PORT must be a port number from 0 to 65535, got "${port}" (PORT=0 picks a free one)`]);
    });
  }

  it('npm run facade with a stack.json whose processes are gone: one clear line, non-zero', async () => {
    // A stack killed outright leaves its stack.json behind.
    const dir = stateDirectory();
    const stack = await startStack(dir);
    await stopAll(stack, 'SIGKILL');
    expect(existsSync(path.join(dir, 'stack.json'))).toBe(true);
    const facade = run(FACADE, [], userEnv(dir));
    const exit = await facade.exited;
    timings.staleFacade = `${(exit.ms / 1000).toFixed(2)} s`;
    expect(exit.code).not.toBe(0);
    expect(exit.ms).toBeLessThan(5_000);
    expect(facade.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^The local stack of .*stack\.json is not running \(its process \(pid \d+\) is gone\): start it with "npm start"\.$/)]);

    // Without a pid (an older stack.json): its storage and Key Vault do not answer.
    const info = JSON.parse(readFileSync(path.join(dir, 'stack.json'), 'utf8')) as Record<string, unknown>;
    delete info.pid;
    writeFileSync(path.join(dir, 'stack.json'), JSON.stringify(info));
    const again = run(FACADE, [], userEnv(dir));
    expect((await again.exited).code).not.toBe(0);
    expect(again.stderr().trim().split('\n')).toEqual([expect.stringMatching(/is not running \(nothing answers at https?:\/\/127\.0\.0\.1:\d+.*\): start it with "npm start"\.$/)]);

    // No stack.json at all.
    const none = run(FACADE, [], userEnv(stateDirectory()));
    expect((await none.exited).code).not.toBe(0);
    expect(none.stderr().trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('npm run facade joins a running stack and stops, with its host, on SIGTERM', async () => {
    const dir = stateDirectory();
    const stack = await startStack(dir);
    const facade = run(FACADE, [], userEnv(dir));
    await until('the extra facade serves', 30_000, () => facade.stdout().includes('Another facade instance is serving'));
    const url = /serving (\S+)/.exec(facade.stdout())![1]!;
    expect(await rrs({ ...stack.info, facadeUrl: url }, stack.info.demo.subscriptionKey)).toBe(200);
    const host = descendants(facade.child.pid!);
    expect(host.length).toBeGreaterThanOrEqual(1);
    const t0 = performance.now();
    facade.child.kill('SIGTERM');
    expect((await facade.exited).code).toBe(0);
    await until('the extra facade host is gone', 10_000, () => host.every((pid) => !alive(pid)));
    timings.facadeSigterm = `${((performance.now() - t0) / 1000).toFixed(2)} s`;
    await stopAll(stack, 'SIGTERM');
  }, 60_000);
});

function statMode(file: string): number {
  return statSync(file).mode & 0o777;
}
