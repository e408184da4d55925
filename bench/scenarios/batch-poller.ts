// BES poller on the azureml-batch kind, beside the classic one (scenario "poller"): N jobs (100; 30 in --quick)
// submitted and started through the facade on a batch endpoint (the stand-in, in this process, running the
// project's batch deployment with real Python), left to complete there; then pollDueJobs runs here with `now` an
// hour ahead, as in "poller": each job's status on the Jobs API, the classic result composed (input rows joined with
// the predictions) and written, then copied. jobs/s is the poller's reconciling rate; the batch service's own time
// (a Python process per job) is reported apart.
import path from 'node:path';
import { startAzureMlBatchStandIn } from '../../src/local/azureml-batch-standin.js';
import { DEMO_BATCH_DEPLOYMENTS, DEMO_BATCH_WORKSPACE, batchEntryBackend } from '../../src/local/stack/demo-entries.js';
import { createStores } from '../../src/lib/app/stores.js';
import { pollDueJobs } from '../../src/lib/jobs/poller.js';
import { fmt, type ScenarioResult } from '../lib/report.js';
import type { BenchContext } from '../lib/context.js';
import { pollerDeps, submitJobs, type Tick } from './poller.js';

const SERVICE = 'bench-batch';

export async function batchPollerScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const { stack } = ctx;
  if (!stack.models) {
    return { name: 'batch-poller', tables: [{ title: `BES poller, azureml-batch: not measured (${stack.modelsMissing ?? 'no model servers'})`, columns: ['note'], rows: [['run .ci/run or npm start once to prepare the model servers\' Python']] }], targets: [], data: {} };
  }
  const n = ctx.quick ? 30 : 100;
  const endpoint = await startAzureMlBatchStandIn({
    python: stack.models.servers.python,
    driver: path.join(ctx.root, 'models', 'batch-runtime', 'driver.py'),
    deployments: DEMO_BATCH_DEPLOYMENTS(ctx.root),
    defaultDeployment: 'predictions',
    signingKey: stack.keyVault.signingKey,
    workspace: DEMO_BATCH_WORKSPACE,
    stepMs: 5,
  });
  try {
    await createStores(stack.storageConnectionString).catalogue.put({ workspace: stack.demo.workspace, service: SERVICE, products: [], backend: batchEntryBackend(endpoint.url, 'predictions') });
    const t0 = performance.now();
    const { ids } = await submitJobs(stack, 'batch', n, 16, SERVICE);
    const submitMs = performance.now() - t0;
    const t1 = performance.now();
    for (;;) {
      const done = endpoint.jobs().filter((j) => j.status === 'Completed').length;
      if (done >= n) break;
      if (performance.now() - t1 > 300_000) throw new Error(`the batch endpoint completed ${done} of ${n} jobs in 300 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const serviceMs = performance.now() - t1;
    const deps = pollerDeps(stack, 'bench-batch');
    const ticks: Tick[] = [];
    for (;;) {
      const t = performance.now();
      const s = await pollDueJobs(deps, { concurrency: 16, batch: 5000 });
      ticks.push({ ...s, ms: performance.now() - t });
      if (s.due === 0 || performance.now() - t1 > 600_000) break;
    }
    const pollMs = ticks.filter((t) => t.due > 0).reduce((a, t) => a + t.ms, 0);
    let finished = 0;
    for (const id of ids) if ((await deps.store.get(id))?.state === 'Finished') finished++;
    const jobsPerSecond = finished / (pollMs / 1000);
    return {
      name: 'batch-poller',
      tables: [{
        title: `BES poller, azureml-batch kind: ${n} jobs completed on the batch endpoint → Finished (status, result joined and written, copied)`,
        columns: ['concurrency', 'jobs', 'finished', 'ticks', 'poll s', 'jobs/s', 'setup: submit+start s', 'batch endpoint s'],
        rows: [[16, n, finished, ticks.length, fmt(pollMs / 1000), fmt(jobsPerSecond, 0), fmt(submitMs / 1000), fmt(serviceMs / 1000)]],
        notes: ['Compare with the "poller" scenario (classic kind, the same reconciling without the join). The batch endpoint\'s own time is a Python process per job.'],
      }],
      targets: [],
      data: { n, finished, ticks, pollMs, jobsPerSecond, submitMs, serviceMs },
    };
  } finally {
    await endpoint.close();
  }
}
