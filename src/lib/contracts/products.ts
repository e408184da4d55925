// Products: what a subscription may call and how often. Rate limits and quotas are fixed windows
// of `renewalPeriod` seconds; `operations` and `services` restrict what the product reaches.
import { z } from 'zod';

export const ProductId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and "-", at most 64');

export const Limit = z.object({
  calls: z.number().int().positive().max(1_000_000_000),
  /** Seconds. */
  renewalPeriod: z.number().int().positive().max(366 * 24 * 3600),
});
export type Limit = z.infer<typeof Limit>;

/** Operation families a product may allow. */
export const OperationFamily = z.enum(['rrs', 'bes']);
export type OperationFamily = z.infer<typeof OperationFamily>;

/**
 * A product is stored as one Table property, which holds at most 32K characters: bounded lists and catalogue-shaped
 * names keep every valid product under it (else a too-long product would come back as a storage failure).
 */
export const MAX_PRODUCT_SERVICES = 100;
const ServiceRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'workspace/service, each letters, digits, ".", "_" and "-"');

export const ProductInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    rateLimit: Limit.nullable().optional(),
    quota: Limit.nullable().optional(),
    operations: z.array(OperationFamily).min(1).max(OperationFamily.options.length).optional(),
    /** "workspace/service" pairs (each a catalogue path segment); omitted = every service. */
    services: z.array(ServiceRef).max(MAX_PRODUCT_SERVICES, `at most ${MAX_PRODUCT_SERVICES} services`).optional(),
  })
  .strict();
export type ProductInput = z.infer<typeof ProductInput>;

export const Product = z.object({
  id: ProductId,
  name: z.string(),
  rateLimit: Limit.nullable(),
  quota: Limit.nullable(),
  operations: z.array(OperationFamily),
  services: z.array(z.string()).nullable(),
});
export type Product = z.infer<typeof Product>;

/** The products that exist out of the box; starter's limits are APIM's defaults. */
export const BUILT_IN_PRODUCTS: readonly Product[] = [
  {
    id: 'starter',
    name: 'Starter',
    rateLimit: { calls: 5, renewalPeriod: 60 },
    quota: { calls: 100, renewalPeriod: 7 * 24 * 3600 },
    operations: ['rrs', 'bes'],
    services: null,
  },
  { id: 'unlimited', name: 'Unlimited', rateLimit: null, quota: null, operations: ['rrs', 'bes'], services: null },
];
