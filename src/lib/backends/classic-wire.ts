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

/** The backend's own classic error, when it sent one. */
export function parseBackendError(body: unknown): { code: string; message: string; details?: { code: string; target?: string; message: string }[] } | undefined {
  const parsed = z
    .object({ error: z.object({ code: z.string(), message: z.string(), details: z.array(z.object({ code: z.string(), target: z.string().optional(), message: z.string() })).optional() }) })
    .safeParse(body);
  return parsed.success ? parsed.data.error : undefined;
}
