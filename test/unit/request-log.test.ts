// The request log: an in-memory buffer written on the usage flush (bounded, the oldest dropped with one warning,
// kept through a failed write), off when REQUEST_LOG_HOURS is 0, retention at most hourly; its entries (error code,
// gateway time, never a key); its table (RowKeys newest first, transactions of ≤ 100, reads newest first across
// minutes, purges); and its query (validated, the subscriber's own subscription only).
import type { TableClient } from '@azure/data-tables';
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/lib/errors.js';
import { describeCall, type UsageCall } from '../../src/lib/usage/call-record.js';
import { ERRORS_PER_FLUSH, OTHERS_PER_FLUSH, RequestLog, entryOf, type CallsScan, type RequestLogEntry, type RequestLogStore, type TimedEntry } from '../../src/lib/usage/request-log.js';
import { minuteKey } from '../../src/lib/usage/usage-table.js';
import { RequestLogTable } from '../../src/lib/usage/request-log-table.js';
import { resolveCallsQuery, resolveMyCallsQuery, scanOf } from '../../src/lib/usage/request-log-query.js';
import { UsageRecorder } from '../../src/lib/usage/recorder.js';

const T0 = Date.UTC(2025, 0, 8, 12, 0, 0);
const KEY = 'k'.repeat(43);

function call(i: number, extra: Partial<UsageCall> = {}): UsageCall {
  return {
    requestId: `req-${i}`, subscriptionId: 's1', productId: 'gold', operation: 'rrs.execute', outcome: 'success', backendKind: 'classic',
    workspace: 'ws', service: 'svc', status: 200, errorCode: null, latencyMs: 10.123, backendMs: 7, bytesIn: 5, bytesOut: 9, ...extra,
  };
}

function memoryStore() {
  const appended: TimedEntry[] = [];
  const purges: number[] = [];
  let fail = 0;
  const store: RequestLogStore = {
    async append(_instance, entries) {
      if (fail > 0 && fail--) throw new Error('storage down');
      appended.push(...entries);
      return 0;
    },
    async read(scan: CallsScan) {
      return appended.map((t) => t.entry).filter(scan.accept).slice(0, scan.limit);
    },
    async purgeBefore(beforeMs) {
      purges.push(beforeMs);
      return 0;
    },
  };
  return { store, appended, purges, failNext: (n: number) => (fail = n) };
}

function setup(hours = 48, maxPending = 5) {
  const clock = { t: T0 };
  const warnings: string[] = [];
  const memory = memoryStore();
  const log = new RequestLog({ store: memory.store, instanceId: 'i1', hours, maxPending, now: () => clock.t, warn: (m) => warnings.push(m) });
  return { clock, warnings, memory, log };
}

