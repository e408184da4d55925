// What the facade makes of a backend's RRS answer (after the 401 key refresh): a JSON 2xx and a classic error
// about the caller's request (4xx) pass through as sent; a backend fault (5xx, a redirect, a 4xx that is no
// classic error) or a 2xx that is not JSON becomes a clear 502/504 in the classic shape, never the raw bytes.
import { GatewayError } from '../errors.js';
import type { BackendAnswer } from './classic-client.js';

function parsed(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The backend's own classic error code and message, if its body is one. */
function classicError(body: unknown): { code: string; message?: string } | undefined {
  if (!isObject(body) || !isObject(body.error) || typeof body.error.code !== 'string') return undefined;
  return { code: body.error.code, message: typeof body.error.message === 'string' ? body.error.message : undefined };
}

/** Throws the facade's error for an answer that must not reach the caller as is; returns for one that may. */
export function checkRrsAnswer(answer: BackendAnswer): void {
  const { status } = answer;
  if (status >= 200 && status < 300) {
    // Parsed, not just sniffed: an HTML page from a proxy or JSON cut short is the backend's fault, not a result.
    if (isObject(parsed(answer.body))) return;
    throw new GatewayError(502, 'BackendInvalidResponse', `The backend answered ${status} with a body that is not JSON.`);
  }
  const backendError = classicError(parsed(answer.body));
  if (status >= 400 && status < 500 && backendError) return; // the backend judged the caller's request
  const details = backendError
    ? [{ code: backendError.code.slice(0, 100), target: 'backend', message: (backendError.message ?? '').slice(0, 500) }]
    : [];
  if (status === 504) {
    throw new GatewayError(504, 'BackendScoreTimeout', 'The backend web service timed out (HTTP 504).', { details });
  }
  throw new GatewayError(502, 'BackendError', `The backend web service failed (HTTP ${status}).`, { details });
}
