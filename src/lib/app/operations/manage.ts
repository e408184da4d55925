// The management API (admin key): products, subscriptions, the catalogue, usage and analytics (quotas, the request
// log, jobs), the detailed health report and the audit log of management changes.
import type { Json } from '../../openapi/kit.js';
import type { HttpOperation } from './operation.js';
import { ADMIN_JOB, CALLS_ANSWER, QUOTAS_ANSWER, USAGE_REPORT } from './usage-schemas.js';

const manage = () => import('../handlers/manage.js');

/** A row of the audit log (manage/audit-log.ts); written here as JSON Schema, the table loading no zod at cold start. */
const AUDIT_ENTRY: Json = {
  type: 'object',
  required: ['id', 'at', 'actor', 'operation', 'target', 'outcome', 'status', 'requestId'],
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time', description: 'When the change was answered (UTC).' },
    actor: { type: 'string', description: 'The admin credential\'s id: "admin-key:sha256:" and 12 hex digits of the admin key\'s SHA-256 (never the key).' },
    operation: {
      type: 'string',
      enum: ['subscription.create', 'subscription.update', 'subscription.delete', 'subscription.regenerateKey', 'product.put', 'product.delete', 'catalogue.put'],
    },
    target: { type: 'string', description: 'subscriptions/{id}, products/{id} or catalogue/{workspace}/{service}.' },
    outcome: { type: 'string', enum: ['success', 'failure'] },
    status: { type: 'integer', description: 'The HTTP status answered.' },
    errorCode: { type: 'string', description: 'The specific error code of a refusal.' },
    requestId: { type: 'string', description: 'The x-ms-request-id of the management call.' },
    details: { type: 'object', description: 'What changed (e.g. {"changed": {"productId": {"from", "to"}}}); never a key.' },
  },
};

