// The state one data-plane call carries through the policy pipeline (its vocabulary: contracts/operations.ts).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { CatalogueEntry } from '../catalogue/entry.js';
import type { Product } from '../contracts/products.js';
import type { CallerIdentity, Operation } from '../contracts/operations.js';

export interface GatewayContext {
  readonly requestId: string;
  readonly operation: Operation;
  readonly request: HttpRequest;
  readonly invocation: InvocationContext;
  readonly workspace: string;
  readonly service: string;
  readonly startedAt: number;
  caller?: CallerIdentity;
  /** The caller's product, set by the authorize policy. */
  product?: Product;
  /** Headers every answer to this call carries (e.g. remaining calls), whatever its status. */
  responseHeaders: Record<string, string>;
  entry?: CatalogueEntry;
  response?: HttpResponseInit;
  /** Time spent waiting for the backend, for logs and usage. */
  backendMs?: number;
  /** Request bytes a policy counted while streaming a body sent without Content-Length, for usage. */
  bytesIn?: number;
  /** The code of an error answer passed through as the backend sent it, for usage and the request log. */
  errorCode?: string | undefined;
}
