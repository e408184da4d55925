// The facade's blob side of batch execution: inputs in (streamed through the facade, or straight to storage
// with a write-only SAS), what backends get (a SAS connection string scoped to one input blob, read-only, and
// one staged output blob, create and write: never an account key, so the facade's tables stay out of reach),
// staged outputs copied exactly once to where the job's output ends, and read-only links to results.
// Inputs and staging live in the exchange account; the facade's own results live in the facade's account; an
// output a classic client named lives in that client's account.
import type { BlobClient, BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import type { Readable } from 'node:stream';
import { GatewayError } from '../errors.js';
import type { ResultLocation } from '../contracts/bes.js';
import { statusOf, storageFault } from '../storage/errors.js';
import { BlobAccounts } from './blob-accounts.js';
import { CONTAINERS, jobBlobName, jobPrefix, newInputLocation, ownedInputLocation, parseBlobPath, type InputLocation } from './locations.js';
import { CsvParser } from '../../common/csv.js';
import type { BlobAccess } from '../backends/port.js';
import { blobSas, sasExpiry, type BlobPermissions } from './sas.js';
import { DestinationRefused, copyOnce, pump, type StreamBuffers } from './copy-result.js';
import { StalledError, metered, progressWatchdog, toNodeReadable, type BodyStream } from './streams.js';
import { UploadBudget } from './upload-budget.js';
import { canonicalConnectionString, type StorageConnection } from '../storage/connection-string.js';
import type { StorageDeadlines } from '../storage/deadlines.js';
import type { StorageAccess } from '../storage/access.js';

export interface FacadeBlobsOptions {
  /** The facade's own storage: a connection string, or an identity-based account. */
  storage: StorageAccess;
  /** Account for inputs and staging, handed to backends (through narrow SAS); defaults to `storage`. */
  exchange?: StorageAccess | undefined;
  inputSasMinutes?: number;
  resultSasMinutes?: number;
  /** Streaming buffers: memory per upload or copy is about bufferBytes × concurrency. */
  bufferBytes?: number;
  concurrency?: number;
  /** Per-try timeout of every blob request (storage/deadlines.ts). */
  deadlines?: StorageDeadlines;
  /** Uploads through the facade: smaller buffers than copies, one shared memory budget, an idle limit. */
  uploads?: { bufferBytes?: number; concurrency?: number; budget?: UploadBudget; idleMs?: number };
  /** A streamed transfer (upload or copy) that moves no bytes for this long ends. */
  streamIdleMs?: number;
}

/** How long a new upload waits for a share of the upload budget before it gets 503. */
const UPLOAD_BUDGET_WAIT_MS = 10_000;
/** Beyond its buffers, what one upload holds (stream queues, the SDK's request objects): measured by
 *  `npm run bench -- --only=stalled-uploads` at about 12.5 MiB per stalled upload with 4 MiB × 2 buffers. */
const UPLOAD_OVERHEAD_BYTES = 1024 * 1024;

/** A blob a backend is handed: a connection string scoped to it (never shown to callers, never logged), and where it is. */
export interface BlobLocation {
  connectionString: string;
  relativeLocation: string;
}

/** Where one output of a job ends: the facade's results container, or a blob in a classic client's own account. */
export type OutputDestination = { kind: 'facade' } | { kind: 'caller'; connection: StorageConnection; container: string; blob: string };

const emptyBody = () =>
  new GatewayError('RequestBodyInvalid', 'The input file is empty.', {
    details: [{ code: 'RequestBodyInvalid', target: 'body', message: 'the body must be the input file' }],
  });
const interrupted = () =>
  new GatewayError('RequestBodyInvalid', 'The upload ended before the whole body arrived.', {
    details: [{ code: 'RequestBodyInvalid', target: 'body', message: 'the body was interrupted' }],
  });
const stalled = (error: StalledError) =>
  new GatewayError('UploadStalled', `The upload stopped: ${error.message}; nothing was stored. Send the file again.`, { target: 'body' });
const invalidBlob = (field: string) =>
  new GatewayError('InputBlobNotFound', 'The input blob does not exist or does not belong to this subscription.', {
    details: [{ code: 'InputBlobNotFound', target: field, message: 'upload the input through this facade first (POST …/inputs or …/inputs/sas)' }],
  });

export class FacadeBlobs {
  readonly #accounts: BlobAccounts;
  readonly #inputSasMinutes: number;
  readonly #resultSasMinutes: number;
  readonly #buffers: StreamBuffers;
  readonly #uploads: { bufferBytes: number; concurrency: number; budget: UploadBudget; idleMs: number };

  constructor(options: FacadeBlobsOptions) {
    this.#accounts = new BlobAccounts(options.storage, options.exchange, options.deadlines);
    this.#inputSasMinutes = options.inputSasMinutes ?? 15;
    this.#resultSasMinutes = options.resultSasMinutes ?? 60;
    const idleMs = options.streamIdleMs ?? 60_000;
    this.#buffers = { bufferBytes: options.bufferBytes ?? 4 * 1024 * 1024, concurrency: options.concurrency ?? 2, deadlines: options.deadlines, idleMs };
    const uploads = options.uploads ?? {};
    this.#uploads = {
      bufferBytes: uploads.bufferBytes ?? 4 * 1024 * 1024,
      concurrency: uploads.concurrency ?? 2,
      budget: uploads.budget ?? new UploadBudget(256 * 1024 * 1024),
      idleMs: uploads.idleMs ?? idleMs,
    };
  }

  /**
   * Streams a caller's file into inputs/{subscriptionId}/{random id}/{fileName}; nothing is committed unless the whole
   * body arrived. Memory: a share of the instance's upload budget (503 when none frees soon), given back at the end;
   * a client that sends nothing for idleMs, or storage that takes nothing for as long, ends the upload.
   */
  async uploadInput(subscriptionId: string, fileName: string, body: BodyStream): Promise<{ relativeLocation: string; bytes: number }> {
    const location = newInputLocation(subscriptionId, fileName);
    const source = toNodeReadable(body);
    const { bufferBytes, concurrency, budget, idleMs } = this.#uploads;
    let release: () => void;
    try {
      release = await budget.acquire(bufferBytes * (concurrency + 1) + UPLOAD_OVERHEAD_BYTES, UPLOAD_BUDGET_WAIT_MS);
    } catch (error) {
      source.destroy();
      throw error;
    }
    try {
      return await this.#upload(location, source, { bufferBytes, concurrency, idleMs });
    } finally {
      release();
    }
  }

  async #upload(location: InputLocation, source: Readable, limits: { bufferBytes: number; concurrency: number; idleMs: number }): Promise<{ relativeLocation: string; bytes: number }> {
    let blob: BlobClient;
    try {
      // Made if missing now: once the body starts flowing, a missing container could not be retried.
      blob = (await this.#accounts.container('exchange', CONTAINERS.inputs, 'fresh')).getBlobClient(location.blobName);
    } catch (error) {
      // Storage is down: stop taking the upload rather than read it all for nothing.
      source.destroy();
      throw storageFault(error);
    }
    const flow = metered(source, (bytes) => (bytes === 0 ? emptyBody() : undefined), { idleMs: limits.idleMs });
    const storageProgress = progressWatchdog(limits.idleMs);
    try {
      await pump(
        flow.meter,
        blob.getBlockBlobClient().uploadStream(flow.meter, limits.bufferBytes, limits.concurrency, {
          blobHTTPHeaders: { blobContentType: 'text/csv' },
          abortSignal: storageProgress.signal,
          onProgress: () => storageProgress.touch(),
        }),
      );
    } catch (error) {
      flow.abort();
      if (error instanceof GatewayError) throw error;
      if (flow.state.sourceError instanceof StalledError) throw stalled(flow.state.sourceError);
      if (flow.state.sourceError !== undefined) throw interrupted();
      throw storageFault(error);
    } finally {
      storageProgress.stop();
    }
    return { relativeLocation: location.relativeLocation, bytes: flow.meter.bytes };
  }

  /**
   * A URL that may create one new input blob, once, in one PUT (no overwrite, no read, no list, no delete) until
   * expiresAt. A blob made there by a copy instead of an upload is refused as a job input (ownInput).
   */
  async issueInputUploadSas(subscriptionId: string, fileName: string, ttlMinutes = this.#inputSasMinutes): Promise<{ relativeLocation: string; sasUrl: string; expiresAt: string }> {
    const location = newInputLocation(subscriptionId, fileName);
    let blob: BlobClient;
    try {
      // Made if missing now: the client uploads straight to storage, where a missing container is not ours to retry.
      blob = (await this.#accounts.container('exchange', CONTAINERS.inputs, 'fresh')).getBlobClient(location.blobName);
    } catch (error) {
      throw storageFault(error);
    }
    const sas = await blobSas(blob, 'c', sasExpiry(ttlMinutes * 60_000));
    return { relativeLocation: location.relativeLocation, sasUrl: `${blob.url}?${sas.token}`, expiresAt: sas.expiresOn.toISOString() };
  }

  /**
   * The backend's view of one of this caller's inputs, if it exists: a connection string whose SAS may read that
   * one blob until `expiresOn`. Another subscription's location gets the same 404 as a missing one, without a
   * storage look-up. `field` names the request field in the error.
   */
  async ownInput(subscriptionId: string, relativeLocation: string, field: string, expiresOn: Date): Promise<BlobLocation> {
    const location = ownedInputLocation(subscriptionId, relativeLocation);
    if (!location) throw invalidBlob(field);
    let blob: BlobClient;
    let copied: boolean;
    try {
      blob = (await this.#accounts.container('exchange', CONTAINERS.inputs, false)).getBlobClient(location.blobName);
      const props = await blob.getProperties(this.#accounts.control());
      copied = Boolean(props.copyId || props.copySource);
    } catch (error) {
      if (statusOf(error) === 404) throw invalidBlob(field);
      throw storageFault(error);
    }
    // An input SAS lets a client create its blob; a server-side copy into it would bring in bytes it never sent
    // (on Azure the copy's source needs its own authorization; Azurite does not check): inputs are uploads only.
    if (copied) {
      throw new GatewayError('InvalidBlob', 'The input was made by a copy, not uploaded; upload the file itself.', {
        details: [{ code: 'InvalidBlob', target: field, message: 'the blob was created by a server-side copy' }],
      });
    }
    return { connectionString: await this.#scopedConnection(blob, 'r', expiresOn), relativeLocation: location.relativeLocation };
  }

  /** Where the backend writes an output: /staging/{jobId}/{outputName}.csv, with a SAS that may create and write that blob alone. */
  async stagingOutput(jobId: string, outputName: string, expiresOn: Date): Promise<BlobLocation> {
    const name = jobBlobName(jobId, outputName);
    let blob: BlobClient;
    try {
      // Made if missing now: the backend writes there, where a missing container is not ours to retry.
      blob = (await this.#accounts.container('exchange', CONTAINERS.staging, 'fresh')).getBlobClient(name);
    } catch (error) {
      throw storageFault(error);
    }
    return { connectionString: await this.#scopedConnection(blob, 'cw', expiresOn), relativeLocation: `/${CONTAINERS.staging}/${name}` };
  }

  /**
   * The header row of a job's input (its first CSV record, read from at most its first 64 KiB), so a submit can say at
   * once that a column the service needs is missing; undefined when the file cannot be read or has no complete header.
   */
  async inputHeader(input: BlobAccess): Promise<string[] | undefined> {
    const path = parseBlobPath(input.RelativeLocation);
    if (typeof path === 'string') return undefined;
    try {
      const service = await this.#accounts.serviceFor(input.ConnectionString, 'the job input');
      // A range read: the file may be shorter than the range (downloadToBuffer insists on the whole count).
      const download = await service.getContainerClient(path.container).getBlobClient(path.blob).download(0, 64 * 1024, this.#accounts.control());
      const chunks: Buffer[] = [];
      for await (const chunk of download.readableStreamBody as AsyncIterable<Buffer>) chunks.push(chunk);
      const [header] = new CsvParser().push(Buffer.concat(chunks).toString('utf8'));
      return header?.fields;
    } catch {
      return undefined; // the backend judges what the facade could not read
    }
  }

  /** Copies the staged output to its destination once; copied=false when this job's result was already there. */
  async copyResult(jobId: string, outputName: string, destination: OutputDestination): Promise<{ relativeLocation: string; bytes: number; copied: boolean }> {
    const name = jobBlobName(jobId, outputName);
    let staged: BlobClient;
    try {
      staged = (await this.#accounts.container('exchange', CONTAINERS.staging, false)).getBlobClient(name);
    } catch (error) {
      throw storageFault(error);
    }
    const target = await this.#destination(jobId, outputName, destination, true);
    try {
      return { relativeLocation: target.relativeLocation, ...(await copyOnce(staged, target.blob.getBlockBlobClient(), jobId, this.#buffers)) };
    } catch (error) {
      // The results container went missing after it was made (deleted by hand, say): make it again, copy once more.
      if (destination.kind !== 'facade' || !(error instanceof DestinationRefused) || error.status !== 404) throw error;
      const again = await this.#destination(jobId, outputName, destination, 'fresh');
      return { relativeLocation: again.relativeLocation, ...(await copyOnce(staged, again.blob.getBlockBlobClient(), jobId, this.#buffers)) };
    }
  }

  /**
   * The status answer's Results entry: a read-only SAS for that one blob, short-lived, signed with the key of the
   * account it is in; for a client whose connection string carries a SAS instead of a key, that client's own SAS.
   */
  async resultLink(jobId: string, outputName: string, destination: OutputDestination, ttlMinutes = this.#resultSasMinutes): Promise<ResultLocation> {
    const target = await this.#destination(jobId, outputName, destination, false);
    const token = destination.kind === 'caller' && destination.connection.credential.kind === 'sas'
      ? destination.connection.credential.token
      : (await blobSas(target.blob, 'r', sasExpiry(ttlMinutes * 60_000))).token;
    return { ConnectionString: null, BaseLocation: target.baseLocation, RelativeLocation: target.relativeLocation, SasBlobToken: `?${token}` };
  }

  /** The result blob as a stream (for the facade's own download endpoint); 404 JobResultNotFound if absent. */
  async openResult(jobId: string, outputName: string, destination: OutputDestination): Promise<{ stream: Readable; bytes: number; contentType: string }> {
    const target = await this.#destination(jobId, outputName, destination, false);
    try {
      const download = await target.blob.download(0);
      if (!download.readableStreamBody) throw new Error('the download has no body');
      return { stream: toNodeReadable(download.readableStreamBody), bytes: download.contentLength ?? 0, contentType: download.contentType ?? 'text/csv' };
    } catch (error) {
      if (statusOf(error) === 404) throw new GatewayError('JobResultNotFound', `The job has no result named "${outputName}".`);
      throw storageFault(error);
    }
  }

  /** The blob an output ends in, with the URL parts a status answer gives for it. */
  async #destination(jobId: string, outputName: string, destination: OutputDestination, createContainer: boolean | 'fresh') {
    let service: BlobServiceClient;
    let container: string;
    let name: string;
    try {
      if (destination.kind === 'facade') {
        name = jobBlobName(jobId, outputName);
        container = CONTAINERS.results;
        const client = await this.#accounts.container('storage', container, createContainer);
        service = await this.#accounts.service('storage');
        return { blob: client.getBlobClient(name), ...this.#urlParts(service, container, name) };
      }
      ({ container, blob: name } = destination);
      service = await this.#accounts.serviceFor(canonicalConnectionString(destination.connection), 'the output location');
    } catch (error) {
      throw storageFault(error);
    }
    return { blob: service.getContainerClient(container).getBlobClient(name), ...this.#urlParts(service, container, name) };
  }

  #urlParts(service: BlobServiceClient, container: string, name: string): { baseLocation: string; relativeLocation: string } {
    return { baseLocation: `${service.url.split('?')[0]!.replace(/\/+$/, '')}/`, relativeLocation: `${container}/${name}` };
  }

  /** A connection string that reaches one blob of the exchange account with the given permissions, nothing else. */
  async #scopedConnection(blob: BlobClient, permissions: BlobPermissions, expiresOn: Date): Promise<string> {
    const sas = await blobSas(blob, permissions, expiresOn);
    const service = await this.#accounts.service('exchange');
    const blobEndpoint = service.url.split('?')[0]!.replace(/\/+$/, '');
    return canonicalConnectionString({ blobEndpoint, blobHost: new URL(blobEndpoint).host, accountName: undefined, credential: { kind: 'sas', token: sas.token } });
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
