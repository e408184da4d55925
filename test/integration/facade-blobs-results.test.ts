// FacadeBlobs results against a real Azurite: exactly-once copies (repeated, concurrent, interrupted),
// result links that work by string concatenation and only read, the result stream, and clean-up.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobSASPermissions } from '@azure/storage-blob';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { blobNames, csv, gatewayError, KiB, useAzuriteBlobs } from './helpers/azurite-blobs.js';

const env = useAzuriteBlobs();
const results = () => env().service.getContainerClient('results');

describe('results', () => {
  it('copies a staged output once; the link works by concatenation and reads only', async () => {
    const staged = await env().blobs.stagingOutput('job-1', 'output1');
    expect(staged).toEqual({ connectionString: env().conn, relativeLocation: '/staging/job-1/output1.csv' });
    const data = csv(700 * KiB);
    await env().service.getContainerClient('staging').getBlockBlobClient('job-1/output1.csv').uploadData(data);

    const first = await env().blobs.copyResult('job-1', 'output1', staged);
    expect(first).toEqual({ relativeLocation: 'results/job-1/output1.csv', bytes: data.length, copied: true });
    const etag = (await results().getBlobClient('job-1/output1.csv').getProperties()).etag;
    expect(await env().blobs.copyResult('job-1', 'output1', staged)).toMatchObject({ copied: false, bytes: data.length });
    expect((await results().getBlobClient('job-1/output1.csv').getProperties()).etag).toBe(etag);

    const link = await env().blobs.resultLink('job-1', 'output1');
    expect(link).toMatchObject({ ConnectionString: null, RelativeLocation: 'results/job-1/output1.csv' });
    expect(link.BaseLocation).toBe(`${env().azurite.info.blob}/devstoreaccount1/`);
    expect(link.SasBlobToken).toMatch(/^\?sv=.*&sig=/);
    const url = link.BaseLocation + link.RelativeLocation + link.SasBlobToken;
    const got = await request(url);
    expect(got.statusCode).toBe(200);
    expect(Buffer.from(await got.body.arrayBuffer()).equals(data)).toBe(true);
    const write = await request(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' });
    await write.body.dump();
    expect(write.statusCode).toBe(403);

    const opened = await env().blobs.openResult('job-1', 'output1');
    expect(opened.bytes).toBe(data.length);
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect((await gatewayError(env().blobs.openResult('job-1', 'output9'))).code).toBe('JobResultNotFound');
  });

  it('copies from a backend Results entry (BaseLocation + RelativeLocation + SasBlobToken)', async () => {
    const src = env().service.getContainerClient('backend-out');
    await src.createIfNotExists();
    const data = csv(300 * KiB);
    await src.getBlockBlobClient('x/out.csv').uploadData(data);
    const sasUrl = new URL(await src.getBlobClient('x/out.csv').generateSasUrl({ permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 600_000) }));
    const copied = await env().blobs.copyResult('job-2', 'output1', {
      baseLocation: `${env().azurite.info.blob}/devstoreaccount1/`,
      relativeLocation: 'backend-out/x/out.csv',
      sasBlobToken: sasUrl.search,
    });
    expect(copied).toMatchObject({ copied: true, bytes: data.length });
    expect((await results().getBlobClient('job-2/output1.csv').downloadToBuffer()).equals(data)).toBe(true);
  });

  it('two concurrent copies publish once', async () => {
    const staged = await env().blobs.stagingOutput('job-3', 'output1');
    await env().service.getContainerClient('staging').getBlockBlobClient('job-3/output1.csv').uploadData(csv(1_100 * KiB));
    const outcomes = await Promise.all([env().blobs.copyResult('job-3', 'output1', staged), env().blobs.copyResult('job-3', 'output1', staged)]);
    expect(outcomes.map((o) => o.copied).sort()).toEqual([false, true]);
  });

  it('a copy whose source breaks midway publishes nothing', async () => {
    const size = 2 * 1024 * KiB;
    const server = http.createServer((req, res) => {
      const headers = { 'content-length': String(size), etag: '"0x1"', 'last-modified': new Date().toUTCString(), 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/csv' };
      if (req.method === 'HEAD') return void res.writeHead(200, headers).end();
      res.writeHead(200, headers);
      res.write(Buffer.alloc(300 * KiB, 0x62), () => setTimeout(() => res.destroy(), 20));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acct/`;
      const error = await gatewayError(env().blobs.copyResult('job-4', 'output1', { baseLocation: base, relativeLocation: 'c/out.csv', sasBlobToken: '?sig=x' }));
      expect(error.status).toBe(503);
      expect(JSON.stringify(error.cause instanceof Error ? error.cause.message : '')).not.toContain('sig=x');
      expect(await blobNames(results(), 'job-4/')).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses a plain-http source that is not on loopback, and a missing one', async () => {
    const remote = await gatewayError(env().blobs.copyResult('job-5', 'output1', { baseLocation: 'http://example.com/', relativeLocation: 'c/o.csv', sasBlobToken: null }));
    expect(remote.status).toBe(502);
    const missing = await gatewayError(env().blobs.copyResult('job-5', 'output1', { connectionString: env().conn, relativeLocation: '/staging/job-5/output1.csv' }));
    expect(missing.code).toBe('BackendOutputNotFound');
  });

  it('deleteJobBlobs removes staging and results of that job only', async () => {
    expect(await env().blobs.deleteJobBlobs('job-1')).toBe(2);
    expect(await blobNames(results(), 'job-1/')).toEqual([]);
    expect(await blobNames(results(), 'job-2/')).toHaveLength(1);
  });
});
