// FacadeBlobs results against a real Azurite: what a backend gets for its output (a SAS for that one staging
// blob, create and write only), exactly-once copies (repeated, concurrent, interrupted) to the facade's results
// or to a classic client's own blob, result links that work by string concatenation and only read, the result
// stream, and clean-up.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobServiceClient, ContainerSASPermissions } from '@azure/storage-blob';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { blobNames, csv, gatewayError, KiB, useAzuriteBlobs } from './helpers/azurite-blobs.js';
import { FacadeBlobs, type OutputDestination } from '../../src/lib/blobs/facade-blobs.js';
import { DestinationRefused } from '../../src/lib/blobs/copy-result.js';
import { parseConnectionString, type StorageConnection } from '../../src/lib/storage/connection-string.js';

const env = useAzuriteBlobs();
const results = () => env().service.getContainerClient('results');
const staging = () => env().service.getContainerClient('staging');
const FACADE: OutputDestination = { kind: 'facade' };
const inAnHour = () => new Date(Date.now() + 3_600_000);

function connection(text: string): StorageConnection {
  const parsed = parseConnectionString(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value;
}

/** The client's own account on the same emulator (a key the facade's account does not share). */
const client = () => ({ text: env().azurite.info.clientConnectionString, service: BlobServiceClient.fromConnectionString(env().azurite.info.clientConnectionString) });

async function stage(jobId: string, data: Buffer): Promise<void> {
  await env().blobs.stagingOutput(jobId, 'output1', inAnHour());
  await staging().getBlockBlobClient(`${jobId}/output1.csv`).uploadData(data);
}

describe('what a backend gets for its output', () => {
  it('a SAS connection string for that one staging blob: it may create and write it, read nothing, reach nothing else', async () => {
    const staged = await env().blobs.stagingOutput('job-0', 'output1', inAnHour());
    expect(staged.relativeLocation).toBe('/staging/job-0/output1.csv');
    expect(staged.connectionString).not.toContain('AccountKey');
    const parsed = connection(staged.connectionString);
    expect(parsed.credential.kind).toBe('sas');
    const asBackend = BlobServiceClient.fromConnectionString(staged.connectionString);
    const own = asBackend.getContainerClient('staging').getBlockBlobClient('job-0/output1.csv');
    await own.uploadData(Buffer.from('Col2\na\n'));
    await expect(own.download()).rejects.toMatchObject({ statusCode: 403 });
    await expect(asBackend.getContainerClient('staging').getBlockBlobClient('job-x/output1.csv').uploadData(Buffer.from('x'))).rejects.toMatchObject({ statusCode: 403 });
    await expect(asBackend.getContainerClient('results').getBlockBlobClient('job-0/output1.csv').uploadData(Buffer.from('x'))).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('results in the facade\'s container', () => {
  it('copies a staged output once; the link works by concatenation and reads only', async () => {
    const data = csv(700 * KiB);
    await stage('job-1', data);
    const first = await env().blobs.copyResult('job-1', 'output1', FACADE);
    expect(first).toEqual({ relativeLocation: 'results/job-1/output1.csv', bytes: data.length, copied: true });
    const etag = (await results().getBlobClient('job-1/output1.csv').getProperties()).etag;
    expect(await env().blobs.copyResult('job-1', 'output1', FACADE)).toMatchObject({ copied: false, bytes: data.length });
    expect((await results().getBlobClient('job-1/output1.csv').getProperties()).etag).toBe(etag);

    const link = await env().blobs.resultLink('job-1', 'output1', FACADE);
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

    const opened = await env().blobs.openResult('job-1', 'output1', FACADE);
    expect(opened.bytes).toBe(data.length);
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect((await gatewayError(env().blobs.openResult('job-1', 'output9', FACADE))).code).toBe('JobResultNotFound');
  });

  it('two concurrent copies publish once', async () => {
    await stage('job-3', csv(1_100 * KiB));
    const outcomes = await Promise.all([env().blobs.copyResult('job-3', 'output1', FACADE), env().blobs.copyResult('job-3', 'output1', FACADE)]);
    expect(outcomes.map((o) => o.copied).sort()).toEqual([false, true]);
  });

  it('a copy whose staged source breaks midway publishes nothing', async () => {
    const size = 2 * 1024 * KiB;
    const server = http.createServer((req, res) => {
      const headers = { 'content-length': String(size), etag: '"0x1"', 'last-modified': new Date().toUTCString(), 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/csv' };
      if (req.method === 'HEAD') return void res.writeHead(200, headers).end();
      res.writeHead(200, headers);
      res.write(Buffer.alloc(300 * KiB, 0x62), () => setTimeout(() => res.destroy(), 20));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      // An exchange account whose staging blob breaks mid-download; results go to the real Azurite.
      const exchange = `DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=${Buffer.alloc(32, 1).toString('base64')};BlobEndpoint=http://127.0.0.1:${(server.address() as AddressInfo).port}/acct`;
      const blobs = new FacadeBlobs({ storage: env().conn, exchange: exchange, bufferBytes: 256 * KiB, concurrency: 2 });
      const error = await gatewayError(blobs.copyResult('job-4', 'output1', FACADE));
      expect(error.status).toBe(503);
      expect(await blobNames(results(), 'job-4/')).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('a staged output that does not exist is BackendOutputNotFound', async () => {
    const missing = await gatewayError(env().blobs.copyResult('job-5', 'output1', FACADE));
    expect(missing.code).toBe('BackendOutputNotFound');
  });
});

describe('results where a classic client asked', () => {
  it('lands in the client\'s own blob, once; the link is signed with the client\'s key and reads only', async () => {
    const out = client().service.getContainerClient('client-out');
    await out.createIfNotExists();
    const data = csv(500 * KiB);
    await stage('job-6', data);
    const destination: OutputDestination = { kind: 'caller', connection: connection(client().text), container: 'client-out', blob: 'scores/result.csv' };
    expect(await env().blobs.copyResult('job-6', 'output1', destination)).toEqual({ relativeLocation: 'client-out/scores/result.csv', bytes: data.length, copied: true });
    expect((await out.getBlobClient('scores/result.csv').downloadToBuffer()).equals(data)).toBe(true);
    expect(await env().blobs.copyResult('job-6', 'output1', destination)).toMatchObject({ copied: false });

    const link = await env().blobs.resultLink('job-6', 'output1', destination);
    expect(link.BaseLocation).toBe(`${env().azurite.info.blob}/clientstore1/`);
    expect(link.RelativeLocation).toBe('client-out/scores/result.csv');
    const got = await request(link.BaseLocation + link.RelativeLocation + link.SasBlobToken);
    expect(Buffer.from(await got.body.arrayBuffer()).equals(data)).toBe(true);
    expect(new URLSearchParams(link.SasBlobToken.slice(1)).get('sp')).toBe('r');
  });

  it('replaces a previous job\'s result in the same blob (same size), since it is not this job\'s', async () => {
    const out = client().service.getContainerClient('client-out');
    const destination: OutputDestination = { kind: 'caller', connection: connection(client().text), container: 'client-out', blob: 'every-run.csv' };
    await stage('job-7', Buffer.from('Col2\nfirst\n'));
    await env().blobs.copyResult('job-7', 'output1', destination);
    await stage('job-8', Buffer.from('Col2\nsecnd\n'));
    expect(await env().blobs.copyResult('job-8', 'output1', destination)).toMatchObject({ copied: true });
    expect((await out.getBlobClient('every-run.csv').downloadToBuffer()).toString()).toBe('Col2\nsecnd\n');
  });

  it('writes through a client\'s write-only SAS, and hands the client\'s own SAS back as the link', async () => {
    const out = client().service.getContainerClient('client-out');
    const sas = await out.generateSasUrl({ permissions: ContainerSASPermissions.parse('cw'), expiresOn: inAnHour() });
    const text = `BlobEndpoint=${env().azurite.info.blob}/clientstore1;SharedAccessSignature=${new URL(sas).search.slice(1)}`;
    const destination: OutputDestination = { kind: 'caller', connection: connection(text), container: 'client-out', blob: 'via-sas.csv' };
    await stage('job-9', Buffer.from('Col2\nx\n'));
    expect(await env().blobs.copyResult('job-9', 'output1', destination)).toMatchObject({ copied: true });
    expect((await out.getBlobClient('via-sas.csv').downloadToBuffer()).toString()).toBe('Col2\nx\n');
    expect((await env().blobs.resultLink('job-9', 'output1', destination)).SasBlobToken).toBe(new URL(sas).search);
  });

  it('a location the client\'s storage refuses for good (no such container) is DestinationRefused, and nothing is written', async () => {
    await stage('job-10', Buffer.from('Col2\nx\n'));
    const destination: OutputDestination = { kind: 'caller', connection: connection(client().text), container: 'no-such-container', blob: 'r.csv' };
    const error = await env().blobs.copyResult('job-10', 'output1', destination).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationRefused);
    expect((error as Error).message).toMatch(/ContainerNotFound|404/);
  });
});

describe('clean-up', () => {
  it('deleteJobBlobs removes staging and results of that job only', async () => {
    expect(await env().blobs.deleteJobBlobs('job-1')).toBe(2);
    expect(await blobNames(results(), 'job-1/')).toEqual([]);
    expect(await blobNames(results(), 'job-3/')).toHaveLength(1);
  });
});
