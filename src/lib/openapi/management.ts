// The management API in the OpenAPI document (tag "Management", x-admin-key): products, subscriptions and the
// catalogue, from the same zod schemas the /manage handlers validate with.
import { z } from 'zod';
import { CatalogueEntrySchema, PathSegment } from '../contracts/catalogue.js';
import { Product, ProductId, ProductInput } from '../contracts/products.js';
import { CreateSubscriptionInput, RegenerateQuery, Subscription, SubscriptionWithKeys, UpdateSubscriptionInput } from '../contracts/subscriptions.js';
import { UsageQueryInput } from '../usage/usage-query.js';
import { ADMIN_SECURITY, errorRefs } from './components.js';
import { jsonContent, jsonSchema, parametersOf, type Json } from './schema.js';

const TAG = 'Management';
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

export const MANAGEMENT_SCHEMAS = (): Json => ({
  Product: jsonSchema(Product, 'output'),
  ProductInput: jsonSchema(ProductInput, 'input'),
  Subscription: jsonSchema(Subscription, 'output'),
  SubscriptionWithKeys: jsonSchema(SubscriptionWithKeys, 'output'),
  CreateSubscriptionInput: jsonSchema(CreateSubscriptionInput, 'input'),
  UpdateSubscriptionInput: jsonSchema(UpdateSubscriptionInput, 'input'),
  CatalogueEntry: jsonSchema(CatalogueEntrySchema, 'output'),
  // The PUT body: the entry without the names the path already gives.
  CatalogueEntryBody: jsonSchema(CatalogueEntrySchema.omit({ workspace: true, service: true }).strict(), 'input'),
});

function op(id: string, summary: string, parameters: Json[], responses: Json, body?: Json): Json {
  const operation: Json = { operationId: id, tags: [TAG], summary, parameters, security: ADMIN_SECURITY, responses: { ...responses, ...errorRefs([400, 401, 404, 503]) } };
  if (body) operation.requestBody = { required: true, content: jsonContent(body) };
  return operation;
}

const answer = (status: number, description: string, schema: Json): Json => ({ [status]: { description, content: jsonContent(schema) } });
const list = (name: string): Json => ({ type: 'array', items: ref(name) });

export function managementPaths(): Record<string, Json> {
  const idParam = (schema: z.ZodType) => parametersOf(z.object({ id: schema }), 'path');
  const product = idParam(ProductId);
  const subscription = idParam(z.string().min(1));
  const service = parametersOf(z.object({ workspace: PathSegment, service: PathSegment }), 'path');
  return {
    '/manage/products': { get: op('manageListProducts', 'List products', [], answer(200, 'The products.', list('Product'))) },
    '/manage/products/{id}': {
      get: op('manageGetProduct', 'Get a product', product, answer(200, 'The product.', ref('Product'))),
      put: op('managePutProduct', 'Create (201) or change (200) a product; null removes a limit', product,
        { ...answer(200, 'Changed.', ref('Product')), ...answer(201, 'Created.', ref('Product')) }, ref('ProductInput')),
    },
    '/manage/subscriptions': {
      get: op('manageListSubscriptions', 'List subscriptions (never keys)', [], answer(200, 'The subscriptions.', list('Subscription'))),
      post: op('manageCreateSubscription', 'Create a subscription; the only time both keys are shown', [],
        answer(201, 'Created, with both keys.', ref('SubscriptionWithKeys')), ref('CreateSubscriptionInput')),
    },
    '/manage/subscriptions/{id}': {
      get: op('manageGetSubscription', 'Get a subscription', subscription, answer(200, 'The subscription.', ref('Subscription'))),
      patch: op('manageUpdateSubscription', 'Suspend, reactivate or cancel', subscription, answer(200, 'Changed.', ref('Subscription')), ref('UpdateSubscriptionInput')),
    },
    '/manage/subscriptions/{id}/regenerate': {
      post: op('manageRegenerateKey', 'Regenerate a key (shown once; the old one stops working)',
        [...subscription, ...parametersOf(RegenerateQuery, 'query')], answer(200, 'The subscription with the new key.', ref('SubscriptionWithKeys'))),
    },
    '/manage/catalogue': { get: op('manageListCatalogue', 'List catalogued services', [], answer(200, 'The entries.', list('CatalogueEntry'))) },
    '/manage/catalogue/{workspace}/{service}': {
      get: op('manageGetCatalogueEntry', 'Get a service\'s backend', service, answer(200, 'The entry.', ref('CatalogueEntry'))),
      put: op('managePutCatalogueEntry', 'Set a service\'s backend', service, answer(200, 'The entry.', ref('CatalogueEntry')), ref('CatalogueEntryBody')),
    },
    '/manage/usage': {
      get: op('manageGetUsage', 'Usage over a time range: totals, groups by one dimension and a time series (interval in minutes)',
        parametersOf(UsageQueryInput, 'query', { descriptions: { from: 'Default: an hour before `to`.', to: 'Default: now.' } }),
        answer(200, 'totals, groups and series; counts by outcome (success, blocked, failed, other) and latency percentiles.', { type: 'object' })),
    },
    '/manage/usage/flush': {
      post: op('manageFlushUsage', 'Write what this instance counted so far', [], answer(200, 'What was written.', { type: 'object' })),
    },
    '/manage/health': {
      get: op('manageHealth', 'Storage, Key Vault and every backend: healthy, degraded (a backend down) or unhealthy (503)', [],
        answer(200, 'status and one check per dependency (ok, ms, error).', { type: 'object' })),
    },
    '/manage/usage/jobs': {
      get: op('manageListUsageJobs', 'The newest batch jobs and every running one', [], answer(200, 'Jobs, newest first.', { type: 'array', items: { type: 'object' } })),
    },
  };
}
