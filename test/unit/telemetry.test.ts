// Structured telemetry: a call becomes a request item and a job transition a custom event, with the custom
// dimensions the dashboard queries and no secret anywhere; the sender batches, bounds its queue, flushes at close,
// gives up on a hanging endpoint at its deadline, retries what ingestion asks to retry, and sends Entra tokens when
// asked — all against the ingestion stand-in over real HTTP.
import { HttpRequest } from '@azure/functions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeCall, type FinishedCall } from '../../src/lib/usage/call-record.js';
import type { GatewayContext } from '../../src/lib/gateway/context.js';
import { parseAuthenticationString, parseConnectionString } from '../../src/lib/telemetry/connection-string.js';
import { formatDuration, jobEventEnvelope, requestEnvelope, scrub, type EnvelopeContext } from '../../src/lib/telemetry/envelopes.js';
import { TelemetrySender } from '../../src/lib/telemetry/sender.js';
import { closeAllTelemetry, createTelemetry, jobTransitionsTo, NO_TELEMETRY } from '../../src/lib/telemetry/index.js';
import { claimAndAdvance, type PollerDeps } from '../../src/lib/jobs/poller.js';
import type { JobRecord, JobState } from '../../src/lib/jobs/job-record.js';
import { startAppInsightsStandIn, type AppInsightsStandIn } from '../../src/local/appinsights-standin.js';

const IKEY = '11111111-2222-3333-4444-555555555555';
const CTX: EnvelopeContext = { iKey: IKEY, roleName: 'facade-app', roleInstance: 'local-1-abc' };
const SUB_KEY = 'k'.repeat(43);
const SAS_SIG = 'sv=2024-01-01&se=2030-01-01&sp=r&sig=AbCdEf%2BsEcReTsIgNaTuRe%3D';
const ACCOUNT_KEY = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123456789abcdefghijklmnopqrstuvwxyz==';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2VjcmV0';

function callWithSecrets(): FinishedCall {
  const request = new HttpRequest({
    method: 'POST',
    url: `http://facade/workspaces/ws/services/svc/execute?api-version=2.0&subscription-key=${SUB_KEY}&${SAS_SIG}`,
    headers: { 'ocp-apim-subscription-key': SUB_KEY, authorization: `Bearer ${TOKEN}`, 'content-length': '120', 'x-conn': `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${ACCOUNT_KEY}` },
    params: { workspace: 'ws', service: 'svc' },
  });
  const ctx = {
    caller: { subscriptionId: 'sub-1', subscriptionName: 'app', productId: 'gold', state: 'active' },
    product: { id: 'gold' }, backendMs: 40.123, workspace: 'ws', service: 'svc', entry: { backend: { kind: 'azureml-online' } },
  } as unknown as GatewayContext;
  return { operation: 'rrs.execute', requestId: 'b7c1d2e3-0000-4000-8000-000000000001', request, startedAt: 1000, ctx };
}

function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    id: 'a'.repeat(32), subscriptionId: 'sub-1', workspace: 'ws', service: 'svc', backendJobId: 'backend-1', state: 'Running',
    createdAt: '2030-01-01T00:00:00.000Z', startTime: '2030-01-01T00:00:00.000Z', endTime: null, details: null,
    outputs: { output1: { kind: 'facade' } }, results: null, nextPollAt: 0, lastPolledAt: 0, pollFailures: 0, leaseUntil: 0, leaseOwner: '', etag: 'e1',
    ...overrides,
  };
}

const allText = (value: unknown) => JSON.stringify(value);

