// The classic BES wire format mapped to domain types in one place: status codes (names or the numbers
// 0–4 older services send), job ids, and backend error bodies.
import { z } from 'zod';
import { JOB_STATUS_CODES, type JobStatusCode } from '../contracts/bes.js';

const StatusCode = z.union([
  z.enum(JOB_STATUS_CODES),
  z.number().int().min(0).max(4).transform((n) => JOB_STATUS_CODES[n]!),
  z.string().regex(/^[0-4]$/).transform((n) => JOB_STATUS_CODES[Number(n)]!),
]);

// Results are not read: the facade copies each output from where it told the backend to write it, never from
// a location a backend's answer names (a backend must not be able to point the facade at another host).
const WireStatus = z.object({
  StatusCode,
  Details: z.string().nullable().optional(),
});

export interface BackendJobStatus {
  status: JobStatusCode;
  details: string | null;
}

export function parseJobStatus(body: unknown): BackendJobStatus | undefined {
  const parsed = WireStatus.safeParse(body);
  if (!parsed.success) return undefined;
  return { status: parsed.data.StatusCode, details: parsed.data.Details ?? null };
}

export function parseJobId(body: unknown): string | undefined {
  return typeof body === 'string' && /^[A-Za-z0-9-]{1,128}$/.test(body) ? body : undefined;
}

const WireErrorDetail = z.object({ code: z.string().max(100), target: z.string().max(200).optional(), message: z.string().max(2000).default('') });
const WireError = z.object({
  error: z.object({
    code: z.string().min(1).max(100),
    message: z.string().max(4000).default(''),
    details: z.array(WireErrorDetail).max(50).nullish(),
  }),
});

export interface BackendError {
  code: string;
  message: string;
  /** Possibly empty: older services sent none. */
  details: { code: string; target?: string; message: string }[];
}

/** The backend's own classic error, when it sent one (the one parser of classic error bodies). */
export function parseBackendError(body: unknown): BackendError | undefined {
  const parsed = WireError.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, message, details } = parsed.data.error;
  return { code, message, details: details ?? [] };
}
