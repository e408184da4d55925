// What each backend adapter adds: the same one-row Feature Hashing call sent straight to each real server (the
// classic reference service, the Azure ML endpoint stand-in in front of the Azure ML inference server, MLServer over
// the Open Inference Protocol) and through the facade (keys, exact counters, usage, the translation), at c = 1 and 8.
// The Python servers run one worker each, so their own latency dominates; the column to read is "facade +p50 ms".
import { facadeRrsUrl, pidOf, putProduct, RRS_BODY, subscribe, type BenchContext } from '../lib/context.js';
import { cpuCell, measureRow, ROW_COLUMNS, rowCells, warm, type Row } from '../lib/measure.js';
import { fmt, type ScenarioResult, type Table } from '../lib/report.js';
import { DEMO_SERVICES } from '../../src/local/stack/start-stack.js';
import { OIP_MODEL } from '../../src/local/stack/model-servers.js';

const TEXT = 'This is a good day';

export async function adaptersScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { stack } = ctx;
  if (!stack.models) {
    return { name: 'adapters', tables: [{ title: `Adapters: not measured (${stack.modelsMissing ?? 'no model servers'})`, columns: ['note'], rows: [['run .ci/run or npm start once to prepare the model servers\' Python']] }], targets: [], data: {} };
  }
  const seconds = ctx.quick ? 2 : 6;
  await putProduct(stack, 'bench-adapters', { calls: 100_000_000, renewalPeriod: 3600 });
  const { key } = await subscribe(stack, 'bench-adapters', 'bench-adapters');
  const json = { 'content-type': 'application/json' };
  const endpointKey = { ...json, authorization: `Bearer ${stack.models.endpointKey}` };
  const mlflowBody = JSON.stringify({ input_data: { columns: ['Col2'], index: [0], data: [[TEXT]] } });
  const oipBody = JSON.stringify({ inputs: [{ name: 'Col2', shape: [1], datatype: 'BYTES', data: [TEXT] }] });
  const through = (service: string) => ({ url: facadeRrsUrl(stack.facadeUrl, stack, service), headers: { ...json, 'ocp-apim-subscription-key': key }, body: RRS_BODY });
  const pairs = [
    { kind: 'classic', direct: { url: `${stack.backend.url}/workspaces/${stack.backend.workspace}/services/${stack.backend.service}/execute?api-version=2.0&details=true`, headers: { ...json, authorization: `Bearer ${stack.backend.apiKey}` }, body: RRS_BODY }, facade: through(DEMO_SERVICES.classic) },
    { kind: 'azureml-online (mlflow)', direct: { url: `${stack.models.azuremlUrl}/score`, headers: { ...endpointKey, 'azureml-model-deployment': 'mlflow' }, body: mlflowBody }, facade: through(DEMO_SERVICES.azuremlMlflow) },
    { kind: 'azureml-online (classic)', direct: { url: `${stack.models.azuremlUrl}/score`, headers: { ...endpointKey, 'azureml-model-deployment': 'classic' }, body: RRS_BODY }, facade: through(DEMO_SERVICES.azuremlClassic) },
    { kind: 'oip', direct: { url: `${stack.models.oipUrl}/v2/models/${OIP_MODEL}/infer`, headers: json, body: oipBody }, facade: through(DEMO_SERVICES.oip) },
  ];
  // The facade's own CPU per call is the adapter's cost that load on a shared machine cannot blur.
  const pids = { facade: pidOf(stack, 'facade') };
  const rows: Row[] = [];
  const compare: (string | number)[][] = [];
  for (const pair of pairs) for (const t of [pair.direct, pair.facade]) await warm(t, ctx.quick ? 300 : 1000);
  for (const concurrency of [1, 8]) {
    for (const pair of pairs) {
      const direct = await measureRow({ label: `${pair.kind}: direct`, ...pair.direct, concurrency, seconds, pids }, ctx.wrk);
      const facade = await measureRow({ label: `${pair.kind}: facade`, ...pair.facade, concurrency, seconds, pids }, ctx.wrk);
      rows.push(direct, facade);
      compare.push([pair.kind, concurrency, fmt(direct.p50Ms, 3), fmt(facade.p50Ms, 3), fmt(facade.p50Ms - direct.p50Ms, 3), fmt(facade.p99Ms - direct.p99Ms, 3), fmt(facade.rps / direct.rps), cpuCell(facade, 'facade')]);
    }
  }
  const tables: Table[] = [
    { title: `Adapters: each real server direct vs through the facade (${seconds} s per row, one 1-row request)`, columns: ROW_COLUMNS, rows: rows.map(rowCells) },
    {
      title: 'Adapters: added latency of the facade over a direct call to each server',
      columns: ['kind', 'c', 'direct p50 ms', 'facade p50 ms', 'facade +p50 ms', 'facade +p99 ms', 'facade / direct req/s', 'facade CPU µs/call'],
      rows: compare,
      notes: [
        '"direct" for azureml-online is the endpoint (the stand-in front door, then the Azure ML inference server); for oip, MLServer itself.',
        'The facade\'s share includes its whole pipeline: the subscription key, an exact rate counter, usage, and the mapping to and from the classic contract.',
        'Every process (load generator, facade, stand-in, Python servers) shares the same cores: at c = 8 the facade\'s CPU competes with a saturated server\'s, which is what "facade / direct req/s" shows; "facade CPU µs/call" is the adapter\'s own cost.',
      ],
    },
  ];
  return { name: 'adapters', tables, targets: [], data: { seconds, rows } };
}
