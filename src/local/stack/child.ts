// A child process of the local stack: started with node, its output read line by line (kept for tests
// and optionally echoed with a name prefix), ready when a line says so, stopped with SIGTERM then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

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

export function startChild<T>(options: ChildOptions): Promise<RunningChild<T>> {
  const args = [...(options.script ? [options.script] : []), ...(options.args ?? [])];
  const child = spawn(options.command ?? process.execPath, args, {
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
