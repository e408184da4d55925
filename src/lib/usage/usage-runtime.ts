// The usage parts one instance holds (its recorder and the shared table), and the process's instance id.
import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { UsageRecorder } from './recorder.js';
import { UsageTable } from './usage-table.js';

export interface Usage {
  recorder: UsageRecorder;
  table: UsageTable;
}

/**
 * Per process, not per machine: Azure may run several worker processes on one instance, and a restarted
 * process must write new rows rather than replace its predecessor's totals. Safe as a table key.
 */
export const USAGE_INSTANCE_ID = `${(process.env.WEBSITE_INSTANCE_ID ?? 'local').replace(/[^A-Za-z0-9-]/g, '').slice(0, 12)}-${process.pid}-${randomUUID().slice(0, 8)}`;

export function createUsage(table: () => Promise<TableClient>, options: { flushSeconds: number }): Usage {
  const usageTable = new UsageTable(table);
  return {
    table: usageTable,
    recorder: new UsageRecorder({ sink: usageTable, instanceId: USAGE_INSTANCE_ID, flushIntervalMs: options.flushSeconds * 1000 }),
  };
}
