// Policy: may this caller make this call? An active subscription, whose product exists and allows the
// operation and the service; otherwise 403, as APIM answers. Sets ctx.product for the throttling policies.
import { GatewayError } from '../../errors.js';
import type { Product } from '../../contracts/products.js';
import { operationFamily } from '../../contracts/operations.js';
import type { Policy } from '../compose.js';

export interface ProductLookup {
  get(id: string): Promise<Product | undefined>;
}

export function authorize(options: { products: ProductLookup }): Policy {
  const { products } = options;
  return async function authorizePolicy(ctx, next) {
    const caller = ctx.caller;
    if (!caller) throw new Error('authorize needs the authenticate policy before it');
    if (caller.state !== 'active') {
      throw new GatewayError('SubscriptionNotActive', `Access denied: the subscription is ${caller.state}.`);
    }
    const product = await products.get(caller.productId);
    if (!product) {
      throw new GatewayError('SubscriptionProductNotFound', `Access denied: the subscription's product "${caller.productId}" does not exist.`);
    }
    const family = operationFamily(ctx.operation);
    if (!product.operations.includes(family)) {
      throw new GatewayError('OperationNotAllowed', `Access denied: product "${product.id}" does not include ${family.toUpperCase()} operations.`);
    }
    if (product.services) {
      const wanted = `${ctx.workspace}/${ctx.service}`.toLowerCase();
      if (!product.services.some((s) => s.toLowerCase() === wanted)) {
        throw new GatewayError('ServiceNotAllowed', `Access denied: product "${product.id}" does not include this web service.`);
      }
    }
    ctx.product = product;
    await next();
  };
}