describe('RequestLog', () => {
  it('records each call in memory and writes it on flush, with the gateway\'s own time', async () => {
    const { log, memory, clock } = setup();
    log.record(call(1));
    clock.t += 1500;
    log.record(call(2, { backendMs: null, status: 429, outcome: 'blocked', errorCode: 'RateLimitExceeded' }));
    expect(memory.appended).toHaveLength(0);
    expect(await log.flush()).toEqual({ written: 2, pending: 0 });
    expect(memory.appended.map((t) => t.entry)).toEqual([
      { time: '2025-01-08T12:00:00.000Z', requestId: 'req-1', subscriptionId: 's1', productId: 'gold', operation: 'rrs.execute', workspace: 'ws', service: 'svc', backendKind: 'classic', status: 200, outcome: 'success', errorCode: null, latencyMs: 10.12, backendMs: 7, gatewayMs: 3.12, bytesIn: 5, bytesOut: 9 },
      expect.objectContaining({ time: '2025-01-08T12:00:01.500Z', status: 429, errorCode: 'RateLimitExceeded', backendMs: null, gatewayMs: 10.12 }),
    ]);
  });

  it('bounds what waits: the oldest are dropped, with one warning line until a flush succeeds', async () => {
    const { log, memory, warnings } = setup(48, 5);
    memory.failNext(1);
    for (let i = 0; i < 3; i++) log.record(call(i));
    await expect(log.flush()).rejects.toThrow('storage down');
    expect(log.pending).toBe(3); // kept for the next flush
    for (let i = 3; i < 9; i++) log.record(call(i));
    expect(log.pending).toBe(5);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/more than 5 calls wait to be written.*oldest are dropped/);
    await log.flush();
    expect(memory.appended.map((t) => t.entry.requestId)).toEqual(['req-4', 'req-5', 'req-6', 'req-7', 'req-8']);
    for (let i = 0; i < 6; i++) log.record(call(i));
    expect(warnings).toHaveLength(2); // a new episode after the successful flush
  });

  it('keeps at most ERRORS_PER_FLUSH errors and OTHERS_PER_FLUSH other calls between two flushes, errors first', async () => {
    const { log, memory } = setup(48, 10_000);
    for (let i = 0; i < OTHERS_PER_FLUSH + 50; i++) log.record(call(i));
    for (let i = 0; i < ERRORS_PER_FLUSH + 30; i++) log.record(call(10_000 + i, { status: 400, outcome: 'failed', errorCode: 'RequestBodyInvalid' }));
    // Successes past their cap do not take the errors' room.
    expect(log.pending).toBe(OTHERS_PER_FLUSH + ERRORS_PER_FLUSH);
    expect(log.skipped).toBe(50 + 30);
    await log.flush();
    const written = memory.appended.map((t) => t.entry);
    expect(written.filter((e) => e.status === 200)).toHaveLength(OTHERS_PER_FLUSH);
    expect(written.filter((e) => e.status === 400)).toHaveLength(ERRORS_PER_FLUSH);
    expect(written[0]!.requestId).toBe('req-0'); // the first of each kind are kept
    // A flush opens the next window.
    expect(log.skipped).toBe(0);
    log.record(call(99_999));
    expect(log.pending).toBe(1);
  });

  it('records nothing, writes nothing and reads nothing when REQUEST_LOG_HOURS is 0', async () => {
    const { log, memory } = setup(0);
    expect(log.enabled).toBe(false);
    log.record(call(1));
    expect(log.pending).toBe(0);
    expect(await log.flush()).toEqual({ written: 0, pending: 0 });
    expect(memory.appended).toHaveLength(0);
    expect(memory.purges).toHaveLength(0);
    expect(await log.read(scanOf(resolveCallsQuery({}, T0)))).toEqual([]);
  });

  it('deletes entries older than REQUEST_LOG_HOURS at most once an hour', async () => {
    const { log, memory, clock } = setup(48);
    await log.flush();
    clock.t += 59 * 60_000;
    await log.flush();
    expect(memory.purges).toEqual([T0 - 48 * 3600_000]);
    clock.t += 60_000;
    await log.flush();
    expect(memory.purges).toHaveLength(2);
  });

  it('a retention pass that deleted a full batch goes on at the next flush, not an hour later', async () => {
    const passes: number[] = [];
    const deleted = [2, 1];
    const store: RequestLogStore = { append: async () => 0, read: async () => [], purgeBefore: async (before) => (passes.push(before), deleted.shift() ?? 0) };
    const log = new RequestLog({ store, instanceId: 'i1', hours: 1, purgeBatch: 2, now: () => T0 });
    for (let i = 0; i < 4; i++) {
      await log.flush();
      await new Promise((r) => setImmediate(r)); // the pass runs beside the flush
    }
    expect(passes).toEqual([T0 - 3600_000, T0 - 3600_000]);
  });

  it('is written by the usage recorder\'s flush (one timer, one shutdown flush)', async () => {
    const { log, memory } = setup();
    const recorder = new UsageRecorder({ sink: { upsert: async () => undefined }, instanceId: 'i1', flushIntervalMs: 60_000, alsoFlush: log });
    log.record(call(1));
    await recorder.close();
    expect(memory.appended).toHaveLength(1);
  });

  it('holds ids, names and numbers only: no key, no body', () => {
    const request = new HttpRequest({ method: 'POST', url: `http://facade/x?subscription-key=${KEY}`, headers: { authorization: `Bearer ${KEY}` }, body: { string: '{"secret":1}' }, params: { workspace: 'ws', service: 'svc' } });
    const usage = describeCall({ operation: 'rrs.execute', requestId: 'r', request, startedAt: 0, errorCode: 'ScoreRequestUnauthorized' }, { status: 401, body: '{"error":{}}' }, 3);
    const { log, memory } = setup();
    log.record(usage);
    return log.flush().then(() => {
      const text = JSON.stringify(memory.appended);
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('secret');
      expect(memory.appended[0]!.entry).toMatchObject({ subscriptionId: 'anonymous', status: 401, errorCode: 'ScoreRequestUnauthorized' });
    });
  });
});

