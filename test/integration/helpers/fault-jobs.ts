// BES helpers of the fault tests: a result CSV as the backend would write it, the blobs under a prefix
// (committed, or with uncommitted ones too), and the deps of a poller run in-process against the stack's storage.
import { createSealer } from '../../../src/lib/secrets/sealer.js';
import { BlobServiceClient } from '@azure/storage-blob';
import type { Stack } from '../../../src/local/stack/start-stack.js';
import { createStores } from '../../../src/lib/app/stores.js';
import { ClassicBackend } from '../../../src/lib/backends/classic/adapter.js';
import { FacadeBlobs } from '../../../src/lib/blobs/facade-blobs.js';
import type { PollerDeps } from '../../../src/lib/jobs/poller.js';
import { csvLine } from '../../../src/common/csv.js';
import { outputHeader } from '../../../src/reference/rrs.js';
import { expectedRows } from './bes.js';

/** The scored CSV for `texts`, exactly as the reference service writes it (header, then Col2 + 8 features). */
export function resultCsv(texts: string[]): Buffer {
  return Buffer.from(csvLine(outputHeader(3).names) + expectedRows(texts).map((row) => csvLine(row)).join(''));
}

/** Texts long enough that `rows` of them make a result of several MiB. */
export function longTexts(rows: number): string[] {
  const words = ['good', 'day', 'bad', 'Day', 'night,', '"quoted"', 'café', '日本語', '42', 'emoji🙂'];
  return Array.from({ length: rows }, (_, i) => Array.from({ length: 24 }, (_, j) => `${words[(i + j * 7) % words.length]}${(i * j) % 97}`).join(' '));
}

/** Blob names under `prefix` in `container`; with `uncommitted`, blobs that only have staged blocks count too. */
export async function blobsUnder(stack: Stack, container: string, prefix: string, uncommitted = false): Promise<string[]> {
  const client = BlobServiceClient.fromConnectionString(stack.storageConnectionString).getContainerClient(container);
  if (!(await client.exists())) return [];
  const names: string[] = [];
  for await (const item of client.listBlobsFlat({ prefix, includeUncommitedBlobs: uncommitted })) names.push(item.name);
  return names;
}

/** What a facade's poller needs, built in-process over the stack's storage (the backend key read directly). */
export function inProcessPoller(stack: Stack, owner: string, overrides: Partial<PollerDeps> = {}, backendTimeoutMs = 500): PollerDeps {
  const stores = createStores(stack.storageConnectionString);
  const key = async () => stack.backend.apiKey;
  const backend = new ClassicBackend({ get: key, refresh: key }, { timeoutMs: backendTimeoutMs });
  return {
    store: stores.jobs,
    openJobs: stores.openJobs,
    catalogue: stores.catalogue,
    backends: () => backend,
    blobs: new FacadeBlobs({ storage: stack.storageConnectionString }),
    sealer: createSealer(async () => stack.credentialKey),
    now: Date.now,
    pollIntervalMs: 1_000,
    maxRunMs: 3_600_000,
    owner,
    leaseMs: 60_000,
    ...overrides,
  };
}
