// A tiny stand-in for the management usage API (GET /manage/usage, /manage/usage/jobs) that also serves the
// dashboard's real page and assets: the page can be checked against known numbers without a stack.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DASHBOARD_HTML, dashboardFiles } from '../../../src/lib/pages/dashboard-page.js';

export const FAKE_ADMIN_KEY = 'fake-admin-key';

const counts = (success: number, blocked: number, failed = 0, other = 0) => ({ calls: success + blocked + failed + other, success, blocked, failed, other });
const latency = { p50: 1.8, p95: 6.5, p99: 12.25 };

export function fakeUsage(from: Date, to: Date, groupBy: string | null) {
  const series = Array.from({ length: 15 }, (_, i) => {
    const c = i % 5 === 0 ? counts(4, 3, 1) : counts(2, 0);
    return { time: new Date(from.getTime() + i * 60_000).toISOString(), ...c, p50: 1.5 + i / 10, p95: 5 + i / 5, p99: 9 + i / 3 };
  });
  const groups =
    groupBy === 'subscription'
      ? [{ key: 'a1b2c3d4e5f6', name: 'demo', ...counts(30, 0), latency }, { key: 'f0e1d2c3b4a5', name: 'burst-app', ...counts(8, 9, 3), latency }]
      : groupBy === 'operation'
        ? [{ key: 'rrs.execute', ...counts(34, 9, 3), latency }, { key: 'bes.submit', ...counts(4, 0), latency }]
        : [];
  return { from: from.toISOString(), to: to.toISOString(), interval: 1, groupBy, totals: { ...counts(38, 9, 3), bytesIn: 12_345, bytesOut: 67_890, latency }, groups, series };
}

export const FAKE_JOBS = [
  { id: 'job-finished-1', subscriptionId: 'a1b2c3d4e5f6', workspace: 'demo-workspace', service: 'feature-hashing', state: 'Finished', createdAt: '2025-01-01T10:00:00Z', startTime: '2025-01-01T10:00:05Z', endTime: '2025-01-01T10:01:00Z' },
  { id: 'job-running-2', subscriptionId: 'f0e1d2c3b4a5', workspace: 'demo-workspace', service: 'feature-hashing', state: 'Running', createdAt: '2025-01-01T09:00:00Z', startTime: '2025-01-01T09:00:05Z', endTime: null },
];

export interface FakeApi {
  url: string;
  /** Paths (with query) the page asked for. */
  calls: string[];
  close(): Promise<void>;
}

export async function startFakeUsageApi(): Promise<FakeApi> {
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => res.writeHead(status, { 'content-type': type }).end(body);
    if (url.pathname === '/manage/dashboard') return send(200, 'text/html; charset=utf-8', DASHBOARD_HTML);
    const asset = /^\/manage\/dashboard\/([^/]+)$/.exec(url.pathname);
    if (asset) {
      const file = dashboardFiles.get(asset[1]!);
      return file ? send(200, file.contentType, file.body) : send(404, 'text/plain', 'no');
    }
    calls.push(url.pathname + url.search);
    if (req.headers['x-admin-key'] !== FAKE_ADMIN_KEY) return send(401, 'application/json', JSON.stringify({ error: { code: 'Unauthorized', message: 'no' } }));
    if (url.pathname === '/manage/usage') {
      const to = new Date(url.searchParams.get('to') ?? Date.now());
      const from = new Date(url.searchParams.get('from') ?? to.getTime() - 3600_000);
      return send(200, 'application/json', JSON.stringify(fakeUsage(from, to, url.searchParams.get('groupBy'))));
    }
    if (url.pathname === '/manage/usage/jobs') return send(200, 'application/json', JSON.stringify(FAKE_JOBS));
    return send(404, 'application/json', '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
