// Soak: a sustained, bounded load on loopback (open loop: requests are sent at a fixed rate whatever the
// answers) mixing what real traffic holds — scoring calls, throttled calls, bad keys, bad bodies, BES status
// reads — while the facade's memory is sampled. Prints requests, answers by status, unexpected ones, and
// memory at start, peak and end. Usage: npm run soak [-- --seconds=60 --rate=300]
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool, request } from 'undici';
import { startStack } from '../src/local/stack/start-stack.js';
import { findProjectRoot } from '../src/local/stack/project.js';
import { readRssMb } from './lib/rss.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 60);
const rate = arg('rate', 300);
const BODY = JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day']] } }, GlobalParameters: {} });

const stack = await startStack({ port: 0, facadeEnv: { AUTH_FAILURE_LIMIT: '1000000000' } });
const facade = stack.children.find((c) => c.name === 'facade')!;
try {
  const manage = async (method: 'POST' | 'PUT', p: string, body: unknown) => {
    const res = await request(`${stack.facadeUrl}/manage/${p}`, { method, headers: { 'x-admin-key': stack.adminKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.body.json()) as { primaryKey: string };
  };
  await manage('PUT', 'products/soak-limited', { name: 'Soak limited', rateLimit: { calls: 10, renewalPeriod: 1 }, quota: null });
  const limitedKey = (await manage('POST', 'subscriptions', { name: 'soak-limited', productId: 'soak-limited' })).primaryKey;
  const key = stack.demo.subscriptionKey;
  const service = `/workspaces/${stack.demo.workspace}/services/${stack.demo.service}`;
  const execute = `${service}/execute?api-version=2.0`;
  const unknownJob = `${service}/jobs/0123456789abcdef0123456789abcdef?api-version=2.0`;
  // The mix, by weight: what each kind of call is expected to answer.
  const kinds = [
    { weight: 70, expect: [200], send: { path: execute, headers: { 'ocp-apim-subscription-key': key }, body: BODY } },
    { weight: 10, expect: [200, 429], send: { path: execute, headers: { 'ocp-apim-subscription-key': limitedKey }, body: BODY } },
    { weight: 10, expect: [401], send: { path: execute, headers: { 'ocp-apim-subscription-key': 'not-a-key' }, body: BODY } },
    { weight: 5, expect: [400], send: { path: execute, headers: { 'ocp-apim-subscription-key': key }, body: '{"Inputs":' } },
    { weight: 5, expect: [404], send: { path: unknownJob, headers: { 'ocp-apim-subscription-key': key }, method: 'GET' as const } },
  ];
  const total = kinds.reduce((s, k) => s + k.weight, 0);
  const pool = new Pool(stack.facadeUrl, { connections: 64, keepAliveTimeout: 30_000 });
  const statuses: Record<string, number> = {};
  let unexpected = 0;
  let sent = 0;
  const memory: number[] = [];
  const sampler = setInterval(() => memory.push(readRssMb(facade.process.pid!)), 1000);
  const inflight = new Set<Promise<void>>();
  const started = performance.now();
  const end = started + seconds * 1000;
  for (let i = 0; performance.now() < end; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    let pick = (i * 7919) % total;
    const kind = kinds.find((k) => (pick -= k.weight) < 0)!;
    sent++;
    const p = pool
      .request({ method: kind.send.method ?? 'POST', path: kind.send.path, headers: { 'content-type': 'application/json', ...kind.send.headers }, body: kind.send.method === 'GET' ? undefined : kind.send.body, headersTimeout: 10_000, bodyTimeout: 10_000 })
      .then(async (res) => {
        await res.body.dump();
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (!kind.expect.includes(res.statusCode)) unexpected++;
      })
      .catch(() => {
        statuses.error = (statuses.error ?? 0) + 1;
        unexpected++;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  clearInterval(sampler);
  await pool.close();
  const elapsed = (performance.now() - started) / 1000;
  const warm = memory.slice(Math.min(5, memory.length - 1));
  const summary = {
    seconds: Math.round(elapsed), targetRate: rate, sent, achievedRate: Math.round(sent / elapsed), statuses, unexpected,
    rssMb: { afterWarmup: warm[0], peak: Math.max(...memory), end: memory[memory.length - 1] },
  };
  console.log('\nSoak (open loop, loopback):');
  console.log(JSON.stringify(summary, null, 2));
  const dir = path.join(findProjectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), JSON.stringify(summary, null, 2));
  process.exitCode = unexpected === 0 ? 0 : 1;
} finally {
  await stack.stop();
}
