// Table storage access for the facade's own state. @azure/data-tables is imported lazily: cold start
// matters, and calls that hit in-memory caches never need it. Every request has a deadline (storage/deadlines.ts).
import type { TableClient } from '@azure/data-tables';
import { statusOf } from './errors.js';
import { accessKey, isIdentity, storageCredential, type StorageAccess } from './access.js';
import { DEFAULT_STORAGE_DEADLINES, deadlineHttpClient, deadlinePolicy, type StorageDeadlines } from './deadlines.js';

/** The facade's tables, by role. */
export const TABLES = {
  catalogue: 'catalogue',
  subscriptions: 'subscriptions',
  subscriptionKeys: 'subscriptionkeys',
  products: 'products',
  counters: 'counters',
  jobs: 'jobs',
  openJobs: 'openjobs',
  usage: 'usage',
  requestLog: 'requestlog',
  audit: 'audit',
} as const;

const clients = new Map<string, Promise<TableClient>>();

function isHttpEndpoint(connectionString: string): boolean {
  return /(^|;)\s*(DefaultEndpointsProtocol=http|TableEndpoint=http:|UseDevelopmentStorage=true)/i.test(connectionString);
}

async function createClient(access: StorageAccess, table: string, deadlines: StorageDeadlines): Promise<TableClient> {
  const { TableClient } = await import('@azure/data-tables');
  const options = {
    retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
    httpClient: await deadlineHttpClient(deadlines.tryTimeoutMs),
    additionalPolicies: [{ policy: deadlinePolicy(deadlines.deadlineMs), position: 'perCall' as const }],
  };
  const client = isIdentity(access)
    ? // Identity-based: an Entra token, no key (a local emulator with OAuth is https too).
      new TableClient(access.tableServiceUri, table, await storageCredential(access), options)
    : // Azurite speaks plain http; a real account's connection string is https and keeps TLS.
      TableClient.fromConnectionString(access, table, { ...options, allowInsecureConnection: isHttpEndpoint(access) });
  try {
    await client.createTable();
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
  }
  return client;
}

/** One client per table and account, the table created on first use. */
export function getTableClient(access: StorageAccess, table: string, deadlines: StorageDeadlines = DEFAULT_STORAGE_DEADLINES): Promise<TableClient> {
  const key = `${table}\n${deadlines.tryTimeoutMs}/${deadlines.deadlineMs}\n${accessKey(access)}`;
  let client = clients.get(key);
  if (!client) {
    client = createClient(access, table, deadlines);
    clients.set(key, client);
    client.catch(() => clients.delete(key)); // a failed start (storage down) is retried on the next call
  }
  return client;
}
