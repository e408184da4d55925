// The one seam between the facade and a scoring service. Whatever a backend speaks on the wire, the facade asks it
// the same things in the classic contract's terms, which is what callers speak: score rows now, run a batch job
// over blobs (submit, start, status, cancel), publish its document. One adapter per kind of
// backend implements it, in its own folder (backends/<kind>/), chosen by the catalogue entry's `backend.kind`
// (backends/kinds.ts). Required arguments first, options last. Every method has a deadline; a backend that
// cannot be reached is a 502, one too slow a 504, one that judged the caller's request passes its verdict on.
import type { JobStatusCode } from '../contracts/bes.js';
import type { RrsRequestBody } from '../contracts/rrs.js';
import type { ServiceSchema } from '../contracts/service-schema.js';

/** What every kind's configuration has: its kind, the HTTP base URL of the service (health probes its origin), a timeout. */
export interface BackendConfigBase {
  kind: string;
  baseUrl: string;
  timeoutMs?: number | undefined;
}

/** A catalogue entry as an adapter sees it: the backend part of the entry. */
export interface BackendTarget<C> {
  backend: C;
}

export interface CallOptions {
  /** Deadline of the whole call; each adapter has a default for control calls. */
  timeoutMs?: number;
  /** The facade's request id, for the backend's logs. */
  requestId?: string;
}

/** An RRS call as the caller made it (classic JSON, inflated, without a byte-order mark) and as it was validated. */
export interface ScoreRequest {
  body: Buffer;
  /** The same body as validated (adapters that translate it read this, never parse the bytes again). */
  parsed: RrsRequestBody;
  format: 'table' | 'swagger';
  /** details=true: the answer includes column types. */
  details?: boolean | undefined;
}

/** A classic RRS answer: a 2xx JSON result, or a classic error about the caller's request (4xx). */
export interface ScoreAnswer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
  /** Time spent waiting for the backend. */
  elapsedMs: number;
  /** The code of the backend's classic error (4xx), passed through as it sent it. */
  errorCode?: string;
}

/** A blob a backend reads or writes, as the classic BES contract names it: a SAS connection string scoped to that
 *  one blob, and its /container/blob. */
export interface BlobAccess {
  ConnectionString: string;
  RelativeLocation: string;
}

/** A batch job in the classic BES contract's terms, every blob one the backend may reach (jobs/submit-body.ts). */
export interface BackendJobRequest {
  Inputs: Record<string, BlobAccess>;
  Outputs: Record<string, BlobAccess>;
  GlobalParameters: Record<string, unknown>;
}

export interface BackendJobStatus {
  status: JobStatusCode;
  details: string | null;
}

export interface Backend<C = unknown> {
  score(target: BackendTarget<C>, request: ScoreRequest, options: CallOptions & { timeoutMs: number }): Promise<ScoreAnswer>;
  /** The backend's id for the new job. */
  submit(target: BackendTarget<C>, job: BackendJobRequest, options?: CallOptions): Promise<string>;
  start(target: BackendTarget<C>, backendJobId: string, options?: CallOptions): Promise<void>;
  /** The backend's view of a job; undefined when it says it no longer knows it. */
  status(target: BackendTarget<C>, backendJobId: string, options?: CallOptions): Promise<BackendJobStatus | undefined>;
  /** Cancels (or forgets) the job; a job the backend no longer knows counts as done. */
  cancel(target: BackendTarget<C>, backendJobId: string, options?: CallOptions): Promise<void>;
  /** What the backend itself says the service takes and gives (its published document or its model metadata), or
   *  undefined when it says nothing or cannot be reached (the catalogue entry's schema is used instead). */
  document(target: BackendTarget<C>, options?: CallOptions): Promise<ServiceSchema | undefined>;
  /** Resolves when the backend can take calls, as its kind tells (health); rejects saying why not. */
  ready(target: BackendTarget<C>, options?: CallOptions): Promise<void>;
}
