// The classic BES wire format mapped to domain types in one place: status codes (names or the numbers
// 0–4 older services send), result locations, and backend error bodies.
import { z } from 'zod';
import { JOB_STATUS_CODES, type JobStatusCode } from '../contracts/bes.js';

const StatusCode = z.union([
  z.enum(JOB_STATUS_CODES),
  z.number().int().min(0).max(4).transform((n) => JOB_STATUS_CODES[n]!),
  z.string().regex(/^[0-4]$/).transform((n) => JOB_STATUS_CODES[Number(n)]!),
]);

const WireResult = z.object({
  ConnectionString: z.string().nullable().optional(),
  BaseLocation: z.string().nullable().optional(),
  RelativeLocation: z.string(),
  SasBlobToken: z.string().nullable().optional(),
});

const WireStatus = z.object({
  StatusCode,
  Results: z.record(z.string(), WireResult).nullable().optional(),
  Details: z.string().nullable().optional(),
});

export interface BackendOutput {
  /** Where the backend wrote this output: a URL readable as is (with SAS), or a connection string + location. */
  baseLocation: string | null;
  relativeLocation: string;
  sasBlobToken: string | null;
  connectionString: string | null;
}

export interface BackendJobStatus {
  status: JobStatusCode;
  outputs: Record<string, BackendOutput>;
  details: string | null;
}

export function parseJobStatus(body: unknown): BackendJobStatus | undefined {
  const parsed = WireStatus.safeParse(body);
  if (!parsed.success) return undefined;
  const outputs: Record<string, BackendOutput> = {};
  for (const [name, r] of Object.entries(parsed.data.Results ?? {})) {
    outputs[name] = {
      baseLocation: r.BaseLocation ?? null,
      relativeLocation: r.RelativeLocation,
      sasBlobToken: r.SasBlobToken ?? null,
      connectionString: r.ConnectionString ?? null,
    };
  }
  return { status: parsed.data.StatusCode, outputs, details: parsed.data.Details ?? null };
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
