// The Azure ML online endpoint's wire mapped to the facade's terms, in one place: the MLflow `input_data` body,
// its two answer shapes (a bare array, or {"predictions": [...]}), a classic-format deployment's answer reshaped to
// what the caller asked, the trace id header, and every documented error status mapped to the classic shape.
import { GatewayError, type ErrorDetail } from '../../errors.js';
import { invalidModelAnswer } from '../columns.js';
import { headerValue, jsonOf, type BackendAnswer } from '../transport.js';
import { parseBackendError } from '../classic/wire.js';

export const DEPLOYMENT_HEADER = 'azureml-model-deployment';
export const CLIENT_REQUEST_ID_HEADER = 'x-ms-client-request-id';
const MODEL_STATUS_HEADER = 'ms-azureml-model-error-statuscode';
const MODEL_REASON_HEADER = 'ms-azureml-model-error-reason';
/** Azure ML accepts a client request id of alphanumerics, '-' and '_', at most 40 characters. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9_-]{1,40}$/;
/** When a busy endpoint says nothing of when to come back. */
const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** The facade's request id as Azure ML takes it, or nothing when it does not fit the rule. */
export function clientRequestId(requestId: string | undefined): string | undefined {
  return requestId !== undefined && CLIENT_REQUEST_ID.test(requestId) ? requestId : undefined;
}

/** The MLflow scoring body: all three keys of the split orientation (without them, MLflow reads a tensor). */
export function mlflowBody(columns: ReadonlyMap<string, unknown[]>, rows: number, params: Record<string, unknown>): Buffer {
  const names = [...columns.keys()];
  const values = [...columns.values()];
  const data = Array.from({ length: rows }, (_, row) => values.map((column) => column[row]));
  const body: Record<string, unknown> = { input_data: { columns: names, index: Array.from({ length: rows }, (_, i) => i), data } };
  if (Object.keys(params).length > 0) body.params = params;
  return Buffer.from(JSON.stringify(body));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The predictions of an MLflow answer: a bare JSON array, or the array under "predictions" (both occur). */
export function predictionsOf(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (isObject(body) && Array.isArray(body.predictions)) return body.predictions;
  return undefined;
}

/**
 * A classic-format deployment's answer, in the shape the caller asked: each output as a table (ColumnTypes only
 * with details) or as swagger records. What a score.py returns is its own; a body without Results is a 502.
 */
export function reshapeClassicAnswer(body: unknown, format: 'table' | 'swagger', details: boolean): Buffer {
  if (!isObject(body) || !isObject(body.Results)) throw invalidModelAnswer('a classic answer has "Results"');
  const results: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(body.Results)) {
    const table = tableOf(output);
    if (!table) throw invalidModelAnswer(`output '${name}' is neither a table nor a list of records`);
    results[name] =
      format === 'swagger'
        ? table.Values.map((row) => Object.fromEntries(table.ColumnNames.map((c, i) => [c, row[i] ?? null])))
        : { type: 'table', value: details ? table : { ColumnNames: table.ColumnNames, Values: table.Values } };
  }
  return Buffer.from(JSON.stringify({ ...body, Results: results }));
}

interface Table {
  ColumnNames: string[];
  ColumnTypes?: string[];
  Values: unknown[][];
}

function tableOf(output: unknown): Table | undefined {
  const value = isObject(output) && isObject(output.value) ? output.value : output;
  if (isObject(value) && Array.isArray(value.ColumnNames) && Array.isArray(value.Values)) {
    const table: Table = { ColumnNames: value.ColumnNames.map(String), Values: value.Values.filter(Array.isArray) };
    table.ColumnTypes = Array.isArray(value.ColumnTypes) ? value.ColumnTypes.map(String) : table.ColumnNames.map(() => 'String');
    return table;
  }
  if (Array.isArray(value) && value.every(isObject)) {
    const names = [...new Set(value.flatMap((record) => Object.keys(record)))];
    return { ColumnNames: names, ColumnTypes: names.map(() => 'String'), Values: value.map((record) => names.map((n) => record[n] ?? null)) };
  }
  return undefined;
}

