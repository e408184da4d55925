// The answers of the usage and analytics operations, for their OpenAPI entries in manage.ts and self.ts: counts,
// timing, throttling windows, jobs and request-log entries, each written once. JSON Schema, not zod: the operations
// table loads no zod at cold start.
import type { Json } from '../../openapi/kit.js';

export const NULLABLE_STRING: Json = { type: ['string', 'null'] };
const DATE_TIME: Json = { type: 'string', format: 'date-time' };
const nullableMs = (description: string): Json => ({ type: ['number', 'null'], description });

/** Properties: calls by APIM's outcome classes, and the blocked ones by status. */
export const COUNTS: Json = {
  calls: { type: 'integer' }, success: { type: 'integer' }, blocked: { type: 'integer' }, failed: { type: 'integer' }, other: { type: 'integer' },
  unauthorized: { type: 'integer', description: '401 answers (part of blocked).' },
  forbidden: { type: 'integer', description: '403 answers (part of blocked).' },
  throttled: { type: 'integer', description: '429 answers (part of blocked).' },
};

/** Properties: means in ms (2 decimals), null where nothing was counted. */
export const MEANS: Json = {
  meanMs: nullableMs('Mean latency of the calls.'),
  gatewayMeanMs: nullableMs('Mean time spent in the facade itself: (latencyMsSum − backendMsSum) / calls.'),
  backendMeanMs: nullableMs('Mean wait for the backend, over the calls that waited for one.'),
};

export const TIMING: Json = {
  type: 'object',
  required: ['meanMs', 'gatewayMeanMs', 'backendMeanMs', 'backendCalls', 'latencyMsSum', 'backendMsSum'],
  properties: {
    ...MEANS,
    backendCalls: { type: 'integer', description: 'Calls that waited for a backend.' },
    latencyMsSum: { type: 'number' }, backendMsSum: { type: 'number' },
  },
};

export const LATENCY: Json = {
  type: 'object',
  description: 'Percentiles in ms (within ±7.5 %), null where there were no calls.',
  properties: { p50: { type: ['number', 'null'] }, p95: { type: ['number', 'null'] }, p99: { type: ['number', 'null'] } },
};

const SERIES_POINT: Json = {
  type: 'object',
  properties: { time: DATE_TIME, ...COUNTS, p50: { type: ['number', 'null'] }, p95: { type: ['number', 'null'] }, p99: { type: ['number', 'null'] }, ...MEANS },
};

export const USAGE_REPORT: Json = {
  type: 'object',
  required: ['from', 'to', 'interval', 'groupBy', 'filters', 'totals', 'groups', 'series'],
  properties: {
    from: DATE_TIME, to: DATE_TIME, interval: { type: 'integer', description: 'Minutes.' },
    groupBy: NULLABLE_STRING,
    filters: { type: 'object', description: 'The filters given, as parsed (status as an integer).' },
    totals: { type: 'object', properties: { ...COUNTS, bytesIn: { type: 'integer' }, bytesOut: { type: 'integer' }, latency: LATENCY, timing: TIMING } },
    groups: {
      type: 'array',
      description: 'One per value of groupBy, most calls first; `name` only with groupBy=subscription.',
      items: { type: 'object', properties: { key: { type: 'string' }, name: NULLABLE_STRING, ...COUNTS, latency: LATENCY, timing: TIMING } },
    },
    series: { type: 'array', description: 'One point per interval in range, empty ones included.', items: SERIES_POINT },
  },
};

export const WINDOW: Json = {
  type: ['object', 'null'],
  description: 'The current window (null: the product sets no such limit). Read without spending a call.',
  required: ['calls', 'limit', 'renewsAt'],
  properties: {
    calls: { type: 'integer', description: 'Calls counted in the current window (refused calls are not counted).' },
    limit: { type: 'integer' },
    remaining: { type: 'integer' },
    renewalPeriod: { type: 'integer', description: 'Seconds.' },
    startedAt: DATE_TIME,
    renewsAt: DATE_TIME,
    exact: { type: 'boolean', description: 'false for limits of 1,000 calls or more, counted in claimed blocks: calls may then exceed the calls admitted by up to a block per instance.' },
  },
};

