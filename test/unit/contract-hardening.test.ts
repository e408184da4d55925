// Regressions found by fuzzing: what the storage SDK or Azure Table storage cannot carry (lone UTF-16 surrogates,
// control characters, a property over 32K characters) is refused by the contracts, never turned into a 503.
import { describe, expect, it } from 'vitest';
import { InputFileName } from '../../src/lib/contracts/bes-inputs.js';
import { CreateSubscriptionInput } from '../../src/lib/contracts/subscriptions.js';
import { isWellFormed } from '../../src/lib/contracts/text.js';
import { parseInputLocation } from '../../src/lib/blobs/locations.js';
import { MAX_PRODUCT_SERVICES, ProductInput } from '../../src/lib/contracts/products.js';
import { CatalogueEntrySchema } from '../../src/lib/catalogue/entry.js';

/** Azure Table storage: a string property holds at most 64 KiB, i.e. 32K UTF-16 characters. */
const TABLE_STRING_LIMIT = 32 * 1024;

describe('well-formed text', () => {
  it('tells lone surrogates from surrogate pairs', () => {
    for (const ok of ['', 'plain', 'café', '🙂', 'a🙂b', '日本語']) expect(isWellFormed(ok)).toBe(true);
    for (const bad of ['\ud800', '\udfff', 'a\ud800b', '\udfff\ud800', '🙂'.slice(0, 1), `x${'🙂'.slice(1)}`]) expect(isWellFormed(bad)).toBe(false);
  });

  it('input file names and input locations refuse lone surrogates, keep emoji', () => {
    expect(InputFileName.safeParse('scores🙂.csv').success).toBe(true);
    expect(InputFileName.safeParse('scores\ud800.csv').success).toBe(false);
    const location = `/inputs/sub-1/${'a'.repeat(32)}/in.csv`;
    expect(parseInputLocation(location)).toBeDefined();
    expect(parseInputLocation(`${location}\ud800`)).toBeUndefined();
  });

  it('subscription names must be printable text', () => {
    expect(CreateSubscriptionInput.safeParse({ name: 'My app 🙂', productId: 'starter' }).success).toBe(true);
    for (const name of ['\ud800', 'a\udfffb', 'tab\there', 'nul\u0000', 'esc\u001b[31m', 'c1\u0085']) {
      const parsed = CreateSubscriptionInput.safeParse({ name, productId: 'starter' });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['name']);
    }
  });
});

describe('products and catalogue entries fit in one Table property', () => {
  const segment = (c: string) => c.repeat(128);
  it('the largest valid product does; a longer list is a 400 naming the field', () => {
    const largest = ProductInput.parse({
      name: '\u0001'.repeat(200), rateLimit: { calls: 1_000_000_000, renewalPeriod: 31_622_400 }, quota: { calls: 1_000_000_000, renewalPeriod: 31_622_400 },
      operations: ['rrs', 'bes'], services: Array.from({ length: MAX_PRODUCT_SERVICES }, () => `${segment('w')}/${segment('s')}`),
    });
    expect(JSON.stringify({ id: 'p'.repeat(64), ...largest }).length).toBeLessThan(TABLE_STRING_LIMIT);
    const tooMany = ProductInput.safeParse({ name: 'p', services: Array.from({ length: MAX_PRODUCT_SERVICES + 1 }, () => 'w/s') });
    expect(tooMany.error?.issues[0]?.path).toEqual(['services']);
    expect(ProductInput.safeParse({ name: 'p', operations: Array(9000).fill('rrs') }).error?.issues[0]?.path).toEqual(['operations']);
    expect(ProductInput.safeParse({ name: 'p', services: [`a/${'\u0001'.repeat(10)}`] }).success).toBe(false);
  });

  it('the largest valid catalogue entry does; a longer URL or product list is refused', () => {
    const backend = { kind: 'classic', workspace: segment('w'), service: segment('s'), apiKeySecretName: 'k'.repeat(127), timeoutMs: 1000 };
    const largest = CatalogueEntrySchema.parse({
      workspace: segment('a'), service: segment('b'), products: Array.from({ length: 100 }, () => 'p'.repeat(64)),
      backend: { ...backend, baseUrl: `https://h.example/${'\u0001'.repeat(2000)}` },
    });
    expect(JSON.stringify(largest).length).toBeLessThan(TABLE_STRING_LIMIT);
    const entry = { workspace: 'a', service: 'b', backend: { ...backend, baseUrl: 'https://h.example/' } };
    expect(CatalogueEntrySchema.safeParse({ ...entry, products: ['x'.repeat(40_000)] }).success).toBe(false);
    expect(CatalogueEntrySchema.safeParse({ ...entry, products: Array(101).fill('starter') }).success).toBe(false);
    expect(CatalogueEntrySchema.safeParse({ ...entry, backend: { ...backend, baseUrl: `https://h.example/${'p'.repeat(40_000)}` } }).success).toBe(false);
  });
});
