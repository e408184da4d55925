// What a batch adapter needs of the facade's storage, as a port (implemented in blobs/batch-exchange.ts): the job's
// input staged where a batch service can read it, a fresh output location per attempt, staged blobs read back, the
// job's result written where the facade copies it from, and the adapter's own per-job state (kept sealed, since it
// holds the job's storage grants). Every method is bounded and safe to repeat.
import type { BackendJobRequest, BlobAccess } from './port.js';

/** An adapter's record of one job: the request as submitted, and how far it got. */
export interface BatchJobState {
  request: BackendJobRequest;
  /** Invocations made so far; each had its own output location (attempt n writes output n). */
  attempt: number;
  /** The batch service's job name, once an invocation was accepted. */
  serviceJob: string | null;
  /** Invocations refused with a retryable answer, in a row, and when to try again (epoch ms). */
  invokeFailures: number;
  nextInvokeAt: number;
  lastError: string | null;
}

export interface BatchExchange {
  /** Copies the job's input into the facade's staging area (once; later calls reuse it); a URL with a read SAS. */
  stageInput(key: string, input: BlobAccess, expiresOn: Date): Promise<string>;
  /** A URL with a create/write SAS for attempt `attempt`'s output: unique per attempt. */
  outputLocation(key: string, attempt: number, expiresOn: Date): Promise<string>;
  /** A staged blob's bytes: the staged input, or an attempt's output (undefined when it was never written). */
  readStaged(key: string, which: 'input' | number): Promise<Buffer | undefined>;
  /** Writes an output's whole content in one request (complete or not at all) through the access the job was given. */
  writeOutput(access: BlobAccess, content: Buffer): Promise<void>;
  loadState(key: string): Promise<BatchJobState | undefined>;
  saveState(key: string, state: BatchJobState): Promise<void>;
}
