// A batch job as the facade keeps it: an explicit state machine stored as data. The facade's own states add
// Copying (the backend finished; results are being copied into the results container) to the classic five.
import { randomUUID } from 'node:crypto';
import type { JobStatusCode } from '../contracts/bes.js';

export type JobState = 'NotStarted' | 'Running' | 'Copying' | 'Finished' | 'Failed' | 'Cancelled';

/**
 * Where one output ends. The backend always writes it to the facade's staging area; the facade then copies it
 * to its own results container ("facade") or to the blob the caller named in Outputs ("caller"), as classic BES
 * wrote outputs where the caller asked. The caller's connection string is kept sealed (see secrets/sealer.ts).
 */
export type OutputTarget =
  | { kind: 'facade' }
  | { kind: 'caller'; blobEndpoint: string; container: string; blob: string; sealedConnection: string };

export interface JobRecord {
  id: string;
  subscriptionId: string;
  workspace: string;
  service: string;
  backendJobId: string;
  state: JobState;
  createdAt: string;
  startTime: string | null;
  endTime: string | null;
  details: string | null;
  /** Every output the backend was asked to write, and where it ends. */
  outputs: Record<string, OutputTarget>;
  /** Output name → where it landed ("container/blob"), once copied. */
  results: Record<string, string> | null;
  /** Epoch ms: when the poller should look at this job next. */
  nextPollAt: number;
  lastPolledAt: number;
  pollFailures: number;
  /** A poller's claim on the job (epoch ms); two pollers never work on one job at once. */
  leaseUntil: number;
  leaseOwner: string;
  etag: string;
}

/** States the poller still has work for. */
export const ACTIVE_STATES: readonly JobState[] = ['Running', 'Copying'];

export function isActive(state: JobState): boolean {
  return ACTIVE_STATES.includes(state);
}

/** Every facade state maps explicitly to the classic status the app sees. */
export function classicStatus(state: JobState): JobStatusCode {
  switch (state) {
    case 'NotStarted':
      return 'NotStarted';
    case 'Running':
    case 'Copying':
      return 'Running';
    case 'Finished':
      return 'Finished';
    case 'Failed':
      return 'Failed';
    case 'Cancelled':
      return 'Cancelled';
  }
}

/** How a job reads in a listing (the subscriber's and the dashboard's): its classic status, duration and details. */
export interface JobProgress {
  /** The state as the classic BES status reads it. */
  status: JobStatusCode;
  /** Seconds from start to end, or to now while the job runs; null before it starts. */
  durationSeconds: number | null;
  /** Why a job failed (or was cancelled), as the status call shows it. */
  details: string | null;
}

export function jobProgress(job: Pick<JobRecord, 'state' | 'startTime' | 'endTime'> & { details?: string | null | undefined }, nowMs: number): JobProgress {
  const start = job.startTime ? Date.parse(job.startTime) : NaN;
  const end = job.endTime ? Date.parse(job.endTime) : nowMs;
  return {
    status: classicStatus(job.state),
    durationSeconds: Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, Math.round((end - start) / 10) / 100) : null,
    details: job.details ?? null,
  };
}

/** The facade's job ids: 32 lowercase hex digits (a UUID without dashes). */
export const JOB_ID = /^[0-9a-f]{32}$/;

export function newJobId(): string {
  return randomUUID().replace(/-/g, '');
}

/** Job times as the classic contract writes them. */
export const iso = (ms: number): string => new Date(ms).toISOString();
