// The anonymous pages and documents: /health, /openapi.json, the developer portal, its "My subscription" page (its
// data comes from the subscriber's own API, with their key) and the dashboard shell (the dashboard's data comes
// from the admin-only usage API). None needs storage to answer.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError, classicErrorBody } from '../../errors.js';
import { jsonResponse, REQUEST_ID_HEADER } from '../../http/respond.js';
import { withSuffix } from '../../http/routes.js';
import { buildOpenApiDocument, type DocumentedOperation } from '../../openapi/document.js';
import type { ServiceExample } from '../../openapi/kit.js';
import { PORTAL_HTML, portalFiles } from '../../pages/portal-page.js';
import { DASHBOARD_HTML, dashboardFiles } from '../../pages/dashboard-page.js';
import { mySubscriptionFiles, mySubscriptionHtml } from '../../pages/my-subscription-page.js';
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
  let cached: { body: string; until: number } | undefined;

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

  return async function serveOpenApiDocument(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const now = Date.now();
    if (!cached || cached.until <= now) {
      const example = await firstService();
      cached = { body: JSON.stringify(buildOpenApiDocument(documented, example)), until: now + (example ? FRESH_MS : RETRY_MS) };
    }
    return {
      status: 200,
      body: cached.body,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', [REQUEST_ID_HEADER]: context.invocationId },
    };
  };
};

/** A page's asset handler: only the named files it knows (no paths), else 404 in the classic shape. */
function assets(files: Parameters<typeof staticFileResponse>[0]): HttpHandlerFactory {
  return () =>
    async function serveAsset(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
      const answer = staticFileResponse(files, request.params.asset ?? '', request, context.invocationId);
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
export const mySubscriptionAsset = assets(mySubscriptionFiles);
export const manageDashboard = page(DASHBOARD_HTML);
export const manageDashboardAsset = assets(dashboardFiles);
