// The management API's handlers: each operation behind the admin key (never anonymous), answering JSON that is
// never cached. Errors go through the one error boundary (app/register.ts).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { requireAdmin } from '../../auth/admin-key.js';
import { jsonResponse } from '../../http/respond.js';
import type { ManageOperation } from '../../manage/handler.js';
import { createSubscription, getSubscription, listSubscriptions, regenerateKey, updateSubscription } from '../../manage/subscriptions.js';
import { getProduct, listProducts, putProduct } from '../../manage/products.js';
import { getCatalogueEntry, listCatalogue, putCatalogueEntry } from '../../manage/catalogue.js';
import { flushUsage, getUsage, listUsageJobs } from '../../manage/usage.js';
import { healthReport } from '../../manage/health.js';
import type { HandlerContext, HttpHandlerFactory } from '../operations/operation.js';

function admin(operation: ManageOperation): HttpHandlerFactory {
  return ({ app }: HandlerContext) =>
    async function handleManageCall(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
      const parts = app();
      await requireAdmin(request, parts.secrets, parts.settings.adminKeySecretName, parts.failedAuth);
      const result = await operation(request, parts);
      return jsonResponse(result.status, result.body, context.invocationId, { 'cache-control': 'no-store' });
    };
}

export const manageCreateSubscription = admin(createSubscription);
export const manageListSubscriptions = admin(listSubscriptions);
export const manageGetSubscription = admin(getSubscription);
export const manageUpdateSubscription = admin(updateSubscription);
export const manageRegenerateKey = admin(regenerateKey);
export const manageListProducts = admin(listProducts);
export const manageGetProduct = admin(getProduct);
export const managePutProduct = admin(putProduct);
export const manageListCatalogue = admin(listCatalogue);
export const manageGetCatalogueEntry = admin(getCatalogueEntry);
export const managePutCatalogueEntry = admin(putCatalogueEntry);
export const manageGetUsage = admin(getUsage);
export const manageFlushUsage = admin(flushUsage);
export const manageListUsageJobs = admin(listUsageJobs);
export const manageHealth = admin(healthReport);
