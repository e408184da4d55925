// BES inputs end to end through the real stack: upload through the facade (streamed, also ~50 MB chunked),
// the write-only upload SAS, ownership of inputs, and the gateway's 400/401 answers on these endpoints.
import { expectClassicBody } from './helpers/classic.js';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { BlobServiceClient } from '@azure/storage-blob';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { useStack } from './helpers/stack.js';
import { waitFor } from './helpers/wait.js';
import { FacadeBlobs } from '../../src/lib/blobs/facade-blobs.js';

const stack = useStack();
const MiB = 1024 * 1024;

function inputsUrl(suffix = '', query = 'api-version=2.0&name=data.csv'): string {
  const { workspace, service } = stack().demo;
  return `${stack().facadeUrl}/workspaces/${workspace}/services/${service}/inputs${suffix}?${query}`;
}

async function call(url: string, init: { key?: string | null; body?: string | Buffer | Readable; headers?: Record<string, string> } = {}) {
  const key = init.key === undefined ? stack().demo.subscriptionKey : init.key;
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...(key ? { 'ocp-apim-subscription-key': key } : {}), ...init.headers },
    body: init.body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? (JSON.parse(text) as any) : undefined };
}

async function newSubscription(name: string): Promise<{ id: string; primaryKey: string }> {
  const res = await request(`${stack().facadeUrl}/manage/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-key': stack().adminKey },
    body: JSON.stringify({ name, productId: 'unlimited' }),
  });
  expect(res.statusCode).toBe(201);
  return (await res.body.json()) as { id: string; primaryKey: string };
}

const inputs = () => BlobServiceClient.fromConnectionString(stack().storageConnectionString).getContainerClient('inputs');
const blobOf = (relativeLocation: string) => inputs().getBlobClient(relativeLocation.replace(/^\/inputs\//, ''));

/** Peak resident memory of a child process (Linux), in bytes. */
function peakRss(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** A CSV of `size` bytes sent with Transfer-Encoding: chunked (a stream body has no content-length). */
function uploadChunked(size: number) {
  const chunk = Buffer.from('Col2\n' + 'streaming is the only way to move big files around\n'.repeat(20_000));
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
      sent += part.length;
      this.push(part);
    },
  });
  return call(inputsUrl('', 'api-version=2.0&name=big.csv'), { body });
}

describe('POST …/inputs', () => {
  it('stores the body as the caller’s input blob and answers 201 with its location', async () => {
    const body = 'Col2\nThis is a good day\nThis is a bad day\n';
    const res = await call(inputsUrl(), { body });
    expect(res.status).toBe(201);
    expect(res.headers['x-ms-request-id']).toBeTruthy();
    expect(res.json).toEqual({ RelativeLocation: expect.stringMatching(/^\/inputs\/[0-9a-f]{32}\/[0-9a-f]{32}\/data\.csv$/), Bytes: Buffer.byteLength(body) });
    expect((await blobOf(res.json.RelativeLocation).downloadToBuffer()).toString()).toBe(body);
  });

  it('streams ~50 MB sent chunked (no content-length), and memory stays flat for a 90 MB one', async () => {
    const facade = stack().children.find((c) => c.name === 'facade')!;
    const first = await uploadChunked(50 * MiB);
    expect(first.status).toBe(201);
    expect(first.json.Bytes).toBe(50 * MiB);
    expect((await blobOf(first.json.RelativeLocation).getProperties()).contentLength).toBe(50 * MiB);
    // The first big upload warms up (SDK, 4 × 8 MiB block buffers, heap); a file held whole would add its
    // own size to the peak on top of that, a streamed one only GC slack.
    const before = peakRss(facade.process.pid!);
    const second = await uploadChunked(90 * MiB);
    expect(second.status).toBe(201);
    expect(second.json.Bytes).toBe(90 * MiB);
    const after = peakRss(facade.process.pid!);
    if (before !== undefined && after !== undefined) expect(after - before).toBeLessThan(60 * MiB);
  }, 60_000);

  it('commits nothing when the client goes away midway', async () => {
    const sub = await newSubscription('aborting-uploader');
    const url = new URL(inputsUrl('', 'api-version=2.0&name=cut.csv'));
    const body = new Readable({ read() {} });
    const pending = request(url, { method: 'POST', headers: { 'ocp-apim-subscription-key': sub.primaryKey }, body }).catch((e: Error) => e);
    for (let i = 0; i < 20; i++) body.push(Buffer.alloc(MiB, 0x61)); // more than two 8 MiB blocks
    const stagedSoFar = async () => {
      const found: string[] = [];
      if (!(await inputs().exists())) return undefined;
      for await (const item of inputs().listBlobsFlat({ prefix: `${sub.id}/`, includeUncommitedBlobs: true })) found.push(item.name);
      return found.length > 0 ? found : undefined;
    };
    await waitFor('a block of the upload staged', stagedSoFar, 10_000);
    body.destroy(new Error('client gone'));
    await pending;
    const facade = stack().children.find((c) => c.name === 'facade')!;
    await waitFor('the facade to be done with the upload', () => (facade.logs.some((l) => l.includes('gatewayCall') && l.includes(sub.id)) ? true : undefined));
    const names: string[] = [];
    for await (const item of inputs().listBlobsFlat({ prefix: `${sub.id}/` })) names.push(item.name);
    expect(names).toEqual([]);
    // Blocks were staged (the upload was under way), but never committed.
    const staged: string[] = [];
    for await (const item of inputs().listBlobsFlat({ prefix: `${sub.id}/`, includeUncommitedBlobs: true })) staged.push(item.name);
    expect(staged).toHaveLength(1);
  });

  it('answers 400 naming `name` or `api-version`, and 401 without a key', async () => {
    const badName = await call(inputsUrl('', 'api-version=2.0&name=..%2Fx.csv'), { body: 'Col2\nx\n' });
    expect(badName.status).toBe(400);
    expect(badName.json.error.details[0].target).toBe('name');
    const noVersion = await call(inputsUrl('', 'name=data.csv'), { body: 'Col2\nx\n' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.json.error.details[0].target).toBe('api-version');
    const empty = await call(inputsUrl(), { body: '' });
    expect(empty.status).toBe(400);
    const noKey = await call(inputsUrl(), { body: 'Col2\nx\n', key: null });
    expect(noKey.status).toBe(401);
    expectClassicBody(noKey.json, 'ScoreRequestUnauthorized');
    const unknown = await call(inputsUrl().replace('/services/feature-hashing/', '/services/no-such-service/'), { body: 'Col2\nx\n' });
    expect(unknown.status).toBe(404);
  });
});

describe('POST …/inputs/sas', () => {
  it('issues a URL that lets a plain PUT create the blob, but not read or list it', async () => {
    const res = await call(inputsUrl('/sas'), { body: undefined });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { RelativeLocation, SasUrl, ExpiresAt } = res.json as { RelativeLocation: string; SasUrl: string; ExpiresAt: string };
    expect(RelativeLocation).toMatch(/^\/inputs\/[0-9a-f]{32}\/[0-9a-f]{32}\/data\.csv$/);
    const ttl = Date.parse(ExpiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);

    const put = await request(SasUrl, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'Col2\nuploaded directly\n' });
    await put.body.dump();
    expect(put.statusCode).toBe(201);
    expect((await blobOf(RelativeLocation).downloadToBuffer()).toString()).toBe('Col2\nuploaded directly\n');

    const read = await request(SasUrl);
    await read.body.dump();
    expect(read.statusCode).toBe(403);
    const url = new URL(SasUrl);
    const containerPath = url.pathname.split('/').slice(0, 3).join('/'); // /devstoreaccount1/inputs
    const list = await request(`${url.origin}${containerPath}?restype=container&comp=list&${url.searchParams}`);
    await list.body.dump();
    expect(list.statusCode).toBe(403);
  });

  it('gives inputs that only their own subscription can use', async () => {
    const sub = await newSubscription('owner-check');
    const uploaded = await call(inputsUrl(), { body: 'Col2\nmine\n', key: sub.primaryKey });
    expect(uploaded.status).toBe(201);
    const location = uploaded.json.RelativeLocation as string;
    expect(location.startsWith(`/inputs/${sub.id}/`)).toBe(true);
    const blobs = new FacadeBlobs({ storage: stack().storageConnectionString });
    const later = new Date(Date.now() + 3_600_000);
    expect((await blobs.ownInput(sub.id, location, 'RelativeLocation', later)).relativeLocation).toBe(location);
    await expect(blobs.ownInput('0123456789abcdef0123456789abcdef', location, 'RelativeLocation', later)).rejects.toMatchObject({ status: 404, code: 'InputBlobNotFound' });
  });

  it('answers 400 for a bad name and 401 without a key', async () => {
    const bad = await call(inputsUrl('/sas', 'api-version=2.0&name=a%5Cb'));
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].target).toBe('name');
    expect((await call(inputsUrl('/sas', 'name=x.csv'))).status).toBe(400);
    expect((await call(inputsUrl('/sas'), { key: null })).status).toBe(401);
  });
});
