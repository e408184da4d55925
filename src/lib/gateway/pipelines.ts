// The data-plane pipeline: authenticate → authorize → rate limit → quota → route → the operation's own terminal
// policy (forward, or a BES step). One list of access policies, shared by every operation.
import { compose, type Policy } from './compose.js';
import { authenticate } from './policies/authenticate.js';
import { authorize } from './policies/authorize.js';
import { rateLimit } from './policies/rate-limit.js';
import { quota } from './policies/quota.js';
import { route } from './policies/route.js';
import type { Pipeline } from './handler.js';
import type { FailedAuthLimiter } from '../auth/failed-auth-limiter.js';
import type { CallerIdentity } from '../contracts/operations.js';
import type { Product } from '../contracts/products.js';
import type { CounterStore } from '../throttling/counter-store.js';
import type { CatalogueEntry } from '../catalogue/entry.js';

/** What the access policies check a call against. */
export interface AccessParts {
  subscriptions: { verify(key: string): Promise<CallerIdentity | undefined> };
  failedAuth: FailedAuthLimiter;
  products: { get(id: string): Promise<Product | undefined> };
  counters: CounterStore;
  catalogue: { get(workspace: string, service: string): Promise<CatalogueEntry | undefined> };
}

export function accessPolicies(parts: AccessParts): Policy[] {
  return [
    authenticate({ verify: (key) => parts.subscriptions.verify(key), failures: parts.failedAuth }),
    authorize({ products: parts.products }),
    rateLimit({ counters: parts.counters }),
    quota({ counters: parts.counters }),
    route({ catalogue: parts.catalogue }),
  ];
}

/** The access policies, then the operation's terminal policy. */
export function dataPlanePipeline(parts: AccessParts, terminal: Policy): Pipeline {
  return compose([...accessPolicies(parts), terminal]);
}
