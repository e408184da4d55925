// The usage table's storage shape against a fake TableClient: minute partitions that sort as time does,
// one row key per instance and dimensions, batches of at most 100, and rows read back (bad ones skipped).
import type { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/lib/errors.js';
import { UsageTable, minuteKey, type UsageRow } from '../../src/lib/usage/usage-table.js';

const MINUTE = Date.UTC(2025, 0, 8, 9, 5) / 60_000;

function row(i: number): UsageRow {
  return {
    minute: MINUTE, instanceId: 'inst', subscriptionId: `sub${i}`, productId: 'starter', operation: 'rrs.execute', outcome: 'success', backendKind: 'oip',
    service: 'ws/svc', status: 200, calls: i + 1, bytesIn: 1, bytesOut: 2, latency: '20:1', latencyMsSum: 2.5, backendCalls: i + 1, backendMsSum: 1.5,
  };
}

function fakeClient(listed: object[] = []) {
  const seen = { upserts: [] as object[], batches: [] as number[], filters: [] as string[] };
  const client = {
    async upsertEntity(entity: object, mode: string) {
      expect(mode).toBe('Replace');
      seen.upserts.push(entity);
    },
    async submitTransaction(actions: [string, object, string][]) {
      expect(actions.every(([kind, , mode]) => kind === 'upsert' && mode === 'Replace')).toBe(true);
      seen.batches.push(actions.length);
    },
    async *listEntities(options: { queryOptions: { filter: string } }) {
      seen.filters.push(options.queryOptions.filter);
      yield* listed;
    },
  };
  return { client: client as unknown as TableClient, seen };
}

describe('UsageTable', () => {
  it('names minute partitions yyyyMMddHHmm in UTC', () => {
    expect(minuteKey(MINUTE)).toBe('202501080905');
  });

  it('writes one row alone, and many in batches of 100 within the minute partition', async () => {
    const { client, seen } = fakeClient();
    const table = new UsageTable(async () => client);
    await table.upsert(MINUTE, [row(0)]);
    // The service's '/' is encoded: a RowKey may hold no '/', '\\', '#' or '?'.
    expect(seen.upserts[0]).toMatchObject({ partitionKey: '202501080905', rowKey: 'inst|sub0|starter|rrs.execute|success|oip|ws%2Fsvc|200', calls: 1, latency: '20:1', service: 'ws/svc', status: 200, latencyMsSum: 2.5, backendCalls: 1, backendMsSum: 1.5 });
    expect(seen.upserts[0]).not.toHaveProperty('minute');
    await table.upsert(MINUTE, Array.from({ length: 250 }, (_, i) => row(i)));
    expect(seen.batches).toEqual([100, 100, 50]);
  });

  it('reads a partition range and skips rows that are not usage rows; older rows read as classic, service "(none)", status 0, sums 0', async () => {
    const good = { partitionKey: '202501080905', instanceId: 'a', subscriptionId: 's', productId: 'p', operation: 'bes.list', outcome: 'blocked', calls: 3, bytesIn: 5, bytesOut: 6, latency: '1:3' };
    const { client, seen } = fakeClient([good, { ...good, outcome: 'weird' }, { ...good, partitionKey: 'garbage' }, { ...good, calls: 'x' }]);
    const rows = await new UsageTable(async () => client).read(MINUTE, MINUTE + 60);
    expect(seen.filters).toEqual(["PartitionKey ge '202501080905' and PartitionKey le '202501081005'"]);
    expect(rows).toEqual([{
      minute: MINUTE, instanceId: 'a', subscriptionId: 's', productId: 'p', operation: 'bes.list', outcome: 'blocked', backendKind: 'classic',
      service: '(none)', status: 0, calls: 3, bytesIn: 5, bytesOut: 6, latency: '1:3', latencyMsSum: 0, backendCalls: 0, backendMsSum: 0,
    }]);
  });

  it('turns storage faults into 503', async () => {
    const table = new UsageTable(async () => { throw Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' }); });
    const error = await table.read(MINUTE, MINUTE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(503);
  });
});
