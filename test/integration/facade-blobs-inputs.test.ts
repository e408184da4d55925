// FacadeBlobs inputs against a real Azurite: streamed uploads (nothing committed on a broken or empty body),
// input ownership, and the write-only upload SAS (creates one blob; no read, list, delete; expires).
import { BlobServiceClient } from '@azure/storage-blob';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { blobNames, chunked, csv, failingAfter, gatewayError, KiB, useAzuriteBlobs } from './helpers/azurite-blobs.js';

const env = useAzuriteBlobs();
const SUB = '0123456789abcdef0123456789abcdef';
const OTHER = 'fedcba9876543210fedcba9876543210';
const inputs = () => env().service.getContainerClient('inputs');

describe('uploadInput', () => {
  it('streams a Node stream in blocks and a web stream too; the blob is text/csv', async () => {
    const data = csv(1_300 * KiB);
    const stored = await env().blobs.uploadInput(SUB, 'data.csv', chunked(data));
    expect(stored.bytes).toBe(data.length);
    expect(stored.relativeLocation).toMatch(new RegExp(`^/inputs/${SUB}/[0-9a-f]{32}/data\\.csv$`));
    const blob = inputs().getBlobClient(stored.relativeLocation.slice('/inputs/'.length));
    expect((await blob.downloadToBuffer()).equals(data)).toBe(true);
    expect((await blob.getProperties()).contentType).toBe('text/csv');

    const web = Readable.toWeb(chunked(Buffer.from('Col2\nhello\n'))) as unknown as ReadableStream<Uint8Array>;
    const small = await env().blobs.uploadInput(SUB, 'small.csv', web);
    expect(small.bytes).toBe(11);
  });

  it('commits nothing when the body breaks midway or is empty', async () => {
    const sub = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const broken = await gatewayError(env().blobs.uploadInput(sub, 'data.csv', failingAfter(900 * KiB)));
    expect(broken.status).toBe(400);
    const empty = await gatewayError(env().blobs.uploadInput(sub, 'data.csv', Readable.from([])));
    expect(empty.status).toBe(400);
    expect(empty.details[0]?.target).toBe('body');
    expect(await blobNames(inputs(), `${sub}/`)).toEqual([]);
    // The broken upload had staged blocks: it was under way, and never committed.
    expect(await blobNames(inputs(), `${sub}/`, true)).toHaveLength(1);
  });

  it('refuses a bad file name with a 400 naming `name`', async () => {
    const error = await gatewayError(env().blobs.uploadInput(SUB, 'a/b.csv', Readable.from([Buffer.from('x')])));
    expect(error.status).toBe(400);
    expect(error.details[0]?.target).toBe('name');
  });
});

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe('ownInput', () => {
  it("gives the backend a read-only SAS for the caller's own input alone, and 404 InputBlobNotFound otherwise", async () => {
    const stored = await env().blobs.uploadInput(SUB, 'data.csv', Readable.from([Buffer.from('Col2\nx\n')]));
    const other = await env().blobs.uploadInput(SUB, 'other.csv', Readable.from([Buffer.from('Col2\ny\n')]));
    const view = await env().blobs.ownInput(SUB, stored.relativeLocation, 'Inputs.input1.RelativeLocation', inAnHour());
    expect(view.relativeLocation).toBe(stored.relativeLocation);
    expect(view.connectionString).not.toContain('AccountKey');
    const asBackend = BlobServiceClient.fromConnectionString(view.connectionString).getContainerClient('inputs');
    expect((await asBackend.getBlobClient(stored.relativeLocation.replace('/inputs/', '')).downloadToBuffer()).toString()).toBe('Col2\nx\n');
    await expect(asBackend.getBlobClient(other.relativeLocation.replace('/inputs/', '')).downloadToBuffer()).rejects.toMatchObject({ statusCode: 403 });
    await expect(asBackend.getBlockBlobClient(stored.relativeLocation.replace('/inputs/', '')).uploadData(Buffer.from('overwrite'))).rejects.toMatchObject({ statusCode: 403 });
    const foreign = await gatewayError(env().blobs.ownInput(OTHER, stored.relativeLocation, 'Inputs.input1.RelativeLocation', inAnHour()));
    const missing = await gatewayError(env().blobs.ownInput(SUB, stored.relativeLocation.replace(/[0-9a-f]{32}/, 'f'.repeat(32)), 'Inputs.input1.RelativeLocation', inAnHour()));
    const elsewhere = await gatewayError(env().blobs.ownInput(SUB, '/other/blob.csv', 'Inputs.input1.RelativeLocation', inAnHour()));
    for (const error of [foreign, missing, elsewhere]) {
      expect(error.status).toBe(404);
      expect(error.code).toBe('InputBlobNotFound');
      expect(error.details[0]?.target).toBe('Inputs.input1.RelativeLocation');
    }
    // Not existing and not ours read the same: nothing tells whether another subscription's blob exists.
    expect(foreign.message).toBe(missing.message);
  });
});

