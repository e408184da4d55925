// One place that turns results and errors into HTTP answers: JSON bodies, the request id header on every
// answer, GatewayError → classic error shape, and anything else → a logged 500 (always a bug).
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError, classicErrorBody } from '../errors.js';

export const REQUEST_ID_HEADER = 'x-ms-request-id';
const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): HttpResponseInit {
  // No body, no content type: an empty answer claiming JSON breaks clients that parse what they are told is JSON.
  if (body === undefined) return { status, headers: { [REQUEST_ID_HEADER]: requestId, ...headers } };
  return { status, body: JSON.stringify(body), headers: { 'content-type': JSON_TYPE, [REQUEST_ID_HEADER]: requestId, ...headers } };
}

/** The specific code of the answer errorResponse makes of `error` (what usage and the request log record). */
export function errorCodeOf(error: unknown): string {
  return error instanceof GatewayError ? error.code : 'InternalServerError';
}

export function errorResponse(error: unknown, requestId: string, log: InvocationContext): HttpResponseInit {
  if (error instanceof GatewayError) {
    return jsonResponse(error.status, classicErrorBody(error), requestId, error.headers);
  }
  // Only the message and stack: request data may carry keys and must never reach the logs.
  const err = error instanceof Error ? error : new Error(String(error));
  log.error(`Unhandled error in request ${requestId}: ${err.stack ?? err.message}`);
  const internal = new GatewayError('InternalServerError', `An unexpected error occurred. Quote request id ${requestId} when reporting it.`);
  return jsonResponse(internal.status, classicErrorBody(internal), requestId);
}
