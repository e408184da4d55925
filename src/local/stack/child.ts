// A child process of the local stack: started with node, its output read line by line (kept for tests
// and optionally echoed with a name prefix), ready when a line says so, stopped with SIGTERM then SIGKILL.
// Children die with their parent even when it is killed outright: a Node.js child gets parent-watchdog.js
// preloaded (it stops when its parent is gone); another program (Python) is started, on Linux, through setpriv
// --pdeathsig, so the kernel sends it SIGTERM when the process that started it ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findProjectRoot } from './project.js';

export interface ChildOptions {
  name: string;
  /** A JavaScript file run with this Node.js, unless `command` names another program. */
  script: string;
  /** Another program to run (e.g. a Python interpreter); `script` is then its first argument, or '' for none. */
  command?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Returns a value once a line shows the child is ready. */
  ready: (line: string) => unknown;
  readyTimeoutMs?: number;
  echo?: boolean;
  /** Called with every line the child writes (after it is kept in `logs`). */
  onLine?: (line: string) => void;
}

export interface RunningChild<T> {
  name: string;
  process: ChildProcess;
  info: T;
  /** Every line the child wrote so far (stdout and stderr). */
  logs: string[];
  stop(): Promise<void>;
}

/** The compiled watchdog (next to this file in dist/, or in dist/ when this file runs from src/ under vitest). */
function watchdogPreload(): string[] {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.js')
    ? path.join(path.dirname(here), 'parent-watchdog.js')
    : path.join(findProjectRoot(here), 'dist', 'src', 'local', 'stack', 'parent-watchdog.js');
  return existsSync(file) ? ['--import', pathToFileURL(file).href] : [];
}

let pdeathsig: string[] | undefined;
/** `setpriv --pdeathsig SIGTERM --` where it is there and works (Linux, util-linux ≥ 2.33), else nothing. */
function parentDeathSignal(): string[] {
  if (pdeathsig) return pdeathsig;
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((file) => process.platform === 'linux' && existsSync(file));
  const works = setpriv !== undefined && spawnSync(setpriv, ['--pdeathsig', 'SIGTERM', '--', 'true'], { stdio: 'ignore' }).status === 0;
  pdeathsig = works ? [setpriv!, '--pdeathsig', 'SIGTERM', '--'] : [];
  return pdeathsig;
}

/** The program and arguments that start a child: node with the watchdog, or the program under setpriv. */
function commandLine(options: ChildOptions): [string, string[]] {
  const args = [...(options.script ? [options.script] : []), ...(options.args ?? [])];
  if (!options.command) return [process.execPath, [...watchdogPreload(), ...args]];
  // Only a program that is there: a missing one still fails to spawn with ENOENT, as it did.
  const [wrapper, ...wrapperArgs] = path.isAbsolute(options.command) && existsSync(options.command) ? parentDeathSignal() : [];
  return wrapper ? [wrapper, [...wrapperArgs, options.command, ...args]] : [options.command, args];
}

export function startChild<T>(options: ChildOptions): Promise<RunningChild<T>> {
  const [command, args] = commandLine(options);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const stop = () => stopChild(child);
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${options.name} was not ready within ${options.readyTimeoutMs ?? 30_000} ms`)), options.readyTimeoutMs ?? 30_000);
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n--- ${options.name} output ---\n${logs.slice(-30).join('\n')}`));
    }
    function onLine(line: string): void {
      logs.push(line);
      options.onLine?.(line);
      if (options.echo) process.stdout.write(`[${options.name}] ${line}\n`);
      if (settled) return;
      const info = options.ready(line);
      if (info !== undefined && info !== null && info !== false) {
        settled = true;
        clearTimeout(timer);
        resolve({ name: options.name, process: child, info: info as T, logs, stop });
      }
    }
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('error', (error) => fail(error));
    child.once('exit', (code, signal) => fail(new Error(`${options.name} exited early (code ${code}, signal ${signal})`)));
  });
}

export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Parses a `{"event":"listening",...}` line printed by the project's own processes. */
export function listeningLine<T extends { url: string }>(line: string): T | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { event?: string } & T;
    return parsed.event === 'listening' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