/** Text fit for a detail: one line, bounded (never a whole body). */
function snippet(text: string | undefined, max = 300): string {
  return (text ?? '').replace(/[\r\n\t]+/g, ' ').slice(0, max);
}

function messageOf(answer: BackendAnswer): string {
  const json = jsonOf(answer);
  if (isObject(json)) {
    if (typeof json.message === 'string') return snippet(json.message);
    if (isObject(json.error) && typeof json.error.message === 'string') return snippet(json.error.message);
    if (typeof json.error === 'string') return snippet(json.error);
  }
  return snippet(answer.body.toString('utf8', 0, Math.min(answer.body.length, 300)));
}

/** A non-200 answer of the endpoint (after the 401 refresh) as the facade's error, the endpoint's cause in details. */
export function endpointError(answer: BackendAnswer): GatewayError {
  const { status } = answer;
  const said = messageOf(answer);
  const cause = (code: string, message: string): ErrorDetail[] => [{ code, message }, ...(said ? [{ code: `AzureML${status}`, target: 'backend', message: said }] : [])];
  switch (status) {
    case 408: {
      const message = "The Azure ML endpoint timed out the request (HTTP 408: the deployment's request_timeout_ms was exceeded).";
      return new GatewayError('BackendScoreTimeout', message, { details: cause('BackendScoreTimeout', message) });
    }
    case 424:
      return modelError(answer);
    case 429:
    case 503: {
      const retryAfter = headerValue(answer.headers, 'retry-after');
      const seconds = retryAfter && /^\d{1,5}$/.test(retryAfter) ? retryAfter : String(DEFAULT_RETRY_AFTER_SECONDS);
      const message = `The Azure ML endpoint is busy (HTTP ${status}); retry after ${seconds} s.`;
      return new GatewayError('BackendBusy', message, { details: cause('BackendBusy', message), headers: { 'Retry-After': seconds } });
    }
    case 404: {
      const message = 'The Azure ML endpoint has no such deployment, or no deployment with traffic (HTTP 404).';
      const [first, ...rest] = cause('BackendError', message);
      const deployment = { code: 'BackendDeploymentNotFound', target: 'backend.deployment', message: 'the catalogue entry names a deployment the endpoint lacks, or none takes traffic' };
      return new GatewayError('BackendError', message, { details: [first!, deployment, ...rest] });
    }
    default: {
      const message = `The Azure ML endpoint failed (HTTP ${status}).`;
      return new GatewayError('BackendError', message, { details: cause('BackendError', message) });
    }
  }
}

/**
 * 424: the model container answered non-200; its status and reason come in headers. A 4xx is the model judging the
 * caller's input (a classic-format score.py's own classic error passes through as it is): the caller's to fix, so a
 * 400, never a 5xx. Anything else is the model failing: 502.
 */
function modelError(answer: BackendAnswer): GatewayError {
  const modelStatus = Number(headerValue(answer.headers, MODEL_STATUS_HEADER));
  const reason = snippet(headerValue(answer.headers, MODEL_REASON_HEADER)) || messageOf(answer) || 'no reason given';
  const detail = { code: 'ModelError', target: 'backend', message: `the model answered ${Number.isFinite(modelStatus) ? modelStatus : 'an error'}: ${reason}` };
  if (modelStatus >= 400 && modelStatus < 500) {
    const verdict = parseBackendError(jsonOf(answer));
    if (verdict && verdict.details.length > 0) return new GatewayError({ status: 400, code: verdict.code }, verdict.message, { details: verdict.details });
    return new GatewayError('ModelRejectedInput', `The model rejected the input: ${reason}`, { details: [{ code: 'ModelRejectedInput', message: reason }, detail] });
  }
  const message = `The model failed (HTTP 424 from the Azure ML endpoint, model status ${Number.isFinite(modelStatus) ? modelStatus : 'unknown'}).`;
  return new GatewayError('BackendModelError', message, { details: [{ code: 'BackendModelError', message }, detail] });
}
