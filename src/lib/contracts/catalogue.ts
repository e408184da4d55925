// The catalogue's contract: which {workspace, service} pairs the facade exposes and where each one's backend is.
import { z } from 'zod';
import { ProductId } from './products.js';
import { ServiceSchema } from './service-schema.js';

export const PathSegment = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only');

export const CatalogueEntrySchema = z.object({
  workspace: PathSegment,
  service: PathSegment,
  backend: z.object({
    /** The backend's API flavour; "classic" is the Azure ML Studio (classic) web-service API. */
    kind: z.literal('classic'),
    baseUrl: z.url({ protocol: /^https?$/ }).max(2048),
    workspace: PathSegment,
    service: PathSegment,
    /** Name (never value) of the Key Vault secret that holds the backend's API key. */
    apiKeySecretName: z.string().regex(/^[0-9A-Za-z-]{1,127}$/, 'a Key Vault secret name'),
    timeoutMs: z.number().int().min(100).max(220_000).optional(),
  }),
  /** Products whose subscriptions may call this service; empty = every product. Bounded: an entry is one Table property (32K characters). */
  products: z.array(ProductId).max(100).default([]),
  /**
   * What the service takes and gives, for its Swagger document and the BES outputs written by default, when
   * the backend publishes no document of its own.
   */
  schema: ServiceSchema.optional(),
});

/** An entry is stored as one Table property (at most 32K characters): what fits, with room to spare. */
export const MAX_ENTRY_CHARACTERS = 30_000;

export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;
