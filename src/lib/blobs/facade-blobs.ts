// The facade's blob side of batch execution: inputs in (streamed through the facade, or straight to storage
// with a write-only SAS), backend outputs copied into results exactly once, read-only links to results.
// Inputs and staging live in the exchange account (the one whose connection string backends get); results
// live in the facade's own account. By default both are the facade's storage account.
import type { BlobClient, ContainerClient } from '@azure/storage-blob';
import type { Readable } from 'node:stream';
import { GatewayError } from '../errors.js';
import { statusOf, storageFault } from './blob-sdk.js';
import { BlobAccounts } from './blob-accounts.js';
import { CONTAINERS, jobBlobName, jobPrefix, newInputLocation, ownedInputLocation } from './locations.js';
import { blobSas } from './sas.js';
import { backendOutputBlob, copyOnce, pump, type BackendOutput } from './copy-result.js';
import { metered, toNodeReadable, type BodyStream } from './streams.js';

export interface FacadeBlobsOptions {
  storageConnectionString: string;
  /** Account for inputs and staging, handed to backends; defaults to storageConnectionString. */
  exchangeConnectionString?: string;
  inputSasMinutes?: number;
  resultSasMinutes?: number;
  /** Streaming buffers: memory per upload or copy is about bufferBytes × concurrency. */
  bufferBytes?: number;
  concurrency?: number;
}

/** A blob as the classic BES contract names it for a backend (never shown to callers, never logged). */
export interface ClassicBlobReference {
  connectionString: string;
  relativeLocation: string;
}

export type { BackendOutput };

/** The classic Results entry of a status answer: BaseLocation + RelativeLocation + SasBlobToken is the URL. */
export interface ResultLink {
  ConnectionString: null;
  BaseLocation: string;
  RelativeLocation: string;
  SasBlobToken: string;
}

const emptyBody = () =>
  new GatewayError('RequestBodyInvalid', 'The input file is empty.', {
    details: [{ code: 'RequestBodyInvalid', target: 'body', message: 'the body must be the input file' }],
  });
const interrupted = () =>
  new GatewayError('RequestBodyInvalid', 'The upload ended before the whole body arrived.', {
    details: [{ code: 'RequestBodyInvalid', target: 'body', message: 'the body was interrupted' }],
  });
const invalidBlob = (field: string) =>
  new GatewayError('InputBlobNotFound', 'The input blob does not exist or does not belong to this subscription.', {
    details: [{ code: 'InputBlobNotFound', target: field, message: 'upload the input through this facade first (POST …/inputs or …/inputs/sas)' }],
  });

export class FacadeBlobs {
  readonly #accounts: BlobAccounts;
  readonly #inputSasMinutes: number;
  readonly #resultSasMinutes: number;
  readonly #buffers: { bufferBytes: number; concurrency: number };

  constructor(options: FacadeBlobsOptions) {
    this.#accounts = new BlobAccounts(options.storageConnectionString, options.exchangeConnectionString);
    this.#inputSasMinutes = options.inputSasMinutes ?? 15;
    this.#resultSasMinutes = options.resultSasMinutes ?? 60;
    this.#buffers = { bufferBytes: options.bufferBytes ?? 8 * 1024 * 1024, concurrency: options.concurrency ?? 4 };
  }

  /** Streams a caller's file into inputs/{subscriptionId}/{random id}/{fileName}; nothing is committed unless the whole body arrived. */
  async uploadInput(subscriptionId: string, fileName: string, body: BodyStream): Promise<{ relativeLocation: string; bytes: number }> {
    const location = newInputLocation(subscriptionId, fileName);
    const source = toNodeReadable(body);
    let blob: BlobClient;
    try {
      blob = (await this.#accounts.container('exchange', CONTAINERS.inputs, true)).getBlobClient(location.blobName);
    } catch (error) {
      // Storage is down: stop taking the upload rather than read it all for nothing.
      source.destroy();
      throw storageFault(error);
    }
    const flow = metered(source, (bytes) => (bytes === 0 ? emptyBody() : undefined));
    try {
      await pump(
        flow.meter,
        blob.getBlockBlobClient().uploadStream(flow.meter, this.#buffers.bufferBytes, this.#buffers.concurrency, {
          blobHTTPHeaders: { blobContentType: 'text/csv' },
        }),
      );
    } catch (error) {
      flow.abort();
      if (error instanceof GatewayError) throw error;
      if (flow.state.sourceError !== undefined) throw interrupted();
      throw storageFault(error);
    }
    return { relativeLocation: location.relativeLocation, bytes: flow.meter.bytes };
  }

