// Policy: who is calling? Finds the subscription key (header, query or Bearer) and resolves it to a
// caller, or answers 401 in the classic shape. How keys resolve is the verifier's business; an address that
// keeps sending wrong keys gets 429 for them (the failed-auth limiter), while a valid key is always served.
import { GatewayError } from '../../errors.js';
import { extractSubscriptionKey } from '../../auth/subscription-key.js';
import { clientAddress } from '../../auth/client-address.js';
import type { FailedAuthLimiter } from '../../auth/failed-auth-limiter.js';
import type { CallerIdentity } from '../../contracts/operations.js';
import type { Policy } from '../compose.js';

export type KeyVerifier = (key: string) => Promise<CallerIdentity | undefined>;

export function authenticate(options: { verify: KeyVerifier; failures?: FailedAuthLimiter }): Policy {
  const { verify, failures } = options;
  return async function authenticatePolicy(ctx, next) {
    const refuse = (error: GatewayError): never => {
      if (failures) failures.refuse(clientAddress(ctx.request), error);
      throw error;
    };
    const key = extractSubscriptionKey(ctx.request);
    const authorization = key ? undefined : ctx.request.headers.get('authorization')?.trim();
    if (authorization && !/^bearer(\s|$)/i.test(authorization)) {
      // A key sent as "Authorization: <key>" (or under another scheme): say what is missing rather than "no key".
      // Nothing of the header is echoed: it may be the key itself.
      const what = /\s/.test(authorization) ? 'uses a scheme other than Bearer' : 'has no scheme';
      refuse(new GatewayError('ScoreRequestUnauthorized',
        `Access denied: the Authorization header ${what}: use 'Authorization: Bearer <key>' or the Ocp-Apim-Subscription-Key header.`));
    }
    if (!key) {
      refuse(new GatewayError('ScoreRequestUnauthorized', 'Access denied: a subscription key is required. Send it in the Ocp-Apim-Subscription-Key header, the subscription-key query parameter or as Authorization: Bearer <key>.'));
    }
    const caller = await verify(key!);
    if (!caller) refuse(new GatewayError('ScoreRequestUnauthorized', 'Access denied: the subscription key is not valid.'));
    ctx.caller = caller;
    await next();
  };
}
