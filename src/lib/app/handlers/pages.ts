// The anonymous pages and documents: /health, /openapi.json, the developer portal, its "My subscription" page (its
// data comes from the subscriber's own API, with their key) and the dashboard shell (the dashboard's data comes
// from the admin-only usage API). None needs storage to answer.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError, classicErrorBody } from '../../errors.js';
import { jsonResponse, REQUEST_ID_HEADER } from '../../http/respond.js';
import { withSuffix } from '../../http/routes.js';
import { AUDIENCES, buildOpenApiDocument, type Audience, type DocumentedOperation } from '../../openapi/document.js';
import type { ServiceExample } from '../../openapi/kit.js';
import { PORTAL_HTML, portalFiles } from '../../pages/portal-page.js';
import { DASHBOARD_HTML, dashboardFiles } from '../../pages/dashboard-page.js';
import { mySubscriptionFiles, mySubscriptionHtml } from '../../pages/my-subscription-page.js';
import { myServiceHtml, myServicesHtml, servicePageFiles } from '../../pages/service-pages.js';
import { PathSegment } from '../../contracts/names.js';
import { batchFlowFiles, batchFlowHtml } from '../../pages/batch-flow-page.js';
import { htmlResponse, staticFileResponse } from '../../pages/static-files.js';
import { OPERATIONS } from '../operations/index.js';
import type { HandlerContext, HttpHandlerFactory } from '../operations/operation.js';

/** Anonymous liveness: whether this instance can serve, naming nothing inside (the details are /manage/health's). */
export const health: HttpHandlerFactory = ({ app }: HandlerContext) =>
  async function serveHealth(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const { healthy } = await app().health.liveness();
    if (healthy) return jsonResponse(200, { status: 'healthy' }, context.invocationId, { 'cache-control': 'no-store' });
    const body = { ...classicErrorBody(new GatewayError('DependencyUnhealthy', 'The facade cannot serve right now; try again shortly.')), status: 'unhealthy' };
    return jsonResponse(503, body, context.invocationId, { 'cache-control': 'no-store', 'retry-after': '10' });
  };

const FRESH_MS = 60_000;
const RETRY_MS = 5_000;
const CATALOGUE_WAIT_MS = 2_000;

/**
 * GET /openapi.json: built at most once a minute per instance, with the first catalogued service as the example
 * workspace/service so the portal's try-it is ready to send. Storage trouble (or no settings) only drops the example.
 */
export const openApiDocument: HttpHandlerFactory = ({ app, settings }: HandlerContext) => {
  const documented: DocumentedOperation[] = OPERATIONS.flatMap((operation) =>
    operation.kind === 'http' && operation.openapi
      ? [{ name: operation.name, methods: operation.methods, path: operation.dataPlane ? withSuffix(settings.urlSuffix, operation.route) : operation.route, openapi: operation.openapi }]
      : []);
  const cache = new Map<Audience, { body: string; until: number }>();

  async function firstService(): Promise<ServiceExample | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), CATALOGUE_WAIT_MS);
      timer.unref();
    });
    try {
      const listed = (async () => {
        const entries = await app().catalogue.list();
        const first = [...entries].sort((a, b) => `${a.workspace}/${a.service}`.localeCompare(`${b.workspace}/${b.service}`))[0];
        return first && { workspace: first.workspace, service: first.service };
      })();
      return await Promise.race([listed, timeout]);
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  return async function serveOpenApiDocument(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const audience = audienceOf(request);
    const now = Date.now();
    let cached = cache.get(audience);
    if (!cached || cached.until <= now) {
      const example = await firstService();
      cached = { body: JSON.stringify(buildOpenApiDocument(documented, example, audience)), until: now + (example ? FRESH_MS : RETRY_MS) };
      cache.set(audience, cached);
    }
    return {
      status: 200,
      body: cached.body,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', [REQUEST_ID_HEADER]: context.invocationId },
    };
  };
};

/** ?audience=subscriber: the developer portal's view (no management API); absent or "all": everything. */
function audienceOf(request: HttpRequest): Audience {
  const given = request.query.get('audience');
  if (given === null) return 'all';
  const audience = AUDIENCES.find((known) => known === given);
  if (!audience) {
    throw new GatewayError('InvalidQueryParameter', 'The query string is invalid.', {
      details: [{ code: 'InvalidQueryParameter', target: 'audience', message: `one of ${AUDIENCES.join(', ')}` }],
    });
  }
  return audience;
}

/** A page's asset handler: only the named files its pages know (no paths), else 404 in the classic shape. */
function assets(...sets: Parameters<typeof staticFileResponse>[0][]): HttpHandlerFactory {
  return () =>
    async function serveAsset(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
      const name = request.params.asset ?? '';
      const answer = sets.map((files) => staticFileResponse(files, name, request, context.invocationId)).find(Boolean);
      if (!answer) throw new GatewayError('ResourceNotFound', 'No such file.', { target: 'asset' });
      return answer;
    };
}

function page(html: string): HttpHandlerFactory {
  return () => async (_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => htmlResponse(html, context.invocationId);
}

export const portalPage = page(PORTAL_HTML);
export const portalAsset = assets(portalFiles);
// "My subscription": the page names the data-plane base (the URL suffix), so it is built with the settings.
export const mySubscriptionPage: HttpHandlerFactory = (context) => page(mySubscriptionHtml(context.settings.urlSuffix))(context);
// The files of the pages under /portal/me/: My subscription's, the batch page's and the services pages'.
export const mySubscriptionAsset = assets(mySubscriptionFiles, batchFlowFiles, servicePageFiles);
export const batchFlowPage: HttpHandlerFactory = (context) => page(batchFlowHtml(context.settings.urlSuffix))(context);
// The subscriber's services and each service's page.
export const myServicesPage: HttpHandlerFactory = (context) => page(myServicesHtml(context.settings.urlSuffix))(context);
/** One shell for every service; names no service could have are the classic 404 (whether it exists, the page asks). */
export const myServicePage: HttpHandlerFactory = (context) => {
  const html = myServiceHtml(context.settings.urlSuffix);
  return async (request: HttpRequest, invocation: InvocationContext): Promise<HttpResponseInit> => {
    for (const name of ['workspace', 'service'] as const) {
      if (!PathSegment.safeParse(request.params[name] ?? '').success) throw new GatewayError('ResourceNotFound', `No such ${name}.`, { target: name });
    }
    return htmlResponse(html, invocation.invocationId);
  };
};
export const manageDashboard = page(DASHBOARD_HTML);
export const manageDashboardAsset = assets(dashboardFiles);