const AUDIT_QUERY: Json[] = [
  { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Inclusive. Default: the first entry.' },
  { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Inclusive. Default: now.' },
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
];

export const MANAGE_OPERATIONS: HttpOperation[] = [
  {
    kind: 'http', name: 'manageListProducts', methods: ['GET'], route: 'manage/products', handlers: manage,
    openapi: (k) => k.manage('List products', [], k.answer(200, 'The products.', k.list('Product'))),
  },
  {
    kind: 'http', name: 'manageGetProduct', methods: ['GET'], route: 'manage/products/{id}', handlers: manage,
    openapi: (k) => k.manage('Get a product', k.params.productId, k.answer(200, 'The product.', k.ref('Product'))),
  },
  {
    kind: 'http', name: 'managePutProduct', methods: ['PUT'], route: 'manage/products/{id}', handlers: manage,
    openapi: (k) => k.manage('Create (201) or change (200) a product; null removes a limit', k.params.productId,
      { ...k.answer(200, 'Changed.', k.ref('Product')), ...k.answer(201, 'Created.', k.ref('Product')) }, k.ref('ProductInput')),
  },
  {
    kind: 'http', name: 'manageDeleteProduct', methods: ['DELETE'], route: 'manage/products/{id}', handlers: manage,
    openapi: (k) => k.manage('Delete a product no subscription or catalogue entry uses (starter and unlimited are built in: never deleted)', k.params.productId, {
      ...k.answer(200, 'Deleted; the product as it was.', k.ref('Product')),
      ...k.answer(409, 'ProductInUse: details name each subscription (target subscriptions/{id}) and catalogue entry using it; or ProductBuiltIn.', k.ref('ClassicError')),
    }),
  },
  {
    kind: 'http', name: 'manageListSubscriptions', methods: ['GET'], route: 'manage/subscriptions', handlers: manage,
    openapi: (k) => k.manage('List subscriptions (never keys)', [], k.answer(200, 'The subscriptions.', k.list('Subscription'))),
  },
  {
    kind: 'http', name: 'manageCreateSubscription', methods: ['POST'], route: 'manage/subscriptions', handlers: manage,
    openapi: (k) => k.manage('Create a subscription; the only time both keys are shown', [],
      k.answer(201, 'Created, with both keys.', k.ref('SubscriptionWithKeys')), k.ref('CreateSubscriptionInput')),
  },
  {
    kind: 'http', name: 'manageGetSubscription', methods: ['GET'], route: 'manage/subscriptions/{id}', handlers: manage,
    openapi: (k) => k.manage('Get a subscription', k.params.subscriptionId, k.answer(200, 'The subscription.', k.ref('Subscription'))),
  },
  {
    kind: 'http', name: 'manageUpdateSubscription', methods: ['PATCH'], route: 'manage/subscriptions/{id}', handlers: manage,
    openapi: (k) => k.manage('Suspend, reactivate or cancel; move to another product; set or remove the expiry (cancelled is final)', k.params.subscriptionId,
      k.answer(200, 'Changed.', k.ref('Subscription')), k.ref('UpdateSubscriptionInput')),
  },
  {
    kind: 'http', name: 'manageDeleteSubscription', methods: ['DELETE'], route: 'manage/subscriptions/{id}', handlers: manage,
    openapi: (k) => k.manage('Delete a subscription: its keys stop (other instances within AUTH_CACHE_SECONDS); its usage history stays', k.params.subscriptionId,
      k.answer(200, 'Deleted; the subscription as it was.', k.ref('Subscription'))),
  },
  {
    kind: 'http', name: 'manageRegenerateKey', methods: ['POST'], route: 'manage/subscriptions/{id}/regenerate', handlers: manage,
    openapi: (k) => k.manage('Regenerate a key (shown once; the old one stops working)', [...k.params.subscriptionId, ...k.params.regenerateQuery],
      k.answer(200, 'The subscription with the new key.', k.ref('SubscriptionWithKeys'))),
  },
  {
    kind: 'http', name: 'manageListCatalogue', methods: ['GET'], route: 'manage/catalogue', handlers: manage,
    openapi: (k) => k.manage('List catalogued services', [], k.answer(200, 'The entries.', k.list('CatalogueEntry'))),
  },
  {
    kind: 'http', name: 'manageGetCatalogueEntry', methods: ['GET'], route: 'manage/catalogue/{workspace}/{service}', handlers: manage,
    openapi: (k) => k.manage('Get a service\'s backend', k.params.catalogueEntry, k.answer(200, 'The entry.', k.ref('CatalogueEntry'))),
  },
  {
    kind: 'http', name: 'managePutCatalogueEntry', methods: ['PUT'], route: 'manage/catalogue/{workspace}/{service}', handlers: manage,
    openapi: (k) => k.manage('Set a service\'s backend', k.params.catalogueEntry, k.answer(200, 'The entry.', k.ref('CatalogueEntry')), k.ref('CatalogueEntryBody')),
  },
  {
    kind: 'http', name: 'manageGetUsage', methods: ['GET'], route: 'manage/usage', handlers: manage,
    openapi: (k) => k.manage('Usage over a time range, filtered: totals, groups by one dimension and a time series (interval in minutes)', k.params.usageQuery,
      k.answer(200, 'totals, groups and series; counts by outcome (success, blocked, failed, other; 401, 403, 429), latency percentiles and means.', USAGE_REPORT)),
  },
  {
    kind: 'http', name: 'manageGetUsageQuotas', methods: ['GET'], route: 'manage/usage/quotas', handlers: manage,
    openapi: (k) => k.manage('Every subscription with the calls counted in its current rate-limit and quota windows (read without spending a call)', [],
      k.answer(200, 'One entry per subscription (cancelled ones included), windows null where the product sets no limit.', QUOTAS_ANSWER)),
  },
  {
    kind: 'http', name: 'manageListUsageCalls', methods: ['GET'], route: 'manage/usage/calls', handlers: manage,
    openapi: (k) => k.manage('The request log: recent calls with their request ids, newest first (REQUEST_LOG_HOURS; this instance flushes first)', k.params.callsQuery,
      k.answer(200, 'The calls in range that match every filter given.', CALLS_ANSWER)),
  },
  {
    kind: 'http', name: 'manageFlushUsage', methods: ['POST'], route: 'manage/usage/flush', handlers: manage,
    openapi: (k) => k.manage('Write what this instance counted so far', [], k.answer(200, 'What was written.', { type: 'object' })),
  },
  {
    kind: 'http', name: 'manageListUsageJobs', methods: ['GET'], route: 'manage/usage/jobs', handlers: manage,
    openapi: (k) => k.manage('The newest batch jobs and every running one', [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }],
      k.answer(200, 'Jobs, newest first, with their classic status, duration and failure reason.', { type: 'array', items: ADMIN_JOB })),
  },
  {
    kind: 'http', name: 'manageHealth', methods: ['GET'], route: 'manage/health', handlers: manage,
    openapi: (k) => k.manage('Storage, Key Vault and every backend: healthy, degraded (a backend down) or unhealthy (503)', [],
      k.answer(200, 'status and one check per dependency (ok, ms, error).', { type: 'object' })),
  },
  {
    kind: 'http', name: 'manageListAudit', methods: ['GET'], route: 'manage/audit', handlers: manage,
    openapi: (k) => k.manage('The audit log of management changes (who, what, target, when, outcome), newest first', AUDIT_QUERY,
      k.answer(200, 'Entries, newest first.', { type: 'array', items: AUDIT_ENTRY })),
  },
];
