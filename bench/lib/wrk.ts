// wrk (C, epoll, HdrHistogram in µs) as the load generator: found on PATH or installed with apt-get when the
// bench runs as root; a Lua done() hook prints the figures as one JSON line, since wrk's own text rounds them.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface WrkOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  concurrency: number;
  durationSeconds: number;
}

export interface WrkResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers outside 2xx/3xx (wrk does not tell them apart). */
  non2xx: number;
  socketErrors: number;
}

/** wrk's path, and how it was found; undefined path when it is absent and could not be installed. */
export function findWrk(): { path?: string; note: string } {
  const onPath = () => {
    for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/bin', '/usr/local/bin')) {
      const file = path.join(dir, 'wrk');
      if (dir && existsSync(file)) return file;
    }
    return undefined;
  };
  const found = onPath();
  if (found) return { path: found, note: `wrk found at ${found}` };
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    try {
      execFileSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'ignore', timeout: 120_000 });
      const installed = onPath();
      if (installed) return { path: installed, note: `wrk installed with apt-get at ${installed}` };
    } catch {
      // fall through: the Node generator takes over
    }
  }
  return { note: 'wrk not found and not installable here (apt-get install wrk): using the Node load generator bench/lib/load.ts' };
}

const luaString = (text: string) => {
  let eq = '';
  while (text.includes(`]${eq}]`)) eq += '=';
  return `[${eq}[${text}]${eq}]`;
};

function script(options: WrkOptions): string {
  const lines = [`wrk.method = ${luaString(options.method ?? 'POST')}`];
  if (options.body !== undefined) lines.push(`wrk.body = ${luaString(options.body)}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) lines.push(`wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`);
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format("\\nWRK_JSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"status\\":%d,\\"socket\\":%d,' +
      '\\"p50\\":%.1f,\\"p90\\":%.1f,\\"p99\\":%.1f,\\"max\\":%.1f}\\n",',
    '    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,',
    '    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))',
    'end',
  );
  return lines.join('\n') + '\n';
}

export async function runWrk(wrk: string, options: WrkOptions): Promise<WrkResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-wrk-'));
  const file = path.join(dir, 'load.lua');
  writeFileSync(file, script(options));
  try {
    // One thread: on a small machine wrk's CPU is taken from the processes under test.
    const args = ['-t1', `-c${options.concurrency}`, `-d${Math.max(1, Math.round(options.durationSeconds))}s`, '--timeout', '10s', '-s', file, options.url];
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(wrk, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), (options.durationSeconds + 30) * 1000);
      child.once('error', reject);
      child.once('exit', (code) => {
        clearTimeout(killer);
        if (code === 0) resolve(text);
        else reject(new Error(`wrk exited with ${code}: ${text.slice(-500)}`));
      });
    });
    const line = /WRK_JSON (\{.*\})/.exec(out);
    if (!line) throw new Error(`wrk printed no figures: ${out.slice(-500)}`);
    const j = JSON.parse(line[1]!) as Record<string, number>;
    const ms = (us: number | undefined) => (us ?? NaN) / 1000;
    return {
      requests: j.requests!,
      rps: j.requests! / (j.duration_us! / 1e6),
      p50Ms: ms(j.p50), p90Ms: ms(j.p90), p99Ms: ms(j.p99), maxMs: ms(j.max),
      non2xx: j.status!,
      socketErrors: j.socket!,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
