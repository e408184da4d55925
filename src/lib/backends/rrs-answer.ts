// What the facade makes of a backend's RRS answer (after the 401 key refresh): a JSON 2xx and a classic error
// about the caller's request (4xx) pass through as sent (rebuilt only when it lacks the `details` every classic
// error carries); a backend fault (5xx, a redirect, a 4xx that is no classic error) or a 2xx that is not JSON
// becomes a clear 502/504 in the classic shape, never the raw bytes.
import { GatewayError } from '../errors.js';
import type { BackendAnswer } from './classic-client.js';
import { parseBackendError } from './classic-wire.js';

function parsed(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Throws the facade's error for an answer that must not reach the caller as is; returns for one that may. */
export function checkRrsAnswer(answer: BackendAnswer): void {
  const { status } = answer;
  if (status >= 200 && status < 300) {
    // Parsed, not just sniffed: an HTML page from a proxy or JSON cut short is the backend's fault, not a result.
    if (isObject(parsed(answer.body))) return;
    throw new GatewayError('BackendInvalidResponse', `The backend answered ${status} with a body that is not JSON.`);
  }
  const backendError = parseBackendError(parsed(answer.body));
  if (status >= 400 && status < 500 && backendError) {
    // The backend judged the caller's request: its verdict passes through, with details made from its code if it sent none.
    if (backendError.details.length > 0) return;
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
