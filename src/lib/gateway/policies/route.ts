// Policy: which backend serves this {workspace, service}? Looks it up in the catalogue, or answers 404.
import { GatewayError } from '../../errors.js';
import type { CatalogueEntry } from '../../catalogue/entry.js';
import type { Policy } from '../compose.js';

export interface CatalogueLookup {
  get(workspace: string, service: string): Promise<CatalogueEntry | undefined>;
}

export function route(options: { catalogue: CatalogueLookup }): Policy {
  const { catalogue } = options;
  return async function routePolicy(ctx, next) {
    const entry = await catalogue.get(ctx.workspace, ctx.service);
    if (!entry) {
      throw new GatewayError('WebServiceNotFound', `Web service "${ctx.service}" was not found in workspace "${ctx.workspace}".`);
    }
    // The catalogue may also restrict a service to some products (an empty list means every product).
    if (entry.products.length > 0 && ctx.caller && !entry.products.includes(ctx.caller.productId)) {
      throw new GatewayError('ServiceNotAllowed', `Access denied: this web service is not offered to product "${ctx.caller.productId}".`);
    }
    ctx.entry = entry;
    await next();
  };
}
