// Health as two answers: the anonymous liveness is cached per instance (one probe however often it is asked, so it
// amplifies nothing) and names nothing; the admin's report degrades for a dead backend and is unhealthy only when
// the facade's own storage or Key Vault is down; every probe and the catalogue read are bounded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { healthReport, livenessCheck, PROBE_TIMEOUT_MS, type HealthDeps } from '../../src/lib/health.js';
import type { CatalogueEntry } from '../../src/lib/catalogue/entry.js';
import { probeOrigin } from '../../src/lib/backends/transport.js';

const servers: http.Server[] = [];
afterAll(async () => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

async function listening(): Promise<string> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const entry = (service: string, baseUrl: string): CatalogueEntry => ({
  workspace: 'ws', service, products: [], backend: { kind: 'classic', baseUrl, workspace: 'b', service: 'b', apiKeySecretName: 'k' },
});

function deps(overrides: Partial<HealthDeps> = {}) {
  const calls = { storage: 0, vault: 0 };
  const d: HealthDeps = {
    readStorage: async () => void calls.storage++,
    readKeyVault: async () => void calls.vault++,
    listCatalogue: async () => [],
    probeBackend: (e, timeoutMs) => probeOrigin(e.backend.baseUrl, timeoutMs),
    ...overrides,
  };
  return { d, calls };
}

describe('livenessCheck', () => {
  it('probes storage and Key Vault once per 10 s however often it is asked; an unhealthy answer is kept 2 s', async () => {
    let t = 0;
    let storageUp = true;
    const { d, calls } = deps({ readStorage: async () => { calls.storage++; if (!storageUp) throw new Error('down'); } });
    const live = livenessCheck(d, () => t);
    const answers = await Promise.all(Array.from({ length: 50 }, () => live()));
    expect(answers.every((a) => a.healthy)).toBe(true);
    expect(calls).toEqual({ storage: 1, vault: 1 });
    t = 9_999;
    await live();
    expect(calls.storage).toBe(1);
    storageUp = false;
    t = 10_000;
    expect((await live()).healthy).toBe(false);
    t = 11_999;
    expect((await live()).healthy).toBe(false);
    expect(calls.storage).toBe(2);
    storageUp = true;
    t = 12_000;
    expect((await live()).healthy).toBe(true);
    expect(calls.storage).toBe(3);
  });
});

describe('healthReport', () => {
  it('healthy when every dependency answers; degraded (not unhealthy) when a backend is down', async () => {
    const up = await listening();
    const { d } = deps({ listCatalogue: async () => [entry('up', up), entry('down', 'http://127.0.0.1:9')] });
    const report = await healthReport(d);
    expect(report.status).toBe('degraded');
    expect(report.checks['backend:ws/up']!.ok).toBe(true);
    expect(report.checks['backend:ws/down']!.ok).toBe(false);
    expect((await healthReport(deps({ listCatalogue: async () => [entry('up', up)] }).d)).status).toBe('healthy');
  });

  it('unhealthy when storage or Key Vault fails; a hanging catalogue read is bounded like every probe', async () => {
    expect((await healthReport(deps({ readKeyVault: async () => { throw new Error('vault down'); } }).d)).status).toBe('unhealthy');
    const started = performance.now();
    const hang = () => new Promise<never>(() => undefined);
    // The probes' deadline on a fake clock: no test waits the real 3 s for it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const reporting = healthReport(deps({ readStorage: hang, listCatalogue: hang }).d);
    await vi.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS);
    vi.useRealTimers();
    const report = await reporting;
    expect(report.status).toBe('unhealthy');
    expect(report.checks.storage).toMatchObject({ ok: false, error: `no answer within ${PROBE_TIMEOUT_MS} ms` });
    expect(report.checks.catalogue).toMatchObject({ ok: false });
    expect(performance.now() - started).toBeLessThan(PROBE_TIMEOUT_MS + 1_000);
  });
});
