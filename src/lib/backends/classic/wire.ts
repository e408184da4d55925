// The classic wire format mapped to the port's domain types, in one place (a classic BES service takes the port's
// job request as its submit body, unchanged): status codes (names or the numbers 0–4 older services send), job ids, backend error bodies (the one
// parser of them), and what an RRS answer means for the caller.
import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import { JOB_STATUS_CODES } from '../../contracts/bes.js';
import type { BackendJobStatus } from '../port.js';
import { jsonOf, type BackendAnswer } from '../transport.js';

export { jsonOf };

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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What the facade makes of a backend's RRS answer (after the 401 key refresh): a JSON 2xx and a classic error about
 * the caller's request (4xx) pass through as sent (rebuilt only when it lacks the `details` every classic error
 * carries); a backend fault (5xx, a redirect, a 4xx that is no classic error) or a 2xx that is not JSON becomes a
 * clear 502/504 in the classic shape, never the raw bytes. Throws for an answer that must not reach the caller as is;
 * returns the backend's error code when its error passes through (for usage and the request log), else undefined.
 */
export function checkRrsAnswer(answer: BackendAnswer): string | undefined {
  const { status } = answer;
  if (status >= 200 && status < 300) {
    // Parsed, not just sniffed: an HTML page from a proxy or JSON cut short is the backend's fault, not a result.
    if (isObject(jsonOf(answer))) return undefined;
    throw new GatewayError('BackendInvalidResponse', `The backend answered ${status} with a body that is not JSON.`);
  }
  const backendError = parseBackendError(jsonOf(answer));
  if (status >= 400 && status < 500 && backendError) {
    // The backend judged the caller's request: its verdict passes through, with details made from its code if it sent none.
    if (backendError.details.length > 0) return backendError.code;
    throw new GatewayError({ status, code: backendError.code }, backendError.message);
  }
  // The facade's verdict first; the backend's own code, when it sent one, follows for whoever reads further.
  const fromBackend = backendError ? [{ code: backendError.code, target: 'backend', message: backendError.message.slice(0, 500) }] : [];
  if (status === 504) {
    const message = 'The backend web service timed out (HTTP 504).';
    throw new GatewayError('BackendScoreTimeout', message, { details: [{ code: 'BackendScoreTimeout', message }, ...fromBackend] });
  }
  const message = `The backend web service failed (HTTP ${status}).`;
  throw new GatewayError('BackendError', message, { details: [{ code: 'BackendError', message }, ...fromBackend] });
}

/**
 * A BES control answer: 2xx passes; the service's own classic error for an `accepted` status passes (a classic 404:
 * "no such job"); the backend's classic verdict on the caller's request (4xx) passes through as the same error;
 * anything else (5xx, a proxy's HTML 404) is a backend fault, retried later.
 */
export function checkControlAnswer(answer: BackendAnswer, accepted: readonly number[] = []): BackendAnswer {
  if (answer.status >= 200 && answer.status < 300) return answer;
  const backendError = parseBackendError(jsonOf(answer));
  // Only the service itself saying so (a classic error body) counts: a proxy's HTML 404 is a fault, retried later.
  if (accepted.includes(answer.status) && backendError) return answer;
  if (answer.status >= 400 && answer.status < 500 && backendError) {
    // The backend judged the caller's request (bad blob, bad parameters): pass its verdict through.
    throw new GatewayError({ status: answer.status, code: backendError.code }, backendError.message, { details: backendError.details });
  }
  throw new GatewayError('BackendError', `The backend web service answered ${answer.status}.`);
}

export function invalidAnswer(what: string): GatewayError {
  return new GatewayError('BackendInvalidResponse', `The backend's ${what} answer was not in the classic format.`);
}
