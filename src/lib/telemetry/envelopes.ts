// Application Insights envelopes, as the classic ingestion API (`POST {IngestionEndpoint}/v2.1/track`) takes them:
// `{ver, name, time, iKey, tags, data: {baseType, baseData}}`. A data-plane call is a request item
// ("Microsoft.ApplicationInsights.Request" / RequestData: id, name, duration "d.hh:mm:ss.fffffff", responseCode,
// success, properties, measurements); a batch job's change of state is a custom event
// ("Microsoft.ApplicationInsights.Event" / EventData: name, properties, measurements). Pure functions, no I/O.
//
// Only ids, names and numbers go in: the envelopes are built from a UsageCall and a JobRecord, which hold no URL,
// header or body. The one free text (a job's details, which a backend may write) and every other string pass
// through `scrub`, which removes anything shaped like a credential: URL query strings (SAS signatures), key=value
// secrets of connection strings, bearer tokens, JWTs.
import type { UsageCall } from '../usage/call-record.js';
import type { JobRecord, JobState } from '../jobs/job-record.js';

export interface Envelope {
  ver: 1;
  name: 'Microsoft.ApplicationInsights.Request' | 'Microsoft.ApplicationInsights.Event';
  time: string;
  sampleRate: number;
  iKey: string;
  tags: Record<string, string>;
  data: {
    baseType: 'RequestData' | 'EventData';
    baseData: Record<string, unknown> & { ver: 2; name: string; properties: Record<string, string>; measurements: Record<string, number> };
  };
}

/** What every envelope of this process carries. */
export interface EnvelopeContext {
  iKey: string;
  /** `cloud_RoleName`: the function app. */
  roleName: string;
  /** `cloud_RoleInstance`: this process. */
  roleInstance: string;
}

/** `sdkVersion` of every item this module builds: `requests | where sdkVersion startswith "mlfacade"` tells them from the host's own. */
export const SDK_VERSION = 'mlfacade:1';
/** The custom event of a batch job's change of state. */
export const JOB_EVENT = 'BesJobTransition';

const MAX_PROPERTY = 8192;
const MAX_ID = 128;

const SECRET_SHAPES: readonly [RegExp, string][] = [
  // A URL's query and fragment: SAS tokens (sig=…), codes, keys in query strings.
  [/\b(https?:\/\/[^\s?#"'<>]+)[?#][^\s"'<>]*/gi, '$1?[redacted]'],
  // Connection-string and form secrets.
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature|sig|signature|password|pwd|secret|client_secret|api[-_]?key|access[-_]?token|token|code|key)\s*[=:]\s*("[^"]*"|'[^']*'|[^;&\s,"'}]+)/gi, '$1=[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]'],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted]'],
];

/** Removes what looks like a credential and bounds the length (a custom dimension holds at most 8192 characters). */
export function scrub(text: string, max = MAX_PROPERTY): string {
  let out = text;
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
  return out.length > max ? out.slice(0, max) : out;
}

/** A .NET TimeSpan as the data model writes durations: `d.hh:mm:ss.fffffff`. */
export function formatDuration(ms: number): string {
  const ticks = Math.max(0, Math.round((Number.isFinite(ms) ? ms : 0) * 10_000)); // 100 ns units
  const fraction = ticks % 10_000_000;
  const totalSeconds = Math.floor(ticks / 10_000_000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor(totalSeconds / 3600) % 24;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  return `${days}.${pad(hours)}:${pad(minutes)}:${pad(totalSeconds % 60)}.${pad(fraction, 7)}`;
}

const round2 = (ms: number) => Math.round(ms * 100) / 100;

function cleanProperties(properties: Record<string, string | number | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(properties)) {
    if (value === null || value === undefined) continue;
    out[name] = scrub(String(value));
  }
  return out;
}

function cleanMeasurements(measurements: Record<string, number | null | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(measurements)) if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  return out;
}

function tags(ctx: EnvelopeContext, operationId: string, operationName: string): Record<string, string> {
  return {
    'ai.operation.id': scrub(operationId, MAX_ID),
    'ai.operation.name': scrub(operationName, 1024),
    'ai.cloud.role': scrub(ctx.roleName, 256),
    'ai.cloud.roleInstance': scrub(ctx.roleInstance, 256),
    'ai.internal.sdkVersion': SDK_VERSION,
  };
}

/**
 * One data-plane call as a request item: its id and operation id are the call's `x-ms-request-id` (the
 * invocation id, which the host's own request item carries as customDimensions.InvocationId). `endedAt` is epoch
 * ms; the item's time is when the call began.
 */
export function requestEnvelope(call: UsageCall, endedAt: number, ctx: EnvelopeContext): Envelope {
  const id = scrub(call.requestId, MAX_ID);
  return {
    ver: 1,
    name: 'Microsoft.ApplicationInsights.Request',
    time: new Date(Math.round(endedAt - call.latencyMs)).toISOString(),
    sampleRate: 100,
    iKey: ctx.iKey,
    tags: tags(ctx, id, call.operation),
    data: {
      baseType: 'RequestData',
      baseData: {
        ver: 2,
        id,
        name: call.operation,
        duration: formatDuration(call.latencyMs),
        responseCode: String(call.status),
        success: call.status < 400,
        properties: cleanProperties({
          requestId: id,
          subscriptionId: call.subscriptionId,
          productId: call.productId,
          operation: call.operation,
          workspace: call.workspace,
          service: call.service,
          backendKind: call.backendKind,
          status: call.status,
          outcome: call.outcome,
          backendMs: call.backendMs === null ? null : round2(call.backendMs),
          bytesIn: call.bytesIn,
          bytesOut: call.bytesOut,
        }),
        measurements: cleanMeasurements({
          backendMs: call.backendMs === null ? null : round2(call.backendMs),
          gatewayMs: call.backendMs === null ? null : round2(Math.max(0, call.latencyMs - call.backendMs)),
          bytesIn: call.bytesIn,
          bytesOut: call.bytesOut,
        }),
      },
    },
  };
}

/** What a job transition tells: the record as saved, the state it left, and the kind of backend running it. */
export interface JobTransition {
  job: Pick<JobRecord, 'id' | 'subscriptionId' | 'workspace' | 'service' | 'state' | 'details' | 'startTime' | 'endTime' | 'pollFailures'>;
  previousState: JobState;
  backendKind: string;
}

/** A job's change of state as a custom event; its operation id is the job id, so one job's events group together. */
export function jobEventEnvelope(event: JobTransition, at: number, ctx: EnvelopeContext): Envelope {
  const { job } = event;
  const started = job.startTime ? Date.parse(job.startTime) : NaN;
  const ended = job.endTime ? Date.parse(job.endTime) : NaN;
  return {
    ver: 1,
    name: 'Microsoft.ApplicationInsights.Event',
    time: new Date(at).toISOString(),
    sampleRate: 100,
    iKey: ctx.iKey,
    tags: tags(ctx, job.id, 'bes.job'),
    data: {
      baseType: 'EventData',
      baseData: {
        ver: 2,
        name: JOB_EVENT,
        properties: cleanProperties({
          jobId: job.id,
          state: job.state,
          previousState: event.previousState,
          details: job.details,
          backendKind: event.backendKind,
          subscriptionId: job.subscriptionId,
          workspace: job.workspace,
          service: job.service,
        }),
        measurements: cleanMeasurements({
          runMs: Number.isFinite(started) && Number.isFinite(ended) ? Math.max(0, ended - started) : null,
          pollFailures: job.pollFailures,
        }),
      },
    },
  };
}