const QUOTA_WINDOW: Json = {
  ...WINDOW,
  properties: { ...(WINDOW.properties as Json), percentUsed: { type: 'number', description: 'calls / limit, 0–100, one decimal.' } },
};

export const QUOTAS_ANSWER: Json = {
  type: 'object',
  required: ['at', 'subscriptions'],
  properties: {
    at: DATE_TIME,
    subscriptions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'productId', 'productName', 'state', 'rate', 'quota'],
        properties: {
          id: { type: 'string' }, name: { type: 'string' }, productId: { type: 'string' },
          productName: { ...NULLABLE_STRING, description: 'null: the product no longer exists.' },
          state: { type: 'string', enum: ['active', 'suspended', 'cancelled', 'expired'] },
          rate: QUOTA_WINDOW, quota: QUOTA_WINDOW,
        },
      },
    },
  },
};

export const JOB: Json = {
  type: 'object',
  required: ['id', 'workspace', 'service', 'state', 'status', 'createdAt', 'startTime', 'endTime', 'durationSeconds', 'details'],
  properties: {
    id: { type: 'string' }, workspace: { type: 'string' }, service: { type: 'string' },
    state: { type: 'string', enum: ['NotStarted', 'Running', 'Copying', 'Finished', 'Failed', 'Cancelled'] },
    status: { type: 'string', description: 'The classic status code.' },
    createdAt: DATE_TIME, startTime: NULLABLE_STRING, endTime: NULLABLE_STRING,
    durationSeconds: { type: ['number', 'null'], description: 'Start to end, or to now while running; null before the start.' },
    details: { ...NULLABLE_STRING, description: 'Why it failed (or was cancelled), as the status call shows it.' },
  },
};

/** A job as the dashboard lists it: whose it is, too. */
export const ADMIN_JOB: Json = {
  ...JOB,
  required: [...(JOB.required as string[]), 'subscriptionId'],
  properties: { ...(JOB.properties as Json), subscriptionId: { type: 'string' } },
};

const CALL: Json = {
  type: 'object',
  description: 'One finished call: ids, names and numbers, never a key or a body.',
  required: ['time', 'requestId', 'subscriptionId', 'productId', 'operation', 'workspace', 'service', 'backendKind', 'status', 'outcome', 'errorCode', 'latencyMs', 'backendMs', 'gatewayMs', 'bytesIn', 'bytesOut'],
  properties: {
    time: { ...DATE_TIME, description: 'When the call ended.' },
    requestId: { type: 'string', description: 'The x-ms-request-id the caller got.' },
    subscriptionId: { type: 'string', description: '"anonymous" without a valid key.' },
    productId: { type: 'string' }, operation: { type: 'string' },
    workspace: { type: 'string' }, service: { type: 'string' },
    backendKind: { type: 'string', description: '"(none)": the call reached no service.' },
    status: { type: 'integer' },
    outcome: { type: 'string', enum: ['success', 'blocked', 'failed', 'other'] },
    errorCode: { ...NULLABLE_STRING, description: 'The specific error code of an answer ≥ 400 (e.g. RateLimitExceeded).' },
    latencyMs: { type: 'number' }, backendMs: { type: ['number', 'null'] },
    gatewayMs: { type: 'number', description: 'latencyMs − backendMs: the time spent in the facade itself.' },
    bytesIn: { type: 'integer' }, bytesOut: { type: 'integer' },
  },
};

export const CALLS_ANSWER: Json = {
  type: 'object',
  required: ['from', 'to', 'calls'],
  properties: { from: DATE_TIME, to: DATE_TIME, calls: { type: 'array', description: 'Newest first.', items: CALL } },
};
