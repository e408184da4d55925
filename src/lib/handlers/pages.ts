// The anonymous pages and documents: /health, /openapi.json, the developer portal and the dashboard shell
// (the dashboard's data comes from the admin-only usage API). Loaded on the first such call.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError, classicErrorBody } from '../errors.js';
import { errorResponse, jsonResponse } from '../http/respond.js';
import { getRuntime } from '../runtime.js';
import { openApiResponse } from '../openapi/serve.js';
import { PORTAL_HTML, portalFiles } from '../pages/portal-page.js';
import { DASHBOARD_HTML, dashboardFiles } from '../pages/dashboard-page.js';
import { htmlResponse, staticFileResponse } from '../pages/static-files.js';

/** Anonymous liveness: whether this instance can serve, naming nothing inside (the details are /manage/health's). */
export async function health(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const { healthy } = await getRuntime().health.liveness();
    if (healthy) return jsonResponse(200, { status: 'healthy' }, context.invocationId, { 'cache-control': 'no-store' });
    const body = { ...classicErrorBody(new GatewayError('DependencyUnhealthy', 'The facade cannot serve right now; try again shortly.')), status: 'unhealthy' };
    return jsonResponse(503, body, context.invocationId, { 'cache-control': 'no-store', 'retry-after': '10' });
  } catch (error) {
    return errorResponse(error, context.invocationId, context);
  }
}

export async function openApiDocument(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    return await openApiResponse(context.invocationId);
  } catch (error) {
    return errorResponse(error, context.invocationId, context);
  }
}

/** A page's asset handler: only the named files it knows (no paths), else 404 in the classic shape. */
function assetHandler(files: Parameters<typeof staticFileResponse>[0]) {
  return async function serveAsset(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    try {
      const answer = staticFileResponse(files, request.params.asset ?? '', request, context.invocationId);
      if (!answer) throw new GatewayError('ResourceNotFound', 'No such file.', { target: 'asset' });
      return answer;
    } catch (error) {
      return errorResponse(error, context.invocationId, context);
    }
  };
}

export async function portalPage(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return htmlResponse(PORTAL_HTML, context.invocationId);
}

export const portalAsset = assetHandler(portalFiles);

export async function dashboardPage(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return htmlResponse(DASHBOARD_HTML, context.invocationId);
}

export const dashboardAsset = assetHandler(dashboardFiles);