  /** A URL that may create and write one new input blob (no read, no list, no delete) until expiresAt. */
  async issueInputUploadSas(subscriptionId: string, fileName: string, ttlMinutes = this.#inputSasMinutes): Promise<{ relativeLocation: string; sasUrl: string; expiresAt: string }> {
    const location = newInputLocation(subscriptionId, fileName);
    let blob: BlobClient;
    try {
      blob = (await this.#accounts.container('exchange', CONTAINERS.inputs, true)).getBlobClient(location.blobName);
    } catch (error) {
      throw storageFault(error);
    }
    const sas = await blobSas(blob, 'cw', ttlMinutes * 60_000);
    return { relativeLocation: location.relativeLocation, sasUrl: `${blob.url}?${sas.token}`, expiresAt: sas.expiresOn.toISOString() };
  }

  /**
   * The backend's view of one of this caller's inputs, if it exists. Another subscription's location gets
   * the same 404 as a missing one, without a storage look-up. `field` names the request field in the error.
   */
  async ownInput(subscriptionId: string, relativeLocation: string, field = 'RelativeLocation'): Promise<ClassicBlobReference> {
    const location = ownedInputLocation(subscriptionId, relativeLocation);
    if (!location) throw invalidBlob(field);
    try {
      await (await this.#accounts.container('exchange', CONTAINERS.inputs, false)).getBlobClient(location.blobName).getProperties();
    } catch (error) {
      if (statusOf(error) === 404) throw invalidBlob(field);
      throw storageFault(error);
    }
    return { connectionString: this.#accounts.connectionString('exchange'), relativeLocation: location.relativeLocation };
  }

  /** Where the facade asks the backend to write an output: /staging/{jobId}/{outputName}.csv in the exchange account. */
  async stagingOutput(jobId: string, outputName: string): Promise<ClassicBlobReference> {
    const name = jobBlobName(jobId, outputName);
    try {
      await this.#accounts.container('exchange', CONTAINERS.staging, true);
    } catch (error) {
      throw storageFault(error);
    }
    return { connectionString: this.#accounts.connectionString('exchange'), relativeLocation: `/${CONTAINERS.staging}/${name}` };
  }

  /** Copies a backend output to results/{jobId}/{outputName}.csv once; copied=false when it was already there. */
  async copyResult(jobId: string, outputName: string, source: BackendOutput): Promise<{ relativeLocation: string; bytes: number; copied: boolean }> {
    const name = jobBlobName(jobId, outputName);
    const from = await backendOutputBlob(source, (cs, what) => this.#accounts.serviceFor(cs, what));
    let results: ContainerClient;
    try {
      results = await this.#accounts.container('storage', CONTAINERS.results, true);
    } catch (error) {
      throw storageFault(error);
    }
    const outcome = await copyOnce(from, results.getBlockBlobClient(name), jobId, this.#buffers);
    return { relativeLocation: `${CONTAINERS.results}/${name}`, ...outcome };
  }

  /** The status answer's Results entry: a read-only SAS for that one result blob, short-lived. */
  async resultLink(jobId: string, outputName: string, ttlMinutes = this.#resultSasMinutes): Promise<ResultLink> {
    const name = jobBlobName(jobId, outputName);
    const service = await this.#accounts.service('storage');
    const sas = await blobSas(service.getContainerClient(CONTAINERS.results).getBlobClient(name), 'r', ttlMinutes * 60_000);
    return {
      ConnectionString: null,
      BaseLocation: `${service.url.replace(/\/+$/, '')}/`,
      RelativeLocation: `${CONTAINERS.results}/${name}`,
      SasBlobToken: `?${sas.token}`,
    };
  }

  /** The result blob as a stream (for the facade's own download endpoint); 404 JobResultNotFound if absent. */
  async openResult(jobId: string, outputName: string): Promise<{ stream: Readable; bytes: number; contentType: string }> {
    const name = jobBlobName(jobId, outputName);
    try {
      const download = await (await this.#accounts.container('storage', CONTAINERS.results, false)).getBlobClient(name).download(0);
      if (!download.readableStreamBody) throw new Error('the download has no body');
      return { stream: toNodeReadable(download.readableStreamBody), bytes: download.contentLength ?? 0, contentType: download.contentType ?? 'text/csv' };
    } catch (error) {
      if (statusOf(error) === 404) throw new GatewayError('JobResultNotFound', `The job has no result named "${outputName}".`);
      throw storageFault(error);
    }
  }

  /** Deletes a job's staged outputs and results (e.g. when a job record is purged). Returns how many blobs went. */
  async deleteJobBlobs(jobId: string): Promise<number> {
    const prefix = jobPrefix(jobId);
    let deleted = 0;
    for (const [account, name] of [['exchange', CONTAINERS.staging], ['storage', CONTAINERS.results]] as const) {
      try {
        const container = await this.#accounts.container(account, name, false);
        for await (const item of container.listBlobsFlat({ prefix })) {
          const gone = await container.deleteBlob(item.name, { deleteSnapshots: 'include' }).catch((e: unknown) => {
            if (statusOf(e) === 404) return undefined; // deleted meanwhile by another instance
            throw e;
          });
          if (gone) deleted++;
        }
      } catch (error) {
        if (statusOf(error) !== 404) throw storageFault(error);
      }
    }
    return deleted;
  }
}
