// How the facade reads a backend's BES answers (a small real HTTP server on loopback): only the service's own
// classic 404 means "no such job"; a proxy's HTML 404 is a backend fault (502, retried later), never a lost job.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassicBackend } from '../../src/lib/backends/classic/adapter.js';
import type { CatalogueEntry } from '../../src/lib/catalogue/entry.js';

let answer: { status: number; type: string; body: string } = { status: 200, type: 'application/json', body: '{}' };
let server: http.Server;
let entry: CatalogueEntry;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  entry = { workspace: 'ws', service: 'svc', products: [], backend: { kind: 'classic', baseUrl, workspace: 'b', service: 'b', apiKeySecretName: 'k' } };
});
afterAll(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

const key = async () => 'k';
const jobs = () => new ClassicBackend({ get: key, refresh: key }, { timeoutMs: 2_000 });
const classic404 = { status: 404, type: 'application/json', body: '{"error":{"code":"JobNotFound","message":"Job \'x\' was not found."}}' };
const html404 = { status: 404, type: 'text/html', body: '<html><body>404 Not Found</body></html>' };

describe('BackendJobs', () => {
  it('a classic 404 on status means the backend no longer knows the job', async () => {
    answer = classic404;
    expect(await jobs().status(entry, 'x')).toBeUndefined();
  });

  it('an HTML 404 on status or cancel is a backend fault (502), not a vanished job', async () => {
    answer = html404;
    await expect(jobs().status(entry, 'x')).rejects.toMatchObject({ status: 502, code: 'BackendError' });
    await expect(jobs().cancel(entry, 'x')).rejects.toMatchObject({ status: 502, code: 'BackendError' });
  });

  it('a classic 404 on cancel counts as done; a classic 400 passes the backend\'s verdict through', async () => {
    answer = classic404;
    await expect(jobs().cancel(entry, 'x')).resolves.toBeUndefined();
    answer = { status: 400, type: 'application/json', body: '{"error":{"code":"InvalidBlob","message":"no such blob"}}' };
    await expect(jobs().submit(entry, {})).rejects.toMatchObject({ status: 400, code: 'InvalidBlob' });
  });
});
