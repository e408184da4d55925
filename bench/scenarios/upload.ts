// BES upload: a generated CSV (1 GiB; 128 MiB in --quick) streamed through the facade's upload endpoint vs a
// direct @azure/storage-blob uploadStream into Azurite with the facade's buffer settings (8 MiB × 4). A fresh
// facade with a raised body limit serves it, so its VmHWM is this scenario's peak; VmRSS is sampled too.
import { BlobServiceClient } from '@azure/storage-blob';
import { request } from 'undici';
import { startMeasuredFacade } from '../lib/facade.js';
import { pidOf, type BenchContext } from '../lib/context.js';
import { csvSource } from '../lib/csv-source.js';
import { cpuMicros, foreignLoad, sampleRss, statusBytes } from '../lib/proc.js';
import { fmt, MiB, type ScenarioResult } from '../lib/report.js';

interface UploadRun {
  way: string;
  bytes: number;
  seconds: number;
  mibPerSecond: number;
  facadeCpuSeconds?: number;
  azuriteCpuSeconds: number;
  facadePeakRssMiB?: number;
  facadeHwmMiB?: number;
  facadeRssBeforeMiB?: number;
  otherCores: number;
}

export async function uploadScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { stack } = ctx;
  const size = (ctx.quick ? 128 : 1024) * MiB;
  const azurite = pidOf(stack, 'azurite');
  const facade = await startMeasuredFacade(ctx.root, { ...stack.facadeEnv, FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(2 * 1024 * MiB) });
  const blobs = BlobServiceClient.fromConnectionString(stack.storageConnectionString);
  const direct = blobs.getContainerClient('bench-direct');
  const uploaded: string[] = [];
  try {
    const pid = facade.pid;
    const uploadUrl = (name: string) => `${facade.url}/workspaces/${stack.demo.workspace}/services/${stack.demo.service}/inputs?api-version=2.0&name=${name}`;
    const throughFacade = async (name: string, bytes: number) => {
      const source = csvSource(bytes);
      const res = await request(uploadUrl(name), {
        method: 'POST',
        headers: { 'ocp-apim-subscription-key': stack.demo.subscriptionKey, 'content-type': 'text/csv' },
        body: source.stream,
        headersTimeout: 600_000, bodyTimeout: 600_000,
      });
      const answer = (await res.body.json()) as { RelativeLocation?: string; Bytes?: number };
      if (res.statusCode !== 201 || !answer.RelativeLocation) throw new Error(`facade upload answered ${res.statusCode}: ${JSON.stringify(answer)}`);
      uploaded.push(answer.RelativeLocation.replace(/^\/inputs\//, ''));
      if (answer.Bytes !== source.produced()) throw new Error(`facade stored ${answer.Bytes} bytes of ${source.produced()}`);
      return source.produced();
    };
    // Warm the facade (runtime, Key Vault, containers) so the timed run is the stream alone.
    await throughFacade('warm.csv', MiB);

    await direct.createIfNotExists();
    const runs: UploadRun[] = [];
    {
      const source = csvSource(size);
      const cpu0 = cpuMicros(azurite);
      const foreign = foreignLoad();
      const t0 = performance.now();
      await direct.getBlockBlobClient('direct.csv').uploadStream(source.stream, 8 * MiB, 4);
      const seconds = (performance.now() - t0) / 1000;
      runs.push({ way: 'direct uploadStream → Azurite', bytes: source.produced(), seconds, mibPerSecond: source.produced() / MiB / seconds, azuriteCpuSeconds: (cpuMicros(azurite) - cpu0) / 1e6, otherCores: foreign.stop() });
      await direct.deleteIfExists(); // Azurite keeps blobs in memory: free it before the next upload
    }
    {
      const before = statusBytes(pid, 'VmRSS');
      const rss = sampleRss(pid);
      const cpu0 = cpuMicros(azurite), fcpu0 = cpuMicros(pid);
      const foreign = foreignLoad();
      const t0 = performance.now();
      const bytes = await throughFacade('bench.csv', size);
      const seconds = (performance.now() - t0) / 1000;
      const peak = rss.stop();
      runs.push({
        way: 'through the facade (POST …/inputs)', bytes, seconds, mibPerSecond: bytes / MiB / seconds,
        facadeCpuSeconds: (cpuMicros(pid) - fcpu0) / 1e6, azuriteCpuSeconds: (cpuMicros(azurite) - cpu0) / 1e6,
        facadePeakRssMiB: peak / MiB, facadeRssBeforeMiB: before / MiB, facadeHwmMiB: statusBytes(pid, 'VmHWM') / MiB, otherCores: foreign.stop(),
      });
    }
    const [d, f] = runs as [UploadRun, UploadRun];
    const ratio = f.mibPerSecond / d.mibPerSecond;
    const peak = Math.max(f.facadePeakRssMiB ?? 0, f.facadeHwmMiB ?? 0);
    return {
      name: 'upload',
      tables: [{
        title: `BES upload of a generated ${size / MiB} MiB CSV${ctx.quick ? ' (--quick: 128 MiB instead of 1 GiB)' : ''}`,
        columns: ['way', 'bytes', 's', 'MiB/s', 'facade CPU s', 'azurite CPU s', 'facade RSS MiB before → peak (sampled / VmHWM)', 'other cores'],
        rows: runs.map((r) => [r.way, r.bytes, fmt(r.seconds), fmt(r.mibPerSecond, 1), fmt(r.facadeCpuSeconds ?? NaN), fmt(r.azuriteCpuSeconds),
          r.facadePeakRssMiB === undefined ? '—' : `${fmt(r.facadeRssBeforeMiB ?? NaN, 0)} → ${fmt(r.facadePeakRssMiB, 0)} / ${fmt(r.facadeHwmMiB ?? NaN, 0)}`, fmt(r.otherCores)]),
        notes: [`throughput ratio facade / direct: ${fmt(ratio)}×`, 'The facade is a fresh process (body limit raised to 2 GiB), warmed with one 1 MiB upload; VmHWM covers its whole life.'],
      }],
      targets: [
        { name: `BES upload peak RSS of the facade (${size / MiB} MiB file)`, goal: '≤ 200 MB', measured: `${fmt((peak * MiB) / 1e6, 0)} MB`, pass: (peak * MiB) / 1e6 <= 200 },
        { name: 'BES upload throughput facade / direct', goal: '≥ 0.80×', measured: `${fmt(ratio)}×`, pass: ratio >= 0.8 },
      ],
      data: { size, runs, ratio },
    };
  } finally {
    await facade.stop();
    const inputs = blobs.getContainerClient('inputs');
    for (const name of uploaded) await inputs.deleteBlob(name).catch(() => undefined);
    await direct.deleteIfExists().catch(() => undefined);
  }
}
