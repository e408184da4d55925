// What a kind of backend is: the schema of its catalogue configuration (its `kind` literal first) and how its
// adapter is built from the parts every adapter gets.
import type { z } from 'zod';
import type { Backend } from './port.js';
import type { BackendKeys, BackendTokens } from './keys.js';
import type { BatchExchange } from './batch-exchange.js';
import type { OperationFamily } from '../contracts/products.js';

export interface AdapterDeps {
  keys: BackendKeys;
  /** Entra tokens of the app's managed identity, for backends that take them. */
  tokens: BackendTokens;
  /** The facade's storage as batch adapters use it (staging, results, their per-job state). */
  batch?: BatchExchange;
  /** Timeout of a control call (BES submit, start, status, cancel) when the call names none. */
  controlTimeoutMs: number;
  /** Timeout of a read of the backend's published document. */
  documentTimeoutMs: number;
}

export interface BackendKindDefinition<S extends z.ZodObject<{ kind: z.ZodLiteral<string>; baseUrl: z.ZodType<string> }>> {
  config: S;
  /** What a service on this kind serves: request-response scoring, batch jobs, or both (the other is refused). */
  families: readonly OperationFamily[];
  create(deps: AdapterDeps): Backend<z.infer<S>>;
}
