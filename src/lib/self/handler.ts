// The subscriber's own API ("My subscription"): each operation behind the caller's OWN subscription key, found
// where data-plane calls take it (Ocp-Apim-Subscription-Key, subscription-key query, Bearer) by the gateway's
// authenticate policy (same 401s, same failed-auth limiter; the admin key is not a subscription key: 401). Then
// the subscription must be active (403 SubscriptionNotActive / SubscriptionExpired, as on the data plane) — except
// where an operation allows a suspended one (GET …/me, so a suspended subscriber can see why and what is left).
// No rate limit or quota policy runs: these calls never spend the product's allowance. Every call is observed
// (usage under its own operation name, e.g. me.read; the per-call log line) like a data-plane call.
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError } from '../errors.js';
import { errorCodeOf, errorResponse, jsonResponse } from '../http/respond.js';
import { compose, type Policy } from '../gateway/compose.js';
import type { GatewayContext } from '../gateway/context.js';
import { authenticate } from '../gateway/policies/authenticate.js';
import type { FailedAuthLimiter } from '../auth/failed-auth-limiter.js';
import type { CallerIdentity, Operation } from '../contracts/operations.js';
import type { Product } from '../contracts/products.js';
import type { CallObserver } from '../usage/call-record.js';

/** The self-service operations, as usage counts them. */
export const SELF_OPERATIONS = ['me.read', 'me.usage', 'me.calls', 'me.jobs', 'me.regenerate', 'me.services'] as const;
export type SelfOperationName = (typeof SELF_OPERATIONS)[number];

export interface SelfAccess {
  subscriptions: { verify(key: string): Promise<CallerIdentity | undefined> };
  products: { get(id: string): Promise<Product | undefined> };
  failedAuth: FailedAuthLimiter;
}

/** An authenticated, allowed call: every read is keyed by `caller.subscriptionId`, never by anything the caller sends. */
export interface SelfCall {
  caller: CallerIdentity;
  product: Product;
  request: HttpRequest;
  requestId: string;
}

export interface SelfResult {
  status: number;
  body: unknown;
}

/** Query parameters every operation takes: the key may travel there, and classic clients add api-version. */
const ALWAYS_ACCEPTED = ['subscription-key', 'api-version'];

export interface SelfOptions {
  allowSuspended?: boolean;
  /**
   * The operation's own query parameters. Any other is refused (400 naming it): a hoped-for filter such as
   * ?subscription= is told, never silently ignored (these reads are always the caller's own).
   */
  parameters: readonly string[];
}

export function selfHandler(
  name: SelfOperationName,
  options: SelfOptions,
  access: () => SelfAccess,
  run: (call: SelfCall) => Promise<SelfResult>,
  observe: CallObserver,
): HttpHandler {
  // Counted in usage and the call log under their own names (contracts/operations.ts), apart from the data plane's.
  const operation: Operation = name;
  let pipeline: ((ctx: GatewayContext) => Promise<void>) | undefined;
  const build = () => {
    const parts = access();
    return compose([
      authenticate({ verify: (key) => parts.subscriptions.verify(key), failures: parts.failedAuth }),
      allowed(parts.products, options.allowSuspended === true),
    ]);
  };
  return async function handleSelfCall(request: HttpRequest, invocation: InvocationContext): Promise<HttpResponseInit> {
    const startedAt = performance.now();
    const requestId = invocation.invocationId;
    const ctx: GatewayContext = { requestId, operation, request, invocation, workspace: '', service: '', startedAt, responseHeaders: {} };
    let response: HttpResponseInit;
    let errorCode: string | undefined;
    try {
      pipeline ??= build();
      await pipeline(ctx);
      refuseUnknownParameters(request, options.parameters);
      const result = await run({ caller: ctx.caller!, product: ctx.product!, request, requestId });
      response = jsonResponse(result.status, result.body, requestId, { 'cache-control': 'no-store' });
    } catch (error) {
      response = errorResponse(error, requestId, invocation);
      errorCode = errorCodeOf(error);
    }
    observe({ operation, requestId, request, invocation, startedAt, ctx, errorCode }, response);
    return response;
  };
}

function refuseUnknownParameters(request: HttpRequest, parameters: readonly string[]): void {
  const accepted = new Set([...ALWAYS_ACCEPTED, ...parameters].map((p) => p.toLowerCase()));
  const unknown = [...new Set(request.query.keys())].filter((name) => !accepted.has(name.toLowerCase()));
  if (unknown.length === 0) return;
  const takes = parameters.length > 0 ? `it takes ${parameters.join(', ')}` : 'it takes none';
  throw new GatewayError('InvalidQueryParameter', 'The query string is invalid.', {
    details: unknown.slice(0, 10).map((target) => ({
      code: 'InvalidQueryParameter', target: target.slice(0, 100), message: `not a parameter of this operation (${takes})`,
    })),
  });
}

/** The data plane's subscription checks (authorize), without the operation and service ones: none apply here. */
function allowed(products: SelfAccess['products'], allowSuspended: boolean): Policy {
  return async function selfAllowedPolicy(ctx, next) {
    const caller = ctx.caller;
    if (!caller) throw new Error('the self-service check needs the authenticate policy before it');
    if (caller.state !== 'active' && !(allowSuspended && caller.state === 'suspended')) {
      throw new GatewayError('SubscriptionNotActive', `Access denied: the subscription is ${caller.state}.`);
    }
    const product = await products.get(caller.productId);
    if (!product) {
      throw new GatewayError('SubscriptionProductNotFound', `Access denied: the subscription's product "${caller.productId}" does not exist.`);
    }
    ctx.product = product;
    await next();
  };
}
