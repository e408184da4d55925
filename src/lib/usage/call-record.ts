// What usage counts and logs about one data-plane call, derived from the call's context and final answer:
// APIM's outcome classes, the caller (or "anonymous"), the service reached, latency, bytes, the error code. Pure
// functions, no I/O: the error code is the one the answer was made with, never parsed back out of a body.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { CallerIdentity, Operation } from '../contracts/operations.js';

/** What the gateway learned about a call by its end (its context satisfies this). */
export interface CallFacts {
  caller?: CallerIdentity | undefined;
  product?: { id: string } | undefined;
  workspace: string;
  service: string;
  backendMs?: number | undefined;
  bytesIn?: number | undefined;
  /** The code of an error answer passed through as the backend sent it (a GatewayError's is FinishedCall's). */
  errorCode?: string | undefined;
  /** The catalogue entry the call reached, if it got that far (its names and its backend's kind label the call). */
  entry?: { workspace: string; service: string; backend: { kind: string } } | undefined;
}

export type Outcome = 'success' | 'blocked' | 'failed' | 'other';
export const OUTCOMES: readonly Outcome[] = ['success', 'blocked', 'failed', 'other'];

/** A call refused before a valid key named its subscription. */
export const ANONYMOUS = 'anonymous';
/** The product of an anonymous call; never a product id (those start with a letter or digit). */
export const NO_PRODUCT = '(none)';
/** The backend kind of a call that reached no catalogue entry. */
export const NO_BACKEND = '(none)';
/** The service of a call that reached no catalogue entry. */
export const NO_SERVICE = '(none)';

/** APIM analytics' classes: success ≤ 301, 304, 307; blocked 401, 403, 429; failed 400, 5xx; other the rest. */
export function classifyOutcome(status: number): Outcome {
  if (status <= 301 || status === 304 || status === 307) return 'success';
  if (status === 401 || status === 403 || status === 429) return 'blocked';
  if (status === 400 || (status >= 500 && status <= 599)) return 'failed';
  return 'other';
}

/** The dimensions and measures usage aggregates. */
export interface UsageSample {
  subscriptionId: string;
  productId: string;
  operation: Operation;
  outcome: Outcome;
  /** The kind of backend that served the call (classic, azureml-online, oip…), or NO_BACKEND. */
  backendKind: string;
  /** As the call named them; the catalogue entry's own names when it reached one. */
  workspace: string;
  service: string;
  /** The HTTP status answered. */
  status: number;
  latencyMs: number;
  /** Time spent waiting for the backend; null for a call that never waited for one. */
  backendMs: number | null;
  bytesIn: number;
  bytesOut: number;
}

/** A sample plus what only the per-call records (log line, telemetry, request log) carry. */
export interface UsageCall extends UsageSample {
  requestId: string;
  /** The specific error code of an answer ≥ 400 (e.g. RateLimitExceeded), else null. */
  errorCode: string | null;
}

/**
 * The service a call counts under: "workspace/service" when it reached a catalogue entry (it then has its backend's
 * kind), else NO_SERVICE — never names a caller made up, which would make the usage dimension unbounded.
 */
export function serviceOf(call: Pick<UsageSample, 'backendKind' | 'workspace' | 'service'>): string {
  return call.backendKind === NO_BACKEND ? NO_SERVICE : `${call.workspace}/${call.service}`;
}

export interface FinishedCall {
  operation: Operation;
  requestId: string;
  request: HttpRequest;
  /** performance.now() when the handler began. */
  startedAt: number;
  /** Absent when the call was refused before its context was built. */
  ctx?: CallFacts | undefined;
  /** The specific code of the GatewayError the answer was made from, when it was (http/respond.ts errorCodeOf). */
  errorCode?: string | undefined;
}

/** Told of every finished data-plane call with its final answer (usage, the per-call log line). */
export type CallObserver = (call: FinishedCall & { invocation: InvocationContext }, response: HttpResponseInit) => void;

export function describeCall(call: FinishedCall, response: HttpResponseInit, endedAt: number): UsageCall {
  const { ctx, request } = call;
  const caller = ctx?.caller;
  const entry = ctx?.entry;
  const status = response.status ?? 200;
  return {
    requestId: call.requestId,
    subscriptionId: caller?.subscriptionId ?? ANONYMOUS,
    productId: ctx?.product?.id ?? caller?.productId ?? NO_PRODUCT,
    operation: call.operation,
    // Path segments refused as unusable are caller text of any length: keep the logs' lines bounded.
    workspace: entry?.workspace ?? (ctx?.workspace ?? request.params.workspace ?? '').slice(0, 100),
    service: entry?.service ?? (ctx?.service ?? request.params.service ?? '').slice(0, 100),
    status,
    outcome: classifyOutcome(status),
    errorCode: status >= 400 ? call.errorCode ?? ctx?.errorCode ?? null : null,
    backendKind: entry?.backend.kind ?? NO_BACKEND,
    latencyMs: Math.max(0, endedAt - call.startedAt),
    backendMs: ctx?.backendMs ?? null,
    bytesIn: requestBytes(request, ctx),
    bytesOut: responseBytes(response),
  };
}

/** Declared Content-Length, else what a policy counted while streaming (a chunked upload), else 0. */
function requestBytes(request: HttpRequest, ctx: CallFacts | undefined): number {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared >= 0) return declared;
  return ctx?.bytesIn ?? 0;
}

/** The body's size when the answer holds it, else its Content-Length (a streamed download), else 0. */
function responseBytes(response: HttpResponseInit): number {
  const body = response.body;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return body.byteLength;
  const headers = response.headers;
  const declared = headers instanceof Headers ? headers.get('content-length') : (headers as Record<string, string> | undefined)?.['content-length'];
  const bytes = Number(declared ?? NaN);
  return Number.isFinite(bytes) && bytes >= 0 ? bytes : 0;
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;

/**
 * What is written down about a call, wherever it is written (the per-call log line, the request log): only ids,
 * names, numbers and the error's code — never a key, connection string, SAS or body.
 */
export function callFacts(call: UsageCall) {
  return {
    requestId: call.requestId,
    subscriptionId: call.subscriptionId,
    productId: call.productId,
    operation: call.operation,
    workspace: call.workspace,
    service: call.service,
    status: call.status,
    outcome: call.outcome,
    errorCode: call.errorCode,
    backendKind: call.backendKind,
    latencyMs: round2(call.latencyMs),
    backendMs: call.backendMs === null ? null : round2(call.backendMs),
    /** The time spent in the facade itself. */
    gatewayMs: round2(call.latencyMs - (call.backendMs ?? 0)),
    bytesIn: call.bytesIn,
    bytesOut: call.bytesOut,
  };
}

/**
 * The one structured log line per call. The Node worker sends context.log text as a trace's `message` (it has no
 * per-line properties), so the line is one JSON object: in Application Insights, `traces | where message startswith
 * '{"event":"gatewayCall"' | extend d = parse_json(message)` turns its fields into columns (d.subscriptionId, …).
 */
export function callLogLine(call: UsageCall): string {
  return JSON.stringify({ event: 'gatewayCall', ...callFacts(call) });
}
