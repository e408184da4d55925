// "My subscription": the subscriber's own API, behind their OWN subscription key (header, query or Bearer, as data-
// plane calls take it; never the admin key). Served under the URL suffix at workspaces/me: no classic path has two
// segments after the suffix's "workspaces" without "services", so these routes cannot collide with a workspace's.
// These calls count in usage as me.read, me.usage, me.calls, me.jobs, me.regenerate and me.services, and never
// against the product's rate limit or quota. Schemas are written here as JSON Schema: the table loads no zod at cold start.
import type { Json } from '../../openapi/kit.js';
import type { HttpOperation } from './operation.js';
import { CALLS_ANSWER, COUNTS, JOB, LATENCY, MEANS, TIMING, WINDOW } from './usage-schemas.js';

const self = () => import('../handlers/self.js');
const ME = 'workspaces/me';
const TAG = 'My subscription';

const nullableString = { type: ['string', 'null'] };
const LIMIT: Json = {
  type: ['object', 'null'],
  required: ['calls', 'renewalPeriod'],
  properties: { calls: { type: 'integer' }, renewalPeriod: { type: 'integer', description: 'Seconds.' } },
};
const ME_ANSWER: Json = {
  type: 'object',
  required: ['subscription', 'product', 'windows'],
  properties: {
    subscription: {
      type: 'object',
      required: ['id', 'name', 'productId', 'state', 'expiresAt', 'createdAt'],
      properties: {
        id: { type: 'string' }, name: { type: 'string' }, productId: { type: 'string' },
        state: { type: 'string', enum: ['active', 'suspended', 'cancelled', 'expired'] },
        expiresAt: { ...nullableString, format: 'date-time' }, createdAt: { type: 'string', format: 'date-time' },
      },
    },
    product: {
      type: 'object',
      required: ['id', 'name', 'rateLimit', 'quota', 'operations', 'services'],
      properties: {
        id: { type: 'string' }, name: { type: 'string' }, rateLimit: LIMIT, quota: LIMIT,
        operations: { type: 'array', items: { type: 'string', enum: ['rrs', 'bes'] } },
        services: { type: ['array', 'null'], items: { type: 'string' }, description: '"workspace/service" names; null: every service.' },
      },
    },
    windows: { type: 'object', required: ['rate', 'quota'], properties: { rate: WINDOW, quota: WINDOW } },
  },
};
const USAGE_ANSWER: Json = {
  type: 'object',
  required: ['subscriptionId', 'from', 'to', 'interval', 'totals', 'operations', 'series'],
  properties: {
    subscriptionId: { type: 'string' },
    from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' },
    interval: { type: 'integer', description: 'Minutes.' },
    totals: { type: 'object', properties: { ...COUNTS, bytesIn: { type: 'integer' }, bytesOut: { type: 'integer' }, latency: LATENCY, timing: TIMING } },
    operations: {
      type: 'array',
      description: 'One per operation (rrs.execute, bes.submit…, and me.* for these calls), most calls first, with its own series.',
      items: {
        type: 'object',
        properties: {
          operation: { type: 'string' }, ...COUNTS, latency: LATENCY, timing: TIMING,
          series: { type: 'array', items: { type: 'object', properties: { time: { type: 'string', format: 'date-time' }, ...COUNTS } } },
        },
      },
    },
    series: { type: 'array', items: { type: 'object', properties: { time: { type: 'string', format: 'date-time' }, ...COUNTS, ...MEANS } } },
  },
};
const USAGE_QUERY: Json[] = [
  { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Inclusive. Default: an hour before `to`.' },
  { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'Exclusive. Default: now. At most 31 days after `from`.' },
  { name: 'interval', in: 'query', required: false, schema: { type: 'string', enum: ['1', '5', '15', '30', '60', '360', '1440'], default: '1' }, description: 'Series step in minutes.' },
];
const MY_SERVICE: Json = {
  type: 'object',
  required: ['workspace', 'service', 'operations', 'swaggerUrl', 'helpUrl'],
  properties: {
    workspace: { type: 'string' }, service: { type: 'string' },
    title: { type: 'string', description: 'When the catalogue entry gives one.' }, description: { type: 'string', description: 'When the catalogue entry gives one.' },
    operations: { type: 'array', items: { type: 'string', enum: ['rrs', 'bes'] }, description: 'What your product allows on this service, among what the service serves.' },
    swaggerUrl: { type: 'string', format: 'uri', description: 'The service\'s Swagger 2.0 document (anonymous): its input and output schemas.' },
    helpUrl: { type: 'string', format: 'uri', description: 'The service\'s page in the portal: schemas, an example and code samples.' },
  },
};

export const SELF_OPERATIONS: HttpOperation[] = [
  {
    kind: 'http', name: 'meRead', methods: ['GET'], route: ME, dataPlane: true, handlers: self,
    openapi: (k) => k.dataPlane(TAG, 'Your subscription, its product, and the calls counted in the current rate-limit and quota windows (answers for a suspended subscription too; costs no call of the limits)',
      [], k.ok('The subscription, product and windows.', k.json(ME_ANSWER))),
  },
  {
    kind: 'http', name: 'meUsage', methods: ['GET'], route: `${ME}/usage`, dataPlane: true, handlers: self,
    openapi: (k) => k.dataPlane(TAG, 'Your usage by operation and outcome, with a time series (written every USAGE_FLUSH_SECONDS)',
      USAGE_QUERY, k.ok('Totals, one entry per operation, and the series.', k.json(USAGE_ANSWER))),
  },
  {
    kind: 'http', name: 'meCalls', methods: ['GET'], route: `${ME}/calls`, dataPlane: true, handlers: self,
    openapi: (k) => k.dataPlane(TAG, 'Your recent calls with their request ids, status and error code, newest first (written every USAGE_FLUSH_SECONDS; kept REQUEST_LOG_HOURS)',
      k.params.myCallsQuery, k.ok('Your calls in range.', k.json(CALLS_ANSWER))),
  },
  {
    kind: 'http', name: 'meJobs', methods: ['GET'], route: `${ME}/jobs`, dataPlane: true, handlers: self,
    openapi: (k) => k.dataPlane(TAG, 'Your batch jobs on every service, newest first',
      [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }],
      k.ok('Your jobs.', k.json({ type: 'array', items: JOB }))),
  },
  {
    kind: 'http', name: 'meServices', methods: ['GET'], route: `${ME}/services`, dataPlane: true, handlers: self,
    openapi: (k) => k.dataPlane(TAG, 'The services your product allows, with the operations it allows on each and where their documents are (costs no call of the limits)',
      [], k.ok('The services, sorted by workspace and service.', k.json({ type: 'array', items: MY_SERVICE }))),
  },
  {
    kind: 'http', name: 'meRegenerateKey', methods: ['POST'], route: `${ME}/regenerate`, dataPlane: true, handlers: self,
    openapi: (k) => k.dataPlane(TAG, 'Regenerate one of your keys (shown once; the old one stops working; refused for a subscription that is not active)',
      k.params.regenerateQuery, k.ok('Your subscription with the new key.', k.json({ type: 'object', required: ['id', 'state'], properties: { id: { type: 'string' }, state: { type: 'string' }, primaryKey: { type: 'string' }, secondaryKey: { type: 'string' } } }))),
  },
];
