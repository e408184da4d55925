// The state one data-plane call carries through the policy pipeline.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { CatalogueEntry } from '../contracts/catalogue.js';
import type { Product } from '../contracts/products.js';

/** The data-plane operations, named as products allow them and as usage counts them. */
export type Operation =
  | 'rrs.execute'
  | 'bes.submit'
  | 'bes.start'
  | 'bes.status'
  | 'bes.cancel'
  | 'bes.list'
  | 'bes.download'
  | 'bes.upload'
  | 'bes.uploadSas';

export interface CallerIdentity {
  subscriptionId: string;
  subscriptionName: string;
  productId: string;
  state: 'active' | 'suspended' | 'cancelled';
}

/** The operation family products allow ("rrs" or "bes"). */
export function operationFamily(operation: Operation): 'rrs' | 'bes' {
  return operation === 'rrs.execute' ? 'rrs' : 'bes';
}

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
}
