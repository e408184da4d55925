// The catalogue's contract: which {workspace, service} pairs the facade exposes and where each one's backend is.
import { z } from 'zod';
import { BackendConfig } from '../backends/kinds.js';
import { PathSegment } from '../contracts/names.js';
import { ProductId } from '../contracts/products.js';
import { ServiceSchema } from '../contracts/service-schema.js';

export const CatalogueEntrySchema = z.object({
  workspace: PathSegment,
  service: PathSegment,
  /** Where the service runs and how it is called: one of the backend kinds (backends/kinds.ts). */
  backend: BackendConfig,
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
