// The operations table: every function the app registers, each written once (name, method, route, handler,
// OpenAPI entry). The triggers register from it (app/register.ts), the OpenAPI document derives its paths from
// it, and the fallback serves its data-plane routes when doubled slashes defeat the host's routing.
// Loaded at cold start: it imports no handler, zod or SDK (handlers load on their first call).
import { DATA_PLANE_OPERATIONS } from './data-plane.js';
import { MANAGE_OPERATIONS } from './manage.js';
import { SELF_OPERATIONS } from './self.js';
import type { HttpOperation, OperationEntry } from './operation.js';

const pages = () => import('../handlers/pages.js');

/** Anonymous pages and documents: liveness, the OpenAPI document, the developer portal (and its My subscription page) and the dashboard shell. */
const PAGE_OPERATIONS: HttpOperation[] = [
  { kind: 'http', name: 'health', methods: ['GET'], route: 'health', handlers: pages },
  { kind: 'http', name: 'openApiDocument', methods: ['GET'], route: 'openapi.json', handlers: pages },
  { kind: 'http', name: 'portalPage', methods: ['GET'], route: 'portal', handlers: pages },
  { kind: 'http', name: 'portalAsset', methods: ['GET'], route: 'portal/{asset}', handlers: pages },
  // "My subscription": the literal segment ranks before portal/{asset}, as in the Functions host.
  { kind: 'http', name: 'mySubscriptionPage', methods: ['GET'], route: 'portal/me', handlers: pages },
  { kind: 'http', name: 'mySubscriptionAsset', methods: ['GET'], route: 'portal/me/{asset}', handlers: pages },
  // "Run a batch job": the guided BES run (its scripts are served by mySubscriptionAsset, next to the page's).
  { kind: 'http', name: 'batchFlowPage', methods: ['GET'], route: 'portal/me/batch', handlers: pages },
  // The services the subscriber's product allows, and one page per service (what it does, schemas, code samples).
  { kind: 'http', name: 'myServicesPage', methods: ['GET'], route: 'portal/me/services', handlers: pages },
  { kind: 'http', name: 'myServicePage', methods: ['GET'], route: 'portal/me/services/{workspace}/{service}', handlers: pages },
  { kind: 'http', name: 'manageDashboard', methods: ['GET'], route: 'manage/dashboard', handlers: pages },
  { kind: 'http', name: 'manageDashboardAsset', methods: ['GET'], route: 'manage/dashboard/{asset}', handlers: pages },
];

export const OPERATIONS: readonly OperationEntry[] = [
  ...DATA_PLANE_OPERATIONS,
  ...MANAGE_OPERATIONS,
  ...SELF_OPERATIONS,
  ...PAGE_OPERATIONS,
  // Ranked after every other route by the host: data-plane paths with doubled slashes, and the classic 404.
  {
    kind: 'http', name: 'dataPlaneFallback', methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'], route: '{*path}',
    handlers: () => import('../handlers/fallback.js'),
  },
  // Reconciles every active batch job with its backend.
  { kind: 'timer', name: 'besPoller', schedule: (settings) => settings.besPollSchedule, handlers: () => import('../handlers/poller.js') },
];
