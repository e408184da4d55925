// GET …/workspaces/me/services as a product sees the catalogue: both sides must allow a service (the product's
// services, the entry's products), and each service lists only the families its backend kind serves, from the kind's
// own definition (backends/kinds.ts). No backend detail leaves.
import { describe, expect, it } from 'vitest';
import type { CatalogueEntry } from '../../src/lib/catalogue/entry.js';
import type { Product } from '../../src/lib/contracts/products.js';
import { servicesFor } from '../../src/lib/self/my-services.js';

const entry = (service: string, backend: Record<string, unknown>, products: string[] = []) =>
  ({ workspace: 'ws', service, backend: { baseUrl: 'http://127.0.0.1:1', ...backend }, products }) as unknown as CatalogueEntry;

const ENTRIES = [
  entry('classic', { kind: 'classic', apiKeySecretName: 'k' }),
  entry('online', { kind: 'azureml-online', secretName: 'k' }),
  entry('oip', { kind: 'oip', model: 'm' }),
  entry('batch', { kind: 'azureml-batch' }),
  entry('gold-only', { kind: 'classic' }, ['gold']),
];

const product = (operations: Product['operations'], services: string[] | null = null, id = 'plan'): Product =>
  ({ id, name: 'Plan', rateLimit: null, quota: null, operations, services });

const listed = (p: Product) => servicesFor(p, ENTRIES, 'http://facade', '').map((s) => `${s.service}:${s.operations.join('+')}`);

describe('the services a product reaches', () => {
  it('lists each service with the families its kind serves, among those the product allows', () => {
    expect(listed(product(['rrs', 'bes']))).toEqual(['batch:bes', 'classic:rrs+bes', 'oip:rrs', 'online:rrs']);
    expect(listed(product(['rrs']))).toEqual(['classic:rrs', 'oip:rrs', 'online:rrs']);
    expect(listed(product(['bes']))).toEqual(['batch:bes', 'classic:bes']);
  });

  it('needs both sides: the product\'s services (any case) and the entry\'s products', () => {
    expect(listed(product(['rrs', 'bes'], ['WS/Online', 'ws/gold-only']))).toEqual(['online:rrs']);
    expect(listed(product(['rrs', 'bes'], null, 'gold'))).toContain('gold-only:rrs+bes');
  });

  it('gives the documents\' and pages\' URLs under the URL suffix, and nothing of the backend', () => {
    const [service] = servicesFor(product(['rrs']), [ENTRIES[0]!], 'http://facade', 'azureml');
    expect(service).toEqual({
      workspace: 'ws', service: 'classic', operations: ['rrs'],
      swaggerUrl: 'http://facade/azureml/workspaces/ws/services/classic/swagger.json',
      helpUrl: 'http://facade/portal/me/services/ws/classic',
    });
  });
});
