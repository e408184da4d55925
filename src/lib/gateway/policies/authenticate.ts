// Policy: who is calling? Finds the subscription key (header, query or Bearer) and resolves it to a
// caller, or answers 401 in the classic shape. How keys resolve is the verifier's business; an address that
// keeps failing is slowed down by the failed-auth limiter before its key is looked at.
import { GatewayError } from '../../errors.js';
import { extractSubscriptionKey } from '../../auth/subscription-key.js';
import { clientAddress } from '../../auth/client-address.js';
import type { FailedAuthLimiter } from '../../auth/failed-auth-limiter.js';
import type { CallerIdentity } from '../context.js';
import type { Policy } from '../compose.js';

export type KeyVerifier = (key: string) => Promise<CallerIdentity | undefined>;

export function authenticate(options: { verify: KeyVerifier; failures?: FailedAuthLimiter }): Policy {
  const { verify, failures } = options;
  return async function authenticatePolicy(ctx, next) {
    const address = failures ? clientAddress(ctx.request) : '';
    failures?.check(address);
    const key = extractSubscriptionKey(ctx.request);
    if (!key) {
      failures?.recordFailure(address);
      throw new GatewayError('ScoreRequestUnauthorized', 'Access denied: a subscription key is required. Send it in the Ocp-Apim-Subscription-Key header, the subscription-key query parameter or as Authorization: Bearer <key>.');
    }
    const caller = await verify(key);
    if (!caller) {
      failures?.recordFailure(address);
      throw new GatewayError('ScoreRequestUnauthorized', 'Access denied: the subscription key is not valid.');
    }
    ctx.caller = caller;
    await next();
  };
}
