// A real Azurite for one test file plus a FacadeBlobs over it (small stream buffers, so that modest test
// files still take several blocks), and small helpers for the blob tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, expect } from 'vitest';
import { startAzurite, type AzuriteInfo } from '../../../src/local/stack/azurite.js';
import type { RunningChild } from '../../../src/local/stack/child.js';
import { FacadeBlobs } from '../../../src/lib/blobs/facade-blobs.js';
import { GatewayError } from '../../../src/lib/errors.js';

export const KiB = 1024;

export interface AzuriteBlobs {
  azurite: RunningChild<AzuriteInfo>;
  conn: string;
  service: BlobServiceClient;
  blobs: FacadeBlobs;
}

export function useAzuriteBlobs(): () => AzuriteBlobs {
  let dir: string | undefined;
  let env: AzuriteBlobs | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'facade-blobs-'));
    const azurite = await startAzurite({ location: dir });
    const conn = azurite.info.connectionString;
    env = {
      azurite,
      conn,
      service: BlobServiceClient.fromConnectionString(conn),
      blobs: new FacadeBlobs({ storage: conn, bufferBytes: 256 * KiB, concurrency: 2, uploads: { bufferBytes: 256 * KiB, concurrency: 2 } }),
    };
  }, 60_000);
  afterAll(async () => {
    await env?.azurite.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (!env) throw new Error('Azurite is not started');
    return env;
  };
}

export function csv(bytes: number): Buffer {
  const text = 'Col2\n' + 'the quick brown fox jumps over the lazy dog\n'.repeat(Math.ceil(bytes / 44));
  return Buffer.from(text).subarray(0, bytes);
}

export function chunked(data: Buffer, chunk = 64 * KiB): Readable {
  let offset = 0;
  return new Readable({
    read() {
      this.push(offset < data.length ? data.subarray(offset, (offset += chunk)) : null);
    },
  });
}

/** A stream that sends about `bytes` then fails, as a client going away mid-upload. */
export function failingAfter(bytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) return void this.destroy(new Error('client went away'));
      sent += 64 * KiB;
      this.push(Buffer.alloc(64 * KiB, 0x61));
    },
  });
}

export async function blobNames(container: ContainerClient, prefix: string, uncommitted = false): Promise<string[]> {
  const names: string[] = [];
  if (!(await container.exists())) return names;
  for await (const item of container.listBlobsFlat({ prefix, includeUncommitedBlobs: uncommitted })) names.push(item.name);
  return names;
}

export async function gatewayError(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}
