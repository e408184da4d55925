// Stalled uploads: 40 clients each announce a 100 MB CSV upload, send 20 MB and go silent (what the round-two
// attack did to take a facade from 88 to 801 MB). A fresh facade with a short idle limit serves them; its RSS is
// sampled from before the first byte until every upload has been answered. Each upload should hold at most its
// two buffers, the sum stay under UPLOAD_MEMORY_MB, and every one end with 408 (idle) or 503 (budget full).
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { startMeasuredFacade } from '../lib/facade.js';
import type { BenchContext } from '../lib/context.js';
import { sampleRss, statusBytes } from '../lib/proc.js';
import { fmt, MiB, type ScenarioResult } from '../lib/report.js';

const UPLOADS = 40;
const ANNOUNCED = 100 * MiB;
const IDLE_SECONDS = 10;
const OVERHEAD_MB = 64;

/** Sends `sent` bytes of an announced upload, then nothing: resolves with the status the facade answers. */
function stalledUpload(url: URL, path: string, key: string, sent: number): { answered: Promise<number>; socket: Socket } {
  const socket = connect(Number(url.port), url.hostname);
  const answered = new Promise<number>((resolve) => {
    let head = '';
    socket.on('data', (d) => {
      head += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m) resolve(Number(m[1]));
    });
    socket.on('error', () => resolve(0));
    socket.on('close', () => resolve(0));
  });
  socket.on('connect', async () => {
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${url.host}\r\nocp-apim-subscription-key: ${key}\r\ncontent-type: text/csv\r\ncontent-length: ${ANNOUNCED}\r\n\r\n`);
    const chunk = Buffer.from('Col1,Col2\n'.padEnd(64 * 1024 - 1, 'x') + '\n');
    for (let written = 0; written < sent && !socket.destroyed; written += chunk.length) {
      if (!socket.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => { socket.off('drain', done).off('close', done); resolve(); };
          socket.on('drain', done).on('close', done);
        });
      }
    }
  });
  return { answered, socket };
}

export async function stalledUploadsScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { stack } = ctx;
  const sent = (ctx.quick ? 5 : 20) * MiB;
  const budgetMiB = Number(process.env.BENCH_UPLOAD_MEMORY_MB ?? 256);
  const facade = await startMeasuredFacade(ctx.root, { ...stack.facadeEnv, STREAM_IDLE_SECONDS: String(IDLE_SECONDS), UPLOAD_MEMORY_MB: String(budgetMiB) });
  try {
    const url = new URL(facade.url);
    const path = (i: number) => `/workspaces/${stack.demo.workspace}/services/${stack.demo.service}/inputs?api-version=2.0&name=stalled-${i}.csv`;
    // Warm the facade (runtime, Key Vault, containers) so RSS before is the settled process.
    const warm = await request(`${facade.url}${path(0).replace('stalled-0', 'warm')}`, {
      method: 'POST', headers: { 'ocp-apim-subscription-key': stack.demo.subscriptionKey, 'content-type': 'text/csv' }, body: 'Col1,Col2\n1,a\n',
    });
    await warm.body.dump();
    if (warm.statusCode !== 201) throw new Error(`the warm-up upload answered ${warm.statusCode}`);
    const before = statusBytes(facade.pid, 'VmRSS');
    const rss = sampleRss(facade.pid);
    const t0 = performance.now();
    const uploads = Array.from({ length: UPLOADS }, (_, i) => stalledUpload(url, path(i), stack.demo.subscriptionKey, sent));
    const statuses = await Promise.race([
      Promise.all(uploads.map((u) => u.answered)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('stalled uploads were not all answered within 120 s')), 120_000).unref()),
    ]);
    const seconds = (performance.now() - t0) / 1000;
    const peak = rss.stop();
    for (const u of uploads) u.socket.destroy();
    const byStatus: Record<string, number> = {};
    for (const s of statuses) byStatus[s] = (byStatus[s] ?? 0) + 1;
    const growth = (Math.max(peak, statusBytes(facade.pid, 'VmHWM')) - before) / 1e6;
    const allEnded = statuses.every((s) => s === 408 || s === 503);
    return {
      name: 'stalled-uploads',
      tables: [{
        title: `${UPLOADS} uploads announcing ${ANNOUNCED / MiB} MiB, each sending ${sent / MiB} MiB and then nothing (UPLOAD_MEMORY_MB=${budgetMiB}, STREAM_IDLE_SECONDS=${IDLE_SECONDS})`,
        columns: ['facade RSS before MB', 'peak MB (sampled / VmHWM)', 'growth MB', 'answers', 'all answered after s'],
        rows: [[fmt(before / 1e6, 0), `${fmt(peak / 1e6, 0)} / ${fmt(statusBytes(facade.pid, 'VmHWM') / 1e6, 0)}`, fmt(growth, 0), JSON.stringify(byStatus), fmt(seconds, 1)]],
        notes: ['Before the fix the same attack took the facade from 88 to 801 MB, and the uploads never ended.'],
      }],
      targets: [
        // The budget counts upload buffers; the rest of a process's growth is connection state and garbage not yet
        // collected, which stays under a fixed allowance however many uploads come.
        { name: `facade RSS growth with ${UPLOADS} stalled uploads`, goal: `≤ UPLOAD_MEMORY_MB + ${OVERHEAD_MB} MB = ${fmt(budgetMiB * MiB / 1e6 + OVERHEAD_MB, 0)} MB`, measured: `${fmt(growth, 0)} MB`, pass: growth <= budgetMiB * MiB / 1e6 + OVERHEAD_MB },
        { name: 'every stalled upload ends (408 idle or 503 budget)', goal: `${UPLOADS} of ${UPLOADS}`, measured: `${statuses.filter((s) => s === 408 || s === 503).length}`, pass: allEnded },
      ],
      data: { before, peak, growth, byStatus, seconds },
    };
  } finally {
    await facade.stop();
  }
}
