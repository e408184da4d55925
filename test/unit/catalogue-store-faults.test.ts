// The catalogue store under a storage fault: every operation (the management API's list and put included)
// answers the facade's 503 ServiceUnavailable, never an unmapped error that would become a 500.
import type { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { CatalogueStore } from '../../src/lib/catalogue/catalogue-store.js';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:10002'), { code: 'ECONNREFUSED' });
const brokenTable = {
  async getEntity() { throw refused; },
  async upsertEntity() { throw refused; },
  listEntities() {
    return { async *[Symbol.asyncIterator]() { throw refused; } };
  },
} as unknown as TableClient;

const entry = {
  workspace: 'ws', service: 'svc', products: [],
  backend: { kind: 'classic' as const, baseUrl: 'http://127.0.0.1:1', workspace: 'b', service: 'b', apiKeySecretName: 'k' },
};

describe('CatalogueStore with storage down', () => {
  it.each([
    ['the table cannot even be opened', async () => { throw refused; }],
    ['every table call fails', async () => brokenTable],
  ])('%s: get, list and put all answer 503', async (_case, table) => {
    const store = new CatalogueStore(table, { cacheMs: 0 });
    for (const op of [() => store.get('ws', 'svc'), () => store.list(), () => store.put(entry)]) {
      await expect(op()).rejects.toMatchObject({ status: 503, classCode: 'ServiceUnavailable', code: 'StorageUnavailable' });
    }
  });
});