describe('issueInputUploadSas', () => {
  it('lets a plain PUT create that one blob, and nothing else', async () => {
    const sas = await env().blobs.issueInputUploadSas(SUB, 'big.csv');
    expect(Date.parse(sas.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(Date.parse(sas.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(new URL(sas.sasUrl).searchParams.get('sp')).toBe('c');
    const put = await request(sas.sasUrl, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/csv' }, body: 'Col2\nhi\n' });
    await put.body.dump();
    expect(put.statusCode).toBe(201);
    expect((await env().blobs.ownInput(SUB, sas.relativeLocation, 'RelativeLocation', inAnHour())).relativeLocation).toBe(sas.relativeLocation);

    const url = new URL(sas.sasUrl);
    const read = await request(sas.sasUrl, { method: 'GET' });
    await read.body.dump();
    expect(read.statusCode).toBe(403);
    const del = await request(sas.sasUrl, { method: 'DELETE' });
    await del.body.dump();
    expect(del.statusCode).toBe(403);
    const containerUrl = `${url.origin}${url.pathname.split('/').slice(0, 3).join('/')}`;
    const list = await request(`${containerUrl}?restype=container&comp=list&${url.searchParams}`, { method: 'GET' });
    await list.body.dump();
    expect(list.statusCode).toBe(403);
    const otherBlob = await request(`${url.origin}${url.pathname.replace(/big\.csv$/, 'other.csv')}${url.search}`, {
      method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x',
    });
    await otherBlob.body.dump();
    expect(otherBlob.statusCode).toBe(403);
    // Create only: a second PUT cannot overwrite what was uploaded.
    const again = await request(sas.sasUrl, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'Col2\nswapped\n' });
    await again.body.dump();
    expect(again.statusCode).toBe(403);
    expect((await env().service.getContainerClient('inputs').getBlobClient(sas.relativeLocation.replace('/inputs/', '')).downloadToBuffer()).toString()).toBe('Col2\nhi\n');
  });

  it('refuses, as a job input, a blob made by a server-side copy through the SAS instead of an upload', async () => {
    const other = await env().blobs.uploadInput(OTHER, 'secret.csv', Readable.from([Buffer.from('Col2\nanother tenant\n')]));
    const sas = await env().blobs.issueInputUploadSas(SUB, 'copied.csv');
    const source = env().service.getContainerClient('inputs').getBlobClient(other.relativeLocation.replace('/inputs/', '')).url;
    const copy = await request(sas.sasUrl, { method: 'PUT', headers: { 'x-ms-copy-source': source, 'x-ms-requires-sync': 'true' } });
    await copy.body.dump();
    // Azure refuses the copy itself (its source needs its own authorization); Azurite performs it: then the input is refused.
    if (copy.statusCode >= 300) {
      expect(copy.statusCode).toBe(403);
    } else {
      const error = await gatewayError(env().blobs.ownInput(SUB, sas.relativeLocation, 'Inputs.input1.RelativeLocation', inAnHour()));
      expect([error.status, error.code, error.details[0]?.target]).toEqual([400, 'InvalidBlob', 'Inputs.input1.RelativeLocation']);
    }
  });

  it('expires', async () => {
    const sas = await env().blobs.issueInputUploadSas(SUB, 'late.csv', 1 / 60);
    // Until just past its expiry (the SAS carries it truncated to the second, so never later than expiresAt).
    await new Promise((r) => setTimeout(r, Date.parse(sas.expiresAt) - Date.now() + 200));
    const put = await request(sas.sasUrl, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'Col2\nhi\n' });
    await put.body.dump();
    expect(put.statusCode).toBe(403);
  });
});