/** A table that answers PartitionKey ranges as Table storage does: partitions in order, rows by RowKey (here: newest first). */
function fakeClient(rows: { partitionKey: string; rowKey?: string; time?: string }[] = []) {
  const seen = { batches: [] as [string, object][][], filters: [] as string[] };
  const client = {
    async submitTransaction(actions: [string, object][]) {
      if (actions.some(([, e]) => (e as { requestId?: string }).requestId === 'malformed')) throw Object.assign(new Error('InvalidInput'), { statusCode: 400 });
      seen.batches.push(actions);
    },
    async *listEntities(options: { queryOptions: { filter: string } }) {
      const filter = options.queryOptions.filter;
      seen.filters.push(filter);
      const ge = /PartitionKey ge '(\d+)'/.exec(filter)?.[1] ?? '';
      const le = /PartitionKey le '(\d+)'/.exec(filter)?.[1] ?? '9';
      const lt = /PartitionKey lt '(\d+)'/.exec(filter)?.[1] ?? '9';
      yield* rows
        .filter((r) => r.partitionKey >= ge && r.partitionKey <= le && r.partitionKey < lt)
        .sort((a, b) => a.partitionKey.localeCompare(b.partitionKey) || (b.time ?? '').localeCompare(a.time ?? '') || (a.rowKey ?? '').localeCompare(b.rowKey ?? ''));
    },
  };
  return { client: client as unknown as TableClient, seen };
}

const stored = (entry: RequestLogEntry) => {
  const { errorCode, backendMs, ...rest } = entry;
  const partitionKey = minuteKey(Math.floor(Date.parse(entry.time) / 60_000));
  return { partitionKey, ...rest, ...(errorCode === null ? {} : { errorCode }), ...(backendMs === null ? {} : { backendMs }) };
};

