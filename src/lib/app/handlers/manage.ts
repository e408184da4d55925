// The management API's handlers: each operation behind the admin key (never anonymous), answering JSON that is
// never cached. Errors go through the one error boundary (app/register.ts). Every operation that changes
// something is written to the audit log, succeeded or refused (a call without a valid admin key is not: it is
// nobody's change, and the failed-auth limiter deals with it).
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ADMIN_KEY_HEADER, requireAdmin } from '../../auth/admin-key.js';
import { jsonResponse } from '../../http/respond.js';
import { GatewayError } from '../../errors.js';
import { getTableClient, TABLES } from '../../storage/tables.js';
import type { ManageOperation, ManageParts, ManageResult } from '../../manage/handler.js';
import { AuditLog, adminActor } from '../../manage/audit-log.js';
import { listAudit } from '../../manage/audit.js';
import { createSubscription, deleteSubscription, getSubscription, listSubscriptions, regenerateKey, updateSubscription } from '../../manage/subscriptions.js';
import { deleteProduct, getProduct, listProducts, putProduct } from '../../manage/products.js';
import { getCatalogueEntry, listCatalogue, putCatalogueEntry } from '../../manage/catalogue.js';
import { flushUsage, getUsage, listUsageCalls, listUsageJobs } from '../../manage/usage.js';
import { getUsageQuotas } from '../../manage/quotas.js';
import { healthReport } from '../../manage/health.js';
import type { App } from '../app.js';
import type { HandlerContext, HttpHandlerFactory } from '../operations/operation.js';

const auditLogs = new WeakMap<App, AuditLog>();

function auditLogOf(app: App): AuditLog {
  let log = auditLogs.get(app);
  if (!log) {
    const { storage, storageTryTimeoutMs, storageDeadlineMs } = app.settings;
    log = new AuditLog(() => getTableClient(storage, TABLES.audit, { tryTimeoutMs: storageTryTimeoutMs, deadlineMs: storageDeadlineMs }));
    auditLogs.set(app, log);
  }
  return log;
}

/** The default target: the path's ids, as the route names them. */
function pathTarget(request: HttpRequest, collection: string): string {
  const { id, workspace, service } = request.params;
  if (workspace !== undefined || service !== undefined) return `${collection}/${workspace ?? ''}/${service ?? ''}`;
  return id === undefined ? collection : `${collection}/${id}`;
}

/** `audited`: the operation's name in the audit log and the collection it changes; none for reads. */
function admin(operation: ManageOperation, audited?: { as: string; collection: string }): HttpHandlerFactory {
  return ({ app }: HandlerContext) =>
    async function handleManageCall(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
      const parts = app();
      await requireAdmin(request, parts.secrets, parts.settings.adminKeySecretName, parts.failedAuth);
      const audit = auditLogOf(parts);
      const withAudit: ManageParts = { ...parts, audit };
      if (!audited) {
        const result = await operation(request, withAudit);
        return jsonResponse(result.status, result.body, context.invocationId, { 'cache-control': 'no-store' });
      }
      const entry = {
        actor: adminActor(request.headers.get(ADMIN_KEY_HEADER) ?? ''), // requireAdmin passed: it is the admin key
        operation: audited.as,
        requestId: context.invocationId,
      };
      let result: ManageResult;
      try {
        result = await operation(request, withAudit);
      } catch (error) {
        const refused = error instanceof GatewayError;
        await audit.record({
          ...entry, target: pathTarget(request, audited.collection), outcome: 'failure',
          status: refused ? error.status : 500, errorCode: refused ? error.code : 'InternalServerError',
        }).catch((e: unknown) => context.error(`Audit log write failed for request ${context.invocationId}: ${(e as Error).message}`));
        throw error;
      }
      // The change is made: a failed audit write is logged, not turned into an error answer that would say it was not.
      await audit.record({
        ...entry, target: result.audit?.target ?? pathTarget(request, audited.collection), outcome: 'success', status: result.status,
        ...(result.audit?.details ? { details: result.audit.details } : {}),
      }).catch((e: unknown) => context.error(`Audit log write failed for request ${context.invocationId}: ${(e as Error).message}`));
      return jsonResponse(result.status, result.body, context.invocationId, { 'cache-control': 'no-store' });
    };
}

const changes = (as: string, collection: string) => ({ as, collection });

export const manageCreateSubscription = admin(createSubscription, changes('subscription.create', 'subscriptions'));
export const manageListSubscriptions = admin(listSubscriptions);
export const manageGetSubscription = admin(getSubscription);
export const manageUpdateSubscription = admin(updateSubscription, changes('subscription.update', 'subscriptions'));
export const manageDeleteSubscription = admin(deleteSubscription, changes('subscription.delete', 'subscriptions'));
export const manageRegenerateKey = admin(regenerateKey, changes('subscription.regenerateKey', 'subscriptions'));
export const manageListProducts = admin(listProducts);
export const manageGetProduct = admin(getProduct);
export const managePutProduct = admin(putProduct, changes('product.put', 'products'));
export const manageDeleteProduct = admin(deleteProduct, changes('product.delete', 'products'));
export const manageListCatalogue = admin(listCatalogue);
export const manageGetCatalogueEntry = admin(getCatalogueEntry);
export const managePutCatalogueEntry = admin(putCatalogueEntry, changes('catalogue.put', 'catalogue'));
export const manageGetUsage = admin(getUsage);
export const manageFlushUsage = admin(flushUsage);
export const manageListUsageJobs = admin(listUsageJobs);
export const manageListUsageCalls = admin(listUsageCalls);
export const manageGetUsageQuotas = admin(getUsageQuotas);
export const manageHealth = admin(healthReport);
export const manageListAudit = admin(listAudit);
