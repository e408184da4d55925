import { HttpRequest, InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/lib/gateway/policies/authorize.js';
import { BUILT_IN_PRODUCTS, type Product } from '../../src/lib/contracts/products.js';
import type { GatewayContext } from '../../src/lib/gateway/context.js';
import type { CallerIdentity, Operation } from '../../src/lib/contracts/operations.js';

const products = new Map<string, Product>(BUILT_IN_PRODUCTS.map((p) => [p.id, p]));
products.set('bes-only', { id: 'bes-only', name: 'B', rateLimit: null, quota: null, operations: ['bes'], services: null });
products.set('one-service', { id: 'one-service', name: 'O', rateLimit: null, quota: null, operations: ['rrs', 'bes'], services: ['WS/svc'] });
const policy = authorize({ products: { get: async (id) => products.get(id) } });

function ctx(caller: Partial<CallerIdentity>, operation: Operation = 'rrs.execute', workspace = 'ws', service = 'svc'): GatewayContext {
  return {
    requestId: 'r', operation, workspace, service, startedAt: 0, responseHeaders: {},
    request: new HttpRequest({ method: 'POST', url: 'http://x/' }), invocation: new InvocationContext(),
    caller: { subscriptionId: 's', subscriptionName: 'n', productId: 'starter', state: 'active', ...caller },
  };
}

async function outcome(c: GatewayContext): Promise<string> {
  try {
    await policy(c, async () => {});
    return `ok:${c.product?.id}`;
  } catch (error) {
    return `${(error as { status: number }).status}:${(error as { code: string }).code}`;
  }
}

describe('authorize', () => {
  it('admits an active subscription and sets its product', async () => {
    expect(await outcome(ctx({}))).toBe('ok:starter');
  });
  it('refuses suspended and cancelled subscriptions with 403', async () => {
    expect(await outcome(ctx({ state: 'suspended' }))).toBe('403:SubscriptionNotActive');
    expect(await outcome(ctx({ state: 'cancelled' }))).toBe('403:SubscriptionNotActive');
  });
  it('refuses an operation outside the product', async () => {
    expect(await outcome(ctx({ productId: 'bes-only' }))).toBe('403:OperationNotAllowed');
    expect(await outcome(ctx({ productId: 'bes-only' }, 'bes.submit'))).toBe('ok:bes-only');
  });
  it('refuses a service outside the product, matching names case-insensitively', async () => {
    expect(await outcome(ctx({ productId: 'one-service' }, 'rrs.execute', 'ws', 'other'))).toBe('403:ServiceNotAllowed');
    expect(await outcome(ctx({ productId: 'one-service' }, 'rrs.execute', 'ws', 'SVC'))).toBe('ok:one-service');
  });
  it('refuses a subscription whose product was removed', async () => {
    expect(await outcome(ctx({ productId: 'gone' }))).toBe('403:SubscriptionProductNotFound');
  });
});
