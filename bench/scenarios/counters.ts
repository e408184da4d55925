// Exact counters: the same RRS load through the facade on an `unlimited` subscription (no counters) and on
// products with rate limits (one with a quota too: two counters), so the shared Table counters are written on every call. 100,000 calls/60 s is the
// issue's figure; it can run out in a fast run, so it is shown only when no call was refused.
import { facadeRrsUrl, pidOf, putProduct, RRS_BODY, subscribe, type BenchContext } from '../lib/context.js';
import { cpuCell, measureRow, OTHER_CORES_NOTE, ROW_COLUMNS, rowCells, warm, type Row } from '../lib/measure.js';
import { fmt, type ScenarioResult } from '../lib/report.js';
import { startMeasuredFacade } from '../lib/facade.js';

export async function countersScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { stack } = ctx;
  const seconds = ctx.quick ? 1 : 8;
  await putProduct(stack, 'bench-high', { calls: 100_000_000, renewalPeriod: 3600 });
  await putProduct(stack, 'bench-100k-min', { calls: 100_000, renewalPeriod: 60 });
  await putProduct(stack, 'bench-high-quota', { calls: 100_000_000, renewalPeriod: 3600 }, { calls: 1_000_000_000, renewalPeriod: 86_400 });
  const variants = [
    { label: 'unlimited (no counters)', key: (await subscribe(stack, 'bench-unlimited', 'unlimited')).key },
    { label: 'rate 100M/3600 s', key: (await subscribe(stack, 'bench-high', 'bench-high')).key },
    { label: 'rate 100k/60 s', key: (await subscribe(stack, 'bench-100k', 'bench-100k-min')).key },
    { label: 'rate 100M/3600 s + quota 1G/day', key: (await subscribe(stack, 'bench-high-quota', 'bench-high-quota')).key },
  ];
  const facade = await startMeasuredFacade(ctx.root, stack.facadeEnv);
  const rows: Row[] = [];
  try {
    const pids = { facade: facade.pid, azurite: pidOf(stack, 'azurite'), backend: pidOf(stack, 'reference') };
    const spec = (key: string) => ({ url: facadeRrsUrl(facade.url, stack), headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key }, body: RRS_BODY });
    // A fresh facade: warmed on the unlimited key only, as warming a limited key would spend its window.
    await warm(spec(variants[0]!.key), ctx.quick ? 1000 : 3000);
    for (const concurrency of ctx.quick ? [16] : [16, 64]) {
      for (const v of variants) rows.push(await measureRow({ label: v.label, ...spec(v.key), concurrency, seconds, pids }, ctx.wrk));
    }
  } finally {
    await facade.stop();
  }
  const shown = rows.map((r) => {
    const refused = r.label.includes('100k') && r.non2xx + r.socketErrors > 0;
    const cells = rowCells(r);
    return refused ? [cells[0]!, cells[1]!, cells[2]!, 'not shown', '—', '—', cells[6]!, cells[7]!, '—', '—'] : [...cells, cpuCell(r, 'facade'), cpuCell(r, 'azurite')];
  });
  const deltas = rows.filter((r) => !r.label.startsWith('unlimited')).map((r) => {
    const off = rows.find((o) => o.label.startsWith('unlimited') && o.concurrency === r.concurrency)!;
    return [r.label, r.concurrency, fmt(r.rps / off.rps), fmt(r.p50Ms - off.p50Ms, 3), fmt(r.p99Ms - off.p99Ms, 3),
      fmt((r.cpuUsPerRequest.facade ?? NaN) - (off.cpuUsPerRequest.facade ?? NaN), 0), fmt((r.cpuUsPerRequest.azurite ?? NaN) - (off.cpuUsPerRequest.azurite ?? NaN), 0)];
  });
  return {
    name: 'counters',
    tables: [
      { title: `Counters: facade RRS, unlimited vs rate-limited products (${seconds} s per row)`, columns: [...ROW_COLUMNS, 'facade CPU µs/req', 'azurite CPU µs/req'], rows: shown,
        notes: ['A 100k/60 s row with any non-2xx answer (429 once the window is spent) is not shown, as the issue asks.', OTHER_CORES_NOTE] },
      { title: 'Counters: cost over unlimited', columns: ['product', 'c', 'req/s ratio', '+p50 ms', '+p99 ms', '+facade µs/req', '+azurite µs/req'], rows: deltas },
    ],
    targets: [],
    data: { seconds, rows },
  };
}
