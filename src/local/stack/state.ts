// The local stack's state on disk, kept across restarts: by default under the project's .local/ (STACK_STATE_DIR
// moves it, e.g. to a temporary directory in tests).
//   azurite/      Azurite's data (the facade's tables and blobs: catalogue, subscriptions, jobs, usage)
//   secrets.json  the generated keys (admin, credential sealing, backend, endpoint, token signing) and the demo
//                 subscription, mode 600, reused so that saved keys go on working
//   stack.json    the running stack's URLs, keys and facade settings (removed when it stops)
// `npm run reset` / `npm start -- --fresh` remove these three; never backends-venv (the model servers' Python) or certs.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { newKey } from '../../lib/auth/keys.js';

export const StackKeys = z.object({
  admin: z.string().min(32),
  credential: z.string().min(32),
  backend: z.string().min(32),
  endpoint: z.string().min(32),
  signing: z.string().min(32),
});
export type StackKeys = z.infer<typeof StackKeys>;

const DemoSubscription = z.object({ id: z.string().min(1), primaryKey: z.string().min(1) });
export type DemoSubscription = z.infer<typeof DemoSubscription>;

const SavedState = z.object({ keys: StackKeys, demoSubscription: DemoSubscription.optional() });
export type SavedState = z.infer<typeof SavedState>;

/** STACK_STATE_DIR, else <project>/.local. */
export function stateDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.STACK_STATE_DIR ? path.resolve(env.STACK_STATE_DIR) : path.join(root, '.local');
}

export function stateFiles(dir: string): { azurite: string; secrets: string; stack: string } {
  return { azurite: path.join(dir, 'azurite'), secrets: path.join(dir, 'secrets.json'), stack: path.join(dir, 'stack.json') };
}

export function newKeys(): StackKeys {
  return { admin: newKey(), credential: newKey(), backend: newKey(), endpoint: newKey(), signing: newKey() };
}

/** The saved state, or a new one (saved at once); a damaged file is an error naming it. */
export function loadState(dir: string): SavedState {
  const file = stateFiles(dir).secrets;
  if (!existsSync(file)) {
    const state = { keys: newKeys() };
    saveState(dir, state);
    return state;
  }
  let parsed;
  try {
    parsed = SavedState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) throw new Error(`${file} is damaged: remove it, or start clean with "npm run reset"`);
  return parsed.data;
}

/** Writes a file readable by its owner only, replacing any old one whole (never half-written). */
export function writePrivate(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}

export function saveState(dir: string, state: SavedState): void {
  writePrivate(stateFiles(dir).secrets, JSON.stringify(state, null, 2) + '\n');
}

/** Removes the data and the keys; returns what was there. */
export function resetState(dir: string): string[] {
  const files = stateFiles(dir);
  const there = [files.azurite, files.secrets, files.stack].filter((file) => existsSync(file));
  for (const file of there) rmSync(file, { recursive: true, force: true });
  return there;
}

/** The pid recorded in stack.json when that process is still a local stack (Linux checks its command line). */
export function runningStackPid(dir: string): number | undefined {
  let pid: unknown;
  try {
    pid = (JSON.parse(readFileSync(stateFiles(dir).stack, 'utf8')) as { pid?: unknown }).pid;
  } catch {
    return undefined;
  }
  return typeof pid === 'number' && pid !== process.pid && isStackProcess(pid) ? pid : undefined;
}

export function isStackProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('stack.js');
  } catch {
    return process.platform !== 'linux';
  }
}

/** Whether a port can be listened on now: undefined when it can, else why not (one line). */
export function portProblem(port: number, host: string): Promise<string | undefined> {
  if (port === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(`port ${port} is in use; set PORT or use PORT=0`);
      else if (error.code === 'EACCES') resolve(`port ${port} needs privileges here; set PORT (above 1023) or use PORT=0`);
      else resolve(`cannot listen on ${host}:${port} (${error.code ?? error.message}); set PORT or use PORT=0`);
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** Whether something accepts connections at the URL's host and port within `timeoutMs`. */
export function answers(url: string, timeoutMs = 1_500): Promise<boolean> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(false);
  }
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  return new Promise((resolve) => {
    const socket = connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