describe('RequestLogTable', () => {
  it('writes minute partitions in transactions of at most 100, RowKeys newest first and unique per instance and request', async () => {
    const { client, seen } = fakeClient();
    const entries: TimedEntry[] = Array.from({ length: 150 }, (_, i) => ({ atMs: T0 + i * 100, entry: entryOf(call(i), T0 + i * 100) }));
    entries.push({ atMs: T0 + 60_000, entry: { ...entries[0]!.entry, requestId: 'next/minute' } });
    await new RequestLogTable(async () => client).append('inst-1', entries);
    expect(seen.batches.map((b) => b.length)).toEqual([100, 50, 1]);
    const first = seen.batches[0]![0]![1] as Record<string, unknown>;
    expect(first).toMatchObject({ partitionKey: '202501081200', rowKey: '59999|inst-1|req-0', requestId: 'req-0', backendMs: 7 });
    expect(first).not.toHaveProperty('errorCode'); // null is stored as absent
    const second = seen.batches[0]![1]![1] as Record<string, unknown>;
    expect(String(second.rowKey) < String(first.rowKey)).toBe(true); // later calls sort first
    expect(seen.batches[2]![0]![1]).toMatchObject({ partitionKey: '202501081201', rowKey: '59999|inst-1|next%2Fminute' });
  });

  it('drops a batch storage refuses as malformed (it would be refused on every flush), and says how many', async () => {
    const { client, seen } = fakeClient();
    const entries = [T0, T0 + 60_000].map((atMs, i) => ({ atMs, entry: entryOf(call(i, i === 0 ? { requestId: 'malformed' } : {}), atMs) }));
    expect(await new RequestLogTable(async () => client).append('inst-1', entries)).toBe(1);
    expect(seen.batches).toHaveLength(1);
  });

  it('reads newest first across minutes, a sparse range in one query, narrowed by subscription and errors', async () => {
    const at = (minute: number, second: number, i: number): RequestLogEntry => ({ ...(entryFor(i)), time: new Date(T0 + minute * 60_000 + second * 1000).toISOString() });
    const rows = [at(0, 10, 1), at(0, 50, 2), at(3, 5, 3), at(9, 0, 4)];
    const { client, seen } = fakeClient(rows.map(stored));
    const table = new RequestLogTable(async () => client);
    const found = await table.read({ from: T0, to: T0 + 10 * 60_000, limit: 10, subscriptionId: "o'brien", errorsOnly: true, accept: () => true });
    expect(found.map((e) => e.requestId)).toEqual(['req-4', 'req-3', 'req-2', 'req-1']);
    expect(seen.filters[0]).toBe("PartitionKey ge '202501081209' and PartitionKey le '202501081209' and subscriptionId eq 'o''brien' and status ge 400");
    // Empty stretches are read in growing ranges: 1 minute, then 2, 4, 8.
    expect(seen.filters.map((f) => /ge '\d{10}(\d\d)' and PartitionKey le '\d{10}(\d\d)'/.exec(f)!.slice(1).join('-'))).toEqual(['09-09', '07-08', '03-06', '00-02']);
    const limited = await table.read({ from: T0, to: T0 + 60_000, limit: 1, accept: (e) => e.requestId !== 'req-2' });
    expect(limited.map((e) => e.requestId)).toEqual(['req-1']);
  });

  it('reads a dense range again a minute at a time, so the newest of a busy minute come first', async () => {
    const at = (ms: number, i: number): RequestLogEntry => ({ ...entryFor(i), time: new Date(T0 + ms).toISOString() });
    const rows = [
      ...Array.from({ length: 10 }, (_, i) => at(5 * 60_000 + i * 1000, 5000 + i)),
      ...Array.from({ length: 2100 }, (_, i) => at(2 * 60_000 + i * 10, i)),
    ];
    const { client, seen } = fakeClient(rows.map(stored));
    const found = await new RequestLogTable(async () => client).read({ from: T0, to: T0 + 6 * 60_000, limit: 50, accept: () => true });
    expect(found.map((e) => e.requestId)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `req-${5009 - i}`),
      ...Array.from({ length: 40 }, (_, i) => `req-${2099 - i}`),
    ]);
    expect(seen.filters.map((f) => /ge '\d{10}(\d\d)' and PartitionKey le '\d{10}(\d\d)'/.exec(f)!.slice(1).join('-'))).toEqual(['05-05', '03-04', '00-02', '02-02']);
  });

  it('purges whole minutes before the cutoff, in transactions per partition', async () => {
    const keys = [{ partitionKey: '202501061100', rowKey: 'a' }, { partitionKey: '202501061100', rowKey: 'b' }, { partitionKey: '202501061101', rowKey: 'c' }];
    const { client, seen } = fakeClient(keys);
    expect(await new RequestLogTable(async () => client).purgeBefore(T0 - 48 * 3600_000 + 30_000, 2)).toBe(2);
    expect(seen.filters).toEqual(["PartitionKey lt '202501061200'"]);
    expect(seen.batches).toEqual([[['delete', { partitionKey: '202501061100', rowKey: 'a' }], ['delete', { partitionKey: '202501061100', rowKey: 'b' }]]]);
  });

  it('turns storage faults into 503', async () => {
    const table = new RequestLogTable(async () => { throw Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' }); });
    const error = await table.read({ from: T0, to: T0 + 1, limit: 1, accept: () => true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(503);
  });
});

function entryFor(i: number): RequestLogEntry {
  return { time: '', requestId: `req-${i}`, subscriptionId: 's1', productId: 'gold', operation: 'rrs.execute', workspace: 'ws', service: 'svc', backendKind: 'classic', status: 200, outcome: 'success', errorCode: null, latencyMs: 1, backendMs: null, gatewayMs: 1, bytesIn: 0, bytesOut: 0 };
}

describe('the calls query', () => {
  const target = (params: Record<string, string>, resolve = resolveCallsQuery) => {
    try {
      resolve(params, T0);
    } catch (error) {
      return (error as GatewayError).details[0]?.target;
    }
    return undefined;
  };

  it('defaults to the last hour, 100 calls, every filter optional and validated', () => {
    expect(resolveCallsQuery({}, T0)).toEqual({ from: T0 - 3600_000, to: T0, limit: 100, errorsOnly: false, filters: {} });
    expect(resolveCallsQuery({ errorsonly: 'true', status: '429', service: 'ws/svc', limit: '5' }, T0)).toMatchObject({ limit: 5, errorsOnly: true, filters: { status: 429, service: 'ws/svc' } });
    expect(target({ limit: '0' })).toBe('limit');
    expect(target({ limit: '501' })).toBe('limit');
    expect(target({ errorsonly: 'yes' })).toBe('errorsOnly');
    expect(target({ status: 'abc' })).toBe('status');
    expect(target({ from: '2025-01-08T12:00:00Z', to: '2025-01-08T11:00:00Z' })).toBe('from');
    expect(target({ to: 'soon' })).toBe('to');
  });

  it('matches the service as usage counts it, and errorsOnly as answers ≥ 400', () => {
    const scan = scanOf(resolveCallsQuery({ service: 'ws/svc', errorsonly: 'true' }, T0));
    expect(scan.accept({ ...entryFor(1), status: 502 })).toBe(true);
    expect(scan.accept(entryFor(1))).toBe(false);
    expect(scan.accept({ ...entryFor(1), status: 502, backendKind: '(none)' })).toBe(false); // never reached ws/svc
    expect(scanOf(resolveCallsQuery({ service: '(none)' }, T0)).accept({ ...entryFor(1), backendKind: '(none)' })).toBe(true);
  });

  it('gives a subscriber no filter at all: theirs is added from their key', () => {
    expect(resolveMyCallsQuery({ subscription: 'someone-else', errorsonly: 'true' }, T0)).toEqual({ from: T0 - 3600_000, to: T0, limit: 100, errorsOnly: true, filters: {} });
    expect(target({ limit: 'x' }, resolveMyCallsQuery)).toBe('limit');
  });
});
