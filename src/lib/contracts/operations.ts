// The facade's vocabulary of calls: the data-plane operations (as products allow them and usage counts them),
// their families, and who a call comes from. Stores, usage and the gateway all speak it; none owns it.

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
  | 'bes.uploadSas'
  // A subscriber's own view (GET /workspaces/me…): counted in usage, never against the product's limits.
  | 'me.read'
  | 'me.usage'
  | 'me.calls'
  | 'me.jobs'
  | 'me.services'
  | 'me.regenerate';

/** The operation families products allow. */
export type OperationFamily = 'rrs' | 'bes';

export function operationFamily(operation: Operation): OperationFamily {
  return operation === 'rrs.execute' ? 'rrs' : 'bes';
}

export type SubscriptionState = 'active' | 'suspended' | 'cancelled';

/** Who is calling, as a subscription key resolves. */
export interface CallerIdentity {
  subscriptionId: string;
  subscriptionName: string;
  productId: string;
  state: SubscriptionState;
  /** When the subscription expires (UTC ISO 8601); absent: never. Checked at each call, not when cached. */
  expiresAt?: string;
}