describe('connection strings', () => {
  it('reads InstrumentationKey and IngestionEndpoint, else EndpointSuffix, else the global endpoint', () => {
    expect(parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://x/;ApplicationId=abc`, {}))
      .toEqual({ ok: true, value: { instrumentationKey: IKEY, trackUrl: 'https://westeurope-5.in.applicationinsights.azure.com/v2.1/track' } });
    expect(parseConnectionString(`instrumentationkey=${IKEY};EndpointSuffix=applicationinsights.azure.cn`, {})).toMatchObject({ value: { trackUrl: 'https://dc.applicationinsights.azure.cn/v2.1/track' } });
    expect(parseConnectionString(`InstrumentationKey=${IKEY}`, {})).toMatchObject({ value: { trackUrl: 'https://dc.services.visualstudio.com/v2.1/track' } });
  });

  it('refuses a missing key, plain http beyond loopback or in Azure, and never echoes the text', () => {
    const missing = parseConnectionString('IngestionEndpoint=https://x/', {});
    expect(missing.ok).toBe(false);
    expect(parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=http://example.com/`, {}).ok).toBe(false);
    expect(parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=http://127.0.0.1:9/`, {}).ok).toBe(true);
    expect(parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=http://127.0.0.1:9/`, { WEBSITE_INSTANCE_ID: 'x' }).ok).toBe(false);
    const bad = parseConnectionString(`InstrumentationKey=${IKEY};IngestionEndpoint=https://u:${SUB_KEY}@x/`, {});
    expect(bad.ok).toBe(false);
    expect(allText(bad)).not.toContain(SUB_KEY);
  });

  it('reads the Entra authentication string', () => {
    expect(parseAuthenticationString('Authorization=AAD')).toEqual({ ok: true, value: {} });
    expect(parseAuthenticationString(`Authorization=AAD;ClientId=${IKEY}`)).toEqual({ ok: true, value: { clientId: IKEY } });
    expect(parseAuthenticationString('Authorization=ikey').ok).toBe(false);
    expect(parseAuthenticationString('Authorization=AAD;ClientId=nope').ok).toBe(false);
  });
});

describe('envelopes', () => {
  it('formats durations as d.hh:mm:ss.fffffff', () => {
    expect(formatDuration(0)).toBe('0.00:00:00.0000000');
    expect(formatDuration(12.3456)).toBe('0.00:00:00.0123456');
    expect(formatDuration(90_061_001.5)).toBe('1.01:01:01.0015000');
    expect(formatDuration(Number.NaN)).toBe('0.00:00:00.0000000');
  });

  it('maps a call to a request item keyed by its x-ms-request-id, with the custom dimensions', () => {
    const usage = describeCall(callWithSecrets(), { status: 200, body: 'x'.repeat(50) }, 1250.5);
    const envelope = requestEnvelope(usage, Date.parse('2030-01-01T00:00:01.000Z'), CTX);
    expect(envelope).toEqual({
      ver: 1,
      name: 'Microsoft.ApplicationInsights.Request',
      time: '2030-01-01T00:00:00.750Z', // when the call began: ended minus 250.5 ms, to the millisecond
      sampleRate: 100,
      iKey: IKEY,
      tags: {
        'ai.operation.id': 'b7c1d2e3-0000-4000-8000-000000000001',
        'ai.operation.name': 'rrs.execute',
        'ai.cloud.role': 'facade-app',
        'ai.cloud.roleInstance': 'local-1-abc',
        'ai.internal.sdkVersion': 'mlfacade:1',
      },
      data: {
        baseType: 'RequestData',
        baseData: {
          ver: 2,
          id: 'b7c1d2e3-0000-4000-8000-000000000001',
          name: 'rrs.execute',
          duration: '0.00:00:00.2505000',
          responseCode: '200',
          success: true,
          properties: {
            requestId: 'b7c1d2e3-0000-4000-8000-000000000001', subscriptionId: 'sub-1', productId: 'gold', operation: 'rrs.execute', workspace: 'ws', service: 'svc',
            backendKind: 'azureml-online', status: '200', outcome: 'success', backendMs: '40.12', bytesIn: '120', bytesOut: '50',
          },
          measurements: { backendMs: 40.12, gatewayMs: 210.38, bytesIn: 120, bytesOut: 50 },
        },
      },
    });
  });

  it('marks refusals unsuccessful with APIM\'s outcome, and leaves out a backend time it never had', () => {
    const call: FinishedCall = { ...callWithSecrets(), ctx: undefined };
    const envelope = requestEnvelope(describeCall(call, { status: 429 }, 1003), Date.now(), CTX);
    expect(envelope.data.baseData).toMatchObject({ success: false, responseCode: '429', properties: { subscriptionId: 'anonymous', outcome: 'blocked', backendKind: '(none)' } });
    expect(envelope.data.baseData.properties).not.toHaveProperty('backendMs');
    expect(envelope.data.baseData.measurements).not.toHaveProperty('backendMs');
  });

  it('puts no secret in any field though the request carried a key, a token, a SAS and an account key', () => {
    const call = callWithSecrets();
    // Caller text reaches the path parameters: even a key pasted there is scrubbed.
    call.request.params.service = `svc?sig=${SUB_KEY}`;
    (call.ctx as { service: string }).service = `svc?sig=${SUB_KEY}`;
    const text = allText(requestEnvelope(describeCall(call, { status: 200, body: 'ok' }, 1010), Date.now(), CTX));
    for (const secret of [SUB_KEY, 'sEcReTsIgNaTuRe', ACCOUNT_KEY, TOKEN, 'c2lnbmF0dXJlc2VjcmV0']) expect(text).not.toContain(secret);
  });

  it('maps a job transition to a custom event with its state, previous state, details and backend kind, scrubbed', () => {
    const failed = job({
      state: 'Failed', endTime: '2030-01-01T00:02:00.000Z', pollFailures: 2,
      details: `Output could not be read from https://acct.blob.core.windows.net/c/b.csv?${SAS_SIG} (AccountKey=${ACCOUNT_KEY}; Authorization: Bearer ${TOKEN})`,
    });
    const envelope = jobEventEnvelope({ job: failed, previousState: 'Running', backendKind: 'azureml-batch' }, Date.parse('2030-01-01T00:02:01.000Z'), CTX);
    expect(envelope).toMatchObject({
      name: 'Microsoft.ApplicationInsights.Event',
      time: '2030-01-01T00:02:01.000Z',
      tags: { 'ai.operation.id': 'a'.repeat(32), 'ai.operation.name': 'bes.job' },
      data: {
        baseType: 'EventData',
        baseData: {
          ver: 2,
          name: 'BesJobTransition',
          properties: { jobId: 'a'.repeat(32), state: 'Failed', previousState: 'Running', backendKind: 'azureml-batch', subscriptionId: 'sub-1', workspace: 'ws', service: 'svc' },
          measurements: { runMs: 120_000, pollFailures: 2 },
        },
      },
    });
    const details = envelope.data.baseData.properties.details!;
    expect(details).toContain('https://acct.blob.core.windows.net/c/b.csv?[redacted]');
    for (const secret of ['sEcReTsIgNaTuRe', ACCOUNT_KEY, TOKEN]) expect(allText(envelope)).not.toContain(secret);
  });

  it('scrub removes credential shapes and keeps plain text', () => {
    expect(scrub('The backend reported the job failed.')).toBe('The backend reported the job failed.');
    expect(scrub(`password=hunter2;api-key: ${SUB_KEY}`)).toBe('password=[redacted];api-key=[redacted]');
    expect(scrub('x'.repeat(10_000))).toHaveLength(8192);
  });
});

describe('the job transition hook', () => {
  it('claimAndAdvance tells of a job saved in a new state, with the state it left', async () => {
    const seen: [JobState, JobState][] = [];
    const records = new Map<string, JobRecord>();
    let etag = 0;
    const deps = {
      store: { replace: async (record: JobRecord) => { const saved = { ...record, etag: `e${++etag}` }; records.set(record.id, saved); return saved; } },
      openJobs: { release: async () => undefined },
      owner: 'me', leaseMs: 60_000, now: () => Date.parse('2030-01-01T00:01:00.000Z'), pollIntervalMs: 5_000, maxRunMs: 3_600_000,
      catalogue: { get: async () => ({ backend: { kind: 'classic' } }) },
      backends: () => ({ status: async () => ({ status: 'Failed', details: 'bad input' }) }),
      blobs: {}, sealer: {},
      onTransition: (saved: JobRecord, previous: JobState) => seen.push([saved.state, previous]),
    } as unknown as PollerDeps;
    const saved = await claimAndAdvance(job(), deps);
    expect(saved?.state).toBe('Failed');
    expect(seen).toEqual([['Failed', 'Running']]);
  });

  it('jobTransitionsTo reads the backend kind from the catalogue, and is absent when telemetry is off', async () => {
    expect(jobTransitionsTo(NO_TELEMETRY, { get: async () => undefined }, '(none)')).toBeUndefined();
    const tracked: unknown[] = [];
    const telemetry = { ...NO_TELEMETRY, enabled: true, trackJobTransition: (...args: unknown[]) => void tracked.push(args) };
    const hook = jobTransitionsTo(telemetry, { get: async () => ({ backend: { kind: 'azureml-batch' } }) }, '(none)')!;
    hook(job({ state: 'Finished' }), 'Copying');
    const failing = jobTransitionsTo(telemetry, { get: async () => { throw new Error('storage down'); } }, '(none)')!;
    failing(job({ state: 'Failed' }), 'Running');
    await new Promise((r) => setTimeout(r, 10));
    expect(tracked).toEqual([[expect.objectContaining({ state: 'Finished' }), 'Copying', 'azureml-batch'], [expect.objectContaining({ state: 'Failed' }), 'Running', '(none)']]);
  });
});

describe('the sender, against the ingestion stand-in', () => {
  let standIn: AppInsightsStandIn;
  const warnings: string[] = [];
  beforeEach(async () => {
    standIn = await startAppInsightsStandIn();
    warnings.length = 0;
  });
  afterEach(async () => {
    await closeAllTelemetry();
    await standIn.close();
  });
  const trackUrl = () => `${standIn.url}/v2.1/track`;
  const event = (i: number) => jobEventEnvelope({ job: job({ id: i.toString(16).padStart(32, '0'), state: 'Finished' }), previousState: 'Running', backendKind: 'classic' }, Date.now(), CTX);

  it('is off without a connection string and with an unusable one (warning without the value)', () => {
    expect(createTelemetry({ flushIntervalMs: 1000, maxQueue: 100, roleInstance: 'x' })).toBe(NO_TELEMETRY);
    const off = createTelemetry({ connectionString: `IngestionEndpoint=https://x/;Secretish=${SUB_KEY}`, flushIntervalMs: 1000, maxQueue: 100, roleInstance: 'x', warn: (m) => warnings.push(m) });
    expect(off.enabled).toBe(false);
    expect(warnings.join()).toMatch(/APPLICATIONINSIGHTS_CONNECTION_STRING is unusable/);
    expect(warnings.join()).not.toContain(SUB_KEY);
  });

  it('sends calls as gzipped batches on its interval, received as request items', async () => {
    const telemetry = createTelemetry({ connectionString: standIn.connectionString(IKEY), flushIntervalMs: 50, maxQueue: 100, roleInstance: 'local-1', warn: (m) => warnings.push(m) });
    for (let i = 0; i < 3; i++) telemetry.trackCall(describeCall({ ...callWithSecrets(), requestId: `req-${i}` }, { status: 200, body: 'ok' }, 1005));
    const received = await standIn.waitFor(3);
    expect(received.map((e) => e.data.baseData.id)).toEqual(['req-0', 'req-1', 'req-2']);
    expect(received[0]).toMatchObject({ iKey: IKEY, name: 'Microsoft.ApplicationInsights.Request', tags: { 'ai.operation.id': 'req-0' }, data: { baseData: { properties: { subscriptionId: 'sub-1', outcome: 'success' } } } });
    expect(standIn.posts.every((p) => p.gzip && p.authorization === undefined)).toBe(true);
    expect(allText(received)).not.toContain(SUB_KEY);
    expect(warnings).toEqual([]);
  });

  it('batches: a full batch goes at once, in POSTs of at most maxBatch items', async () => {
    const sender = new TelemetrySender({ trackUrl: trackUrl(), flushIntervalMs: 60_000, maxQueue: 1000, maxBatch: 10, warn: (m) => warnings.push(m) });
    for (let i = 0; i < 25; i++) sender.enqueue(event(i));
    await standIn.waitFor(20); // two full batches went without waiting for the interval
    await sender.flush();
    expect(standIn.envelopes).toHaveLength(25);
    expect(standIn.posts.map((p) => p.items)).toEqual([10, 10, 5]);
    expect(sender.stats).toMatchObject({ sent: 25, dropped: 0, queued: 0 });
    await sender.close();
  });

  it('bounds its queue: past maxQueue new items are dropped and counted, with one warning', async () => {
    const sender = new TelemetrySender({ trackUrl: trackUrl(), flushIntervalMs: 60_000, maxQueue: 5, maxBatch: 100, warn: (m) => warnings.push(m) });
    for (let i = 0; i < 12; i++) sender.enqueue(event(i));
    expect(sender.stats).toMatchObject({ queued: 5, dropped: 7 });
    expect(warnings).toHaveLength(1);
    await sender.close();
    expect(standIn.envelopes).toHaveLength(5);
  });

  it('flushes at close (the appTerminate hook: closeAllTelemetry)', async () => {
    const telemetry = createTelemetry({ connectionString: standIn.connectionString(IKEY), flushIntervalMs: 3_600_000, maxQueue: 100, roleInstance: 'local-1' });
    telemetry.trackJobTransition(job({ state: 'Finished', endTime: '2030-01-01T00:00:05.000Z' }), 'Copying', 'classic');
    expect(standIn.envelopes).toHaveLength(0);
    await closeAllTelemetry();
    expect(standIn.envelopes).toHaveLength(1);
    expect(standIn.envelopes[0]!.data.baseData).toMatchObject({ name: 'BesJobTransition', properties: { state: 'Finished', previousState: 'Copying' }, measurements: { runMs: 5000 } });
  });

  it('gives up on a hanging endpoint at its deadline, keeps the items, and sends them once it answers', async () => {
    standIn.setFault({ kind: 'hang' });
    const sender = new TelemetrySender({ trackUrl: trackUrl(), flushIntervalMs: 60_000, maxQueue: 100, postTimeoutMs: 300, warn: (m) => warnings.push(m) });
    sender.enqueue(event(1));
    sender.enqueue(event(2));
    const began = performance.now();
    await sender.flush();
    const took = performance.now() - began;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2_000);
    expect(sender.stats).toMatchObject({ queued: 2, sent: 0, retried: 2 });
    expect(warnings.join()).toMatch(/no answer within the deadline/);
    standIn.setFault(undefined);
    await sender.flush();
    expect(standIn.envelopes).toHaveLength(2);
    await sender.close();
  });

  it('close is bounded too when the endpoint hangs: what is left is dropped', async () => {
    standIn.setFault({ kind: 'hang' });
    const sender = new TelemetrySender({ trackUrl: trackUrl(), flushIntervalMs: 60_000, maxQueue: 100, postTimeoutMs: 200, warn: (m) => warnings.push(m) });
    sender.enqueue(event(1));
    const began = performance.now();
    await sender.close(1_000);
    expect(performance.now() - began).toBeLessThan(1_500);
    expect(sender.stats).toMatchObject({ queued: 0, dropped: 1 });
  });

  it('retries what a partial success (206) marks retryable, and an item at most maxAttempts times', async () => {
    standIn.setFault({ kind: 'partial', retryIndices: [1] });
    const sender = new TelemetrySender({ trackUrl: trackUrl(), flushIntervalMs: 60_000, maxQueue: 100, maxAttempts: 2, warn: (m) => warnings.push(m) });
    for (let i = 0; i < 3; i++) sender.enqueue(event(i));
    await sender.flush();
    expect(standIn.envelopes).toHaveLength(2);
    expect(sender.stats).toMatchObject({ sent: 2, queued: 1 });
    await sender.flush(); // index 0 of this batch of one is not refused: it goes through
    expect(standIn.envelopes).toHaveLength(3);
    standIn.setFault({ kind: 'status', status: 503 });
    sender.enqueue(event(9));
    await sender.flush();
    await sender.flush();
    expect(sender.stats).toMatchObject({ queued: 0, dropped: 1 });
    await sender.close();
  });

  it('drops what ingestion refuses outright (400), never throwing', async () => {
    const sender = new TelemetrySender({ trackUrl: trackUrl(), flushIntervalMs: 60_000, maxQueue: 100, warn: (m) => warnings.push(m) });
    sender.enqueue({ ...event(1), time: 'not a time' });
    sender.enqueue(event(2));
    await sender.flush();
    expect(standIn.envelopes).toHaveLength(1);
    expect(sender.stats).toMatchObject({ sent: 1, dropped: 1, queued: 0 });
    await sender.close();
  });

  it('never throws into the caller when the endpoint is unreachable', async () => {
    const url = trackUrl();
    await standIn.close();
    const sender = new TelemetrySender({ trackUrl: url, flushIntervalMs: 60_000, maxQueue: 100, postTimeoutMs: 500, warn: (m) => warnings.push(m) });
    expect(() => sender.enqueue(event(1))).not.toThrow();
    await expect(sender.flush()).resolves.toBeUndefined();
    expect(warnings.join()).toMatch(/ingestion unreachable/);
    await sender.close(200);
    standIn = await startAppInsightsStandIn(); // for afterEach
  });

  it('with Authorization=AAD sends a bearer token for https://monitor.azure.com/.default, renewing it on a 401', async () => {
    await standIn.close();
    let valid = 'token-1';
    standIn = await startAppInsightsStandIn({ authorize: (h) => h === `Bearer ${valid}` });
    const scopes: string[] = [];
    let issued = 0;
    const tokens = {
      get: async (scope: string) => (scopes.push(scope), `token-${Math.max(1, issued)}`),
      refresh: async (scope: string) => (scopes.push(scope), `token-${++issued}`),
    };
    issued = 1;
    const telemetry = createTelemetry({
      connectionString: standIn.connectionString(IKEY), authenticationString: 'Authorization=AAD', tokens, flushIntervalMs: 3_600_000, maxQueue: 100, roleInstance: 'x', env: {},
      warn: (m) => warnings.push(m),
    });
    telemetry.trackCall(describeCall(callWithSecrets(), { status: 200 }, 1001));
    await telemetry.flush();
    expect(standIn.posts.at(-1)?.authorization).toBe('Bearer token-1');
    valid = 'token-2'; // the resource stops accepting the old token
    telemetry.trackCall(describeCall(callWithSecrets(), { status: 200 }, 1001));
    await telemetry.flush(); // 401 → renewed
    await telemetry.flush();
    expect(standIn.envelopes).toHaveLength(2);
    expect(new Set(scopes)).toEqual(new Set(['https://monitor.azure.com/.default']));
    expect(allText(warnings)).not.toContain('token-');
  });
});

describe('cold start', () => {
  it('the telemetry modules import only Node built-ins and the app\'s own modules (no SDK)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../src/lib/telemetry/', import.meta.url);
    for (const file of readdirSync(dir)) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const runtime = [...text.matchAll(/^import (?!type )[^;]*?from '([^']+)'/gm)].map((m) => m[1]!);
      expect(runtime.filter((s) => !s.startsWith('.') && !s.startsWith('node:')), file).toEqual([]);
    }
  });
});
