// The local Functions host as a real process (dist/src/local/functions-host-main.js, built by `npm test`)
// serving the fixture app: plain Node ESM (no vitest interop), listening line, JSON logs, body limit from
// FUNCTIONS_REQUEST_BODY_SIZE_LIMIT, timers firing on their schedule, SIGTERM → exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';

const MAIN = 'dist/src/local/functions-host-main.js';
const ROOT = fileURLToPath(new URL('../fixtures/host-app/', import.meta.url));

interface Listening {
  event: string;
  url: string;
  functions: { name: string; trigger: string; route?: string; methods?: string[] }[];
}

describe('local Functions host process', () => {
  let child: ChildProcess;
  let exit: Promise<number | null>;
  let listening: Listening;
  const lines: Record<string, unknown>[] = [];
  const waiters: { test: (l: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  let stderr = '';

  /** Resolves when stdout has (or gets) a JSON line satisfying `test`. */
  const lineWhere = (test: (l: Record<string, unknown>) => boolean): Promise<void> =>
    lines.some(test) ? Promise.resolve() : new Promise((resolve) => waiters.push({ test, resolve }));

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        FUNCTIONS_APP_ROOT: ROOT,
        PORT: '0',
        FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '1024',
        FIXTURE_SUFFIX: 'sfx',
        FIXTURE_TICK_SCHEDULE: '* * * * * *',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = new Promise<Listening>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.event === 'listening') resolve(parsed as unknown as Listening);
        lines.push(parsed);
        for (const w of waiters.filter((w) => w.test(parsed))) w.resolve();
      });
      void exit.then((code) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
    });
    listening = await first;
  });

  afterAll(async () => {
    if (!child) return;
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('prints the listening line with what the app registered', () => {
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listening.functions).toContainEqual({ name: 'itemById', trigger: 'http', route: '/api/workspaces/{workspace}/items/{id:int}', methods: ['GET'] });
    expect(listening.functions).toContainEqual(expect.objectContaining({ name: 'tick', trigger: 'timer' }));
  });

  it('serves http functions and logs one JSON line per context.log', async () => {
    const res = await request(`${listening.url}/api/workspaces/w/items/7?q=x`);
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as { fn: string; params: unknown; invocationId: string };
    expect(body).toMatchObject({ fn: 'itemById', params: { workspace: 'w', id: '7' } });
    await lineWhere((l) => l.invocationId === body.invocationId);
    expect(lines.find((l) => l.invocationId === body.invocationId)).toEqual({
      level: 'information', function: 'itemById', invocationId: body.invocationId, message: 'matched itemById',
    });
  });

  it('takes the body limit from FUNCTIONS_REQUEST_BODY_SIZE_LIMIT', async () => {
    const ok = await request(`${listening.url}/api/upload`, { method: 'POST', body: Buffer.alloc(1000) });
    expect(ok.statusCode).toBe(200);
    await ok.body.dump();
    const tooBig = await request(`${listening.url}/api/upload`, { method: 'POST', body: Buffer.alloc(2000) });
    expect(tooBig.statusCode).toBe(413);
    expect(await tooBig.body.json()).toMatchObject({ error: { code: 'RequestEntityTooLarge', details: [{ code: 'RequestBodyTooLarge' }] } });
  });

  it('fires timers on their schedule', async () => {
    await lineWhere((l) => l.function === 'tick' && l.message === 'tick');
  });
});
