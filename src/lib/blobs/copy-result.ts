// Copies a backend's output from the facade's staging area to where the job's output ends (the facade's results
// container, or the blob a classic client named) exactly once, safely repeatable: the destination is fixed per
// job and output, the copy is streamed (download → staged blocks) and committed only once every byte arrived,
// stamped with the job id, and a destination this job already published with the same size is never copied again.
import type { BlobClient, BlobGetPropertiesResponse, BlockBlobClient } from '@azure/storage-blob';
import { GatewayError } from '../errors.js';
import { describeStorageError, statusOf, storageFault } from '../storage/errors.js';
import { DEFAULT_STORAGE_DEADLINES, type StorageDeadlines } from '../storage/deadlines.js';
import { metered, progressWatchdog, toNodeReadable, type ByteMeter } from './streams.js';

export interface StreamBuffers {
  bufferBytes: number;
  concurrency: number;
  /** Deadlines of the small requests around the copy (properties). */
  deadlines?: StorageDeadlines;
  /** A copy that moves no bytes for this long (either side) ends, and is retried later. */
  idleMs?: number;
}

/**
 * Committed blobs carry complete=true and the job id: the metadata is set by the same call that commits the
 * content. The job id matters where a client names the same output blob for job after job.
 */
function isPublished(props: BlobGetPropertiesResponse | 'unreadable' | undefined, size: number, jobId: string): boolean {
  return typeof props === 'object' && props.metadata?.complete === 'true' && props.metadata.jobid === jobId && props.contentLength === size;
}

/**
 * The destination's properties; undefined when it does not exist, "unreadable" when the credential may write but
 * not read (a classic client's write-only SAS): such a destination is written without a condition, which is
 * still exactly one committed result (a block blob's commit replaces it whole).
 */
async function destinationProperties(blob: BlobClient, deadlines: StorageDeadlines): Promise<BlobGetPropertiesResponse | 'unreadable' | undefined> {
  try {
    return await blob.getProperties({ abortSignal: AbortSignal.timeout(deadlines.deadlineMs) });
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    if (statusOf(error) === 403) return 'unreadable';
    throw error;
  }
}

/**
 * Storage at the destination refusing the write for good (4xx other than a race or throttling: no such
 * container, a wrong key, an expired SAS) is the output location's fault, not a passing fault: the job ends.
 */
export class DestinationRefused extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

function destinationFault(error: unknown): Error {
  const status = statusOf(error);
  if (status !== undefined && status >= 400 && status < 500 && ![408, 409, 412, 429].includes(status)) {
    return new DestinationRefused(`the output location refused the write: ${describeStorageError(error)}`, status);
  }
  return storageFault(error);
}

/**
 * Resolves when the upload committed; rejects as soon as the stream fails, even if that happened before the
 * uploader listened (a late listener would otherwise wait forever). Nothing is committed in that case.
 */
export async function pump(meter: ByteMeter, upload: Promise<unknown>): Promise<void> {
  upload.catch(() => undefined);
  const failed = new Promise<never>((_, reject) => meter.once('error', reject));
  failed.catch(() => undefined);
  await Promise.race([upload, failed]);
}

export async function copyOnce(
  source: BlobClient,
  destination: BlockBlobClient,
  jobId: string,
  buffers: StreamBuffers,
): Promise<{ bytes: number; copied: boolean }> {
  const deadlines = buffers.deadlines ?? DEFAULT_STORAGE_DEADLINES;
  let sourceProps: BlobGetPropertiesResponse;
  try {
    sourceProps = await source.getProperties({ abortSignal: AbortSignal.timeout(deadlines.deadlineMs) });
  } catch (error) {
    if (statusOf(error) === 404) throw new GatewayError('BackendOutputNotFound', "The backend's output blob does not exist.");
    throw storageFault(error);
  }
  const size = sourceProps.contentLength ?? 0;
  let existing: BlobGetPropertiesResponse | 'unreadable' | undefined;
  try {
    existing = await destinationProperties(destination, deadlines);
  } catch (error) {
    throw destinationFault(error);
  }
  // A rerun after a crash between the copy and the job record's update: the result is already there.
  if (isPublished(existing, size, jobId)) return { bytes: size, copied: false };

  let body: NodeJS.ReadableStream;
  try {
    // ifMatch: a source rewritten while we read it fails the copy instead of mixing two versions.
    const download = await source.download(0, undefined, {
      conditions: sourceProps.etag ? { ifMatch: sourceProps.etag } : undefined,
      maxRetryRequests: 3,
    });
    if (!download.readableStreamBody) throw new Error('the download has no body');
    body = download.readableStreamBody;
  } catch (error) {
    throw storageFault(error);
  }
  const idleMs = buffers.idleMs ?? 60_000;
  const flow = metered(toNodeReadable(body), (bytes) => (bytes === size ? undefined : new Error(`the source ended after ${bytes} of ${size} bytes`)), { idleMs });
  const progress = progressWatchdog(idleMs);
  try {
    await pump(
      flow.meter,
      destination.uploadStream(flow.meter, buffers.bufferBytes, buffers.concurrency, {
        abortSignal: progress.signal,
        onProgress: () => progress.touch(),
        blobHTTPHeaders: { blobContentType: sourceProps.contentType || 'text/csv' },
        metadata: { complete: 'true', bytes: String(size), jobid: jobId },
        // Two pollers copying at once: only one commit wins; the other finds the result published below.
        conditions: existing === 'unreadable' ? undefined : existing?.etag ? { ifMatch: existing.etag } : { ifNoneMatch: '*' },
      }),
    );
  } catch (error) {
    flow.abort();
    const now = await destinationProperties(destination, deadlines).catch(() => undefined);
    if (isPublished(now, size, jobId)) return { bytes: size, copied: false };
    if (flow.state.sourceError !== undefined) throw storageFault(error);
    throw destinationFault(error);
  } finally {
    progress.stop();
  }
  return { bytes: size, copied: true };
}
