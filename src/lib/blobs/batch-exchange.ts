// The batch adapters' view of the facade's storage (backends/batch-exchange.ts): a job's input copied into the
// exchange account's staging area under the job's own prefix ({jobId}/.azureml/…, which output names cannot reach,
// and which goes when the job is purged), URLs with narrow SAS grants for the batch service, staged blobs read back
// (bounded), the result written through the access the job was given, and the adapter's state, sealed.
import type { BlobClient } from '@azure/storage-blob';
import { GatewayError } from '../errors.js';
import type { BatchExchange, BatchJobState } from '../backends/batch-exchange.js';
import type { BlobAccess } from '../backends/port.js';
import type { Sealer } from '../secrets/sealer.js';
import { statusOf, storageFault } from '../storage/errors.js';
import { BlobAccounts } from './blob-accounts.js';
import { CONTAINERS, parseBlobPath } from './locations.js';
import { blobSas } from './sas.js';

/** What the adapter reads back into memory at most (the staged input, an output): a join happens in memory. */
const MAX_STAGED_BYTES = 256 * 1024 * 1024;
const JOB_KEY = /^[0-9a-f]{32}$/;

export class BlobBatchExchange implements BatchExchange {
  readonly #accounts: BlobAccounts;
  readonly #sealer: Sealer;

  constructor(accounts: BlobAccounts, sealer: Sealer) {
    this.#accounts = accounts;
    this.#sealer = sealer;
  }

  async stageInput(key: string, input: BlobAccess, expiresOn: Date): Promise<string> {
    const staged = await this.#staged(key, 'input.csv');
    const exists = await this.#storage(() => staged.exists(this.#accounts.control()));
    if (!exists) {
      const source = await this.#blob(input, 'the job input');
      await this.#storage(async () => {
        const download = await source.download(0);
        await staged.getBlockBlobClient().uploadStream(download.readableStreamBody! as NodeJS.ReadableStream & import('node:stream').Readable);
      });
    }
    return `${staged.url}?${(await blobSas(staged, 'r', expiresOn)).token}`;
  }

  async outputLocation(key: string, attempt: number, expiresOn: Date): Promise<string> {
    const blob = await this.#staged(key, `output-${attempt}.csv`);
    return `${blob.url}?${(await blobSas(blob, 'cw', expiresOn)).token}`;
  }

  async readStaged(key: string, which: 'input' | number): Promise<Buffer | undefined> {
    const blob = await this.#staged(key, which === 'input' ? 'input.csv' : `output-${which}.csv`);
    try {
      const props = await blob.getProperties(this.#accounts.control());
      if ((props.contentLength ?? 0) > MAX_STAGED_BYTES) {
        throw new GatewayError('BackendOutputInvalid', `A staged batch file is larger than ${MAX_STAGED_BYTES / 1024 / 1024} MiB, the most the batch adapter joins.`);
      }
      return await blob.downloadToBuffer();
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      if (statusOf(error) === 404) return undefined;
      throw storageFault(error);
    }
  }

  async writeOutput(access: BlobAccess, content: Buffer): Promise<void> {
    const blob = await this.#blob(access, 'the job output');
    await this.#storage(() => blob.getBlockBlobClient().upload(content, content.length, { blobHTTPHeaders: { blobContentType: 'text/csv; charset=utf-8' } }));
  }

  async loadState(key: string): Promise<BatchJobState | undefined> {
    const blob = await this.#staged(key, 'state');
    let sealed: string;
    try {
      sealed = (await blob.downloadToBuffer()).toString('utf8');
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw storageFault(error);
    }
    return JSON.parse(await this.#sealer.open(sealed, stateContext(key))) as BatchJobState;
  }

  async saveState(key: string, state: BatchJobState): Promise<void> {
    const blob = await this.#staged(key, 'state');
    // Sealed: the request holds the job's storage grants.
    const sealed = Buffer.from(await this.#sealer.seal(JSON.stringify(state), stateContext(key)));
    await this.#storage(() => blob.getBlockBlobClient().upload(sealed, sealed.length));
  }

  async #staged(key: string, name: string): Promise<BlobClient> {
    if (!JOB_KEY.test(key)) throw new Error('a batch job key is 32 hex digits');
    const container = await this.#storage(() => this.#accounts.container('exchange', CONTAINERS.staging, true));
    return container.getBlobClient(`${key}/.azureml/${name}`);
  }

  /** A blob named by a job's access (a connection string scoped to it, and its /container/blob). */
  async #blob(access: BlobAccess, what: string): Promise<BlobClient> {
    const path = parseBlobPath(access.RelativeLocation);
    if (typeof path === 'string') throw new GatewayError('InvalidBlob', `${what}: ${path}`);
    const service = await this.#accounts.serviceFor(access.ConnectionString, what);
    return service.getContainerClient(path.container).getBlobClient(path.blob);
  }

  async #storage<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw error instanceof GatewayError ? error : storageFault(error);
    }
  }
}

const stateContext = (key: string): string => `${key}/.azureml/state`;
