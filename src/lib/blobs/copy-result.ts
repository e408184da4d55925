// Copies a backend's output into the facade's results container exactly once, safely repeatable: the
// destination name is deterministic, the copy is streamed (download → staged blocks) and committed only
// once every byte arrived, and a destination already published with the same size is never copied again.
import type { BlobClient, BlobGetPropertiesResponse, BlobServiceClient, BlockBlobClient } from '@azure/storage-blob';
import { GatewayError } from '../errors.js';
import { blobFromUrl, insecureEndpointProblem, statusOf, storageFault } from './blob-sdk.js';
import { metered, toNodeReadable, type ByteMeter } from './streams.js';

/** Where a backend's output is: the classic status answer's Results entry, or a connection string + location. */
export type BackendOutput =
  | { baseLocation: string; relativeLocation: string; sasBlobToken: string | null }
  | { connectionString: string; relativeLocation: string };

/** The backend's output as a blob client; a location the facade must not or cannot read is a 502. */
export async function backendOutputBlob(
  source: BackendOutput,
  serviceFor: (connectionString: string, what: string) => Promise<BlobServiceClient>,
): Promise<BlobClient> {
  const invalid = (why: string) => new GatewayError('BackendOutputInvalid', `The backend's output location ${why}.`);
  if ('connectionString' in source) {
    const [container, ...rest] = source.relativeLocation.replace(/^\/+/, '').split('/');
    if (!container || rest.length === 0) throw invalid('is not /container/blob');
    let service: BlobServiceClient;
    try {
      service = await serviceFor(source.connectionString, "the backend output's connection string");
    } catch (error) {
      throw invalid(`is unusable: ${(error as Error).message}`);
    }
    return service.getContainerClient(container).getBlobClient(rest.join('/'));
  }
  const token = source.sasBlobToken ? (source.sasBlobToken.startsWith('?') ? source.sasBlobToken : `?${source.sasBlobToken}`) : '';
  const url = `${source.baseLocation.replace(/\/+$/, '')}/${source.relativeLocation.replace(/^\/+/, '')}${token}`;
  const problem = insecureEndpointProblem(url);
  if (problem) throw invalid(problem);
  return blobFromUrl(url);
}

export interface StreamBuffers {
  bufferBytes: number;
  concurrency: number;
}

/** Committed blobs carry complete=true: the metadata is set by the same call that commits the content. */
function isPublished(props: BlobGetPropertiesResponse | undefined, size: number): boolean {
  return props?.metadata?.complete === 'true' && props.contentLength === size;
}

async function propertiesOrUndefined(blob: BlobClient): Promise<BlobGetPropertiesResponse | undefined> {
  try {
    return await blob.getProperties();
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
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
  let sourceProps: BlobGetPropertiesResponse;
  try {
    sourceProps = await source.getProperties();
  } catch (error) {
    if (statusOf(error) === 404) throw new GatewayError('BackendOutputNotFound', "The backend's output blob does not exist.");
    throw storageFault(error);
  }
  const size = sourceProps.contentLength ?? 0;
  let existing: BlobGetPropertiesResponse | undefined;
  try {
    existing = await propertiesOrUndefined(destination);
  } catch (error) {
    throw storageFault(error);
  }
  // A rerun after a crash between the copy and the job record's update: the result is already there.
  if (isPublished(existing, size)) return { bytes: size, copied: false };

  let flow: ReturnType<typeof metered> | undefined;
  try {
    // ifMatch: a source rewritten while we read it fails the copy instead of mixing two versions.
    const download = await source.download(0, undefined, {
      conditions: sourceProps.etag ? { ifMatch: sourceProps.etag } : undefined,
      maxRetryRequests: 3,
    });
    if (!download.readableStreamBody) throw new Error('the download has no body');
    flow = metered(toNodeReadable(download.readableStreamBody), (bytes) =>
      bytes === size ? undefined : new Error(`the source ended after ${bytes} of ${size} bytes`),
    );
    await pump(
      flow.meter,
      destination.uploadStream(flow.meter, buffers.bufferBytes, buffers.concurrency, {
        blobHTTPHeaders: { blobContentType: sourceProps.contentType || 'text/csv' },
        metadata: { complete: 'true', bytes: String(size), jobid: jobId },
        // Two pollers copying at once: only one commit wins; the other finds the result published below.
        conditions: existing?.etag ? { ifMatch: existing.etag } : { ifNoneMatch: '*' },
      }),
    );
  } catch (error) {
    flow?.abort();
    const now = await propertiesOrUndefined(destination).catch(() => undefined);
    if (isPublished(now, size)) return { bytes: size, copied: false };
    throw storageFault(error);
  }
  return { bytes: size, copied: true };
}
