// Where the facade's blobs live and how their names are built and read back. Pure functions, so that the
// ownership rule (a caller only ever reaches /inputs/{its own subscription}/…) is tested on its own.
import { randomBytes } from 'node:crypto';
import { GatewayError } from '../errors.js';
import { InputFileName, OutputName } from '../contracts/bes-inputs.js';
import { CONTROL_CHARACTER, isWellFormed } from '../contracts/text.js';

export const CONTAINERS = {
  /** Uploaded inputs, in the exchange account (the backend reads them with its connection string). */
  inputs: 'inputs',
  /** Where backends write outputs, in the exchange account; copied from there into results. */
  staging: 'staging',
  /** Published results, in the facade's own account; clients read them with a per-blob read-only SAS. */
  results: 'results',
} as const;

const UPLOAD_ID = /^[0-9a-f]{32}$/;
// A blob name segment that cannot change the path: what subscription ids and job ids must be to name a blob (the
// facade's own job ids, jobs/job-record.ts, are a narrower rule inside this one).
const NAME_SEGMENT = /^[A-Za-z0-9-]{1,64}$/;

export interface InputLocation {
  subscriptionId: string;
  uploadId: string;
  fileName: string;
  /** Blob name inside the inputs container. */
  blobName: string;
  /** The classic RelativeLocation: "/inputs/{blobName}". */
  relativeLocation: string;
}

export function newInputLocation(subscriptionId: string, fileName: string): InputLocation {
  if (!NAME_SEGMENT.test(subscriptionId)) throw new TypeError('invalid subscription id');
  const name = InputFileName.safeParse(fileName);
  if (!name.success) {
    throw new GatewayError('InvalidQueryParameter', 'The input file name is invalid.', {
      details: [{ code: 'InvalidQueryParameter', target: 'name', message: name.error.issues[0]?.message ?? 'invalid name' }],
    });
  }
  return inputLocation(subscriptionId, randomBytes(16).toString('hex'), name.data);
}

function inputLocation(subscriptionId: string, uploadId: string, fileName: string): InputLocation {
  const blobName = `${subscriptionId}/${uploadId}/${fileName}`;
  return { subscriptionId, uploadId, fileName, blobName, relativeLocation: `/${CONTAINERS.inputs}/${blobName}` };
}

/**
 * Reads "/inputs/{subscription}/{upload id}/{file}" (leading slash optional) back, or undefined for
 * anything else: another container, another shape, or a name the facade would never have issued.
 */
export function parseInputLocation(relativeLocation: string): InputLocation | undefined {
  const parts = relativeLocation.replace(/^\//, '').split('/');
  if (parts.length !== 4) return undefined;
  const [container, subscriptionId, uploadId, fileName] = parts as [string, string, string, string];
  if (container !== CONTAINERS.inputs || !NAME_SEGMENT.test(subscriptionId) || !UPLOAD_ID.test(uploadId)) return undefined;
  if (!InputFileName.safeParse(fileName).success) return undefined;
  return inputLocation(subscriptionId, uploadId, fileName);
}

/** The location if it is one of this subscription's inputs; otherwise undefined, whoever owns it. */
export function ownedInputLocation(subscriptionId: string, relativeLocation: string): InputLocation | undefined {
  const parsed = parseInputLocation(relativeLocation);
  return parsed && parsed.subscriptionId === subscriptionId ? parsed : undefined;
}

function checkJobId(jobId: string): void {
  if (!NAME_SEGMENT.test(jobId)) {
    throw new GatewayError('MissingJobId', 'The job id is invalid.', {
      details: [{ code: 'MissingJobId', target: 'jobId', message: 'job ids are 1-64 letters, digits or -' }],
    });
  }
}

function checkOutputName(outputName: string): void {
  const parsed = OutputName.safeParse(outputName);
  if (!parsed.success) {
    throw new GatewayError('InvalidOutputNames', 'The output name is invalid.', {
      details: [{ code: 'InvalidOutputNames', target: `Outputs.${outputName.slice(0, 64)}`, message: parsed.error.issues[0]?.message ?? 'invalid' }],
    });
  }
}

/** "{jobId}/{outputName}.csv": deterministic, so that a rerun copies onto the same blob, never a second one. */
export function jobBlobName(jobId: string, outputName: string): string {
  checkJobId(jobId);
  checkOutputName(outputName);
  return `${jobId}/${outputName}.csv`;
}

/** The prefix of every blob of one job in staging and results. */
export function jobPrefix(jobId: string): string {
  checkJobId(jobId);
  return `${jobId}/`;
}

/** A blob in a client's own account, as a classic RelativeLocation names it: "/container/path/blob". */
export interface BlobPath {
  container: string;
  blob: string;
}

// Azure's container rules: 3-63 characters, lower-case letters, digits and single inner hyphens.
const CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_BLOB_NAME = 1024;

/**
 * "/container/blob" or "container/blob" → its parts, or a message saying what is wrong. Blob names are checked
 * for what would change the URL clients build from them by concatenation (?, #, \, control characters, "..").
 */
export function parseBlobPath(relativeLocation: string): BlobPath | string {
  const trimmed = relativeLocation.replace(/^\//, '');
  const slash = trimmed.indexOf('/');
  if (slash < 0) return 'must be /container/blob (a container and a blob name)';
  const container = trimmed.slice(0, slash);
  const blob = trimmed.slice(slash + 1);
  if (!CONTAINER.test(container)) return 'the container name must be 3-63 lower-case letters, digits and single hyphens';
  if (blob === '' || blob.endsWith('/')) return 'the blob name is missing';
  if (blob.length > MAX_BLOB_NAME) return `the blob name is longer than ${MAX_BLOB_NAME} characters`;
  if (CONTROL_CHARACTER.test(blob) || !isWellFormed(blob)) return 'the blob name has control characters or is not well-formed Unicode';
  if (/[?#\\]/.test(blob) || blob.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    return 'the blob name must not contain ?, #, \\, empty segments, "." or ".." segments';
  }
  return { container, blob };
}
