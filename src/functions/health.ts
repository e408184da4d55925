// HTTP trigger: GET /health — 200 when storage, Key Vault and every backend are reachable, 503 naming what is not.
import '../lib/functions-setup.js';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { checkHealth } from '../lib/health.js';
import { getRuntime } from '../lib/runtime.js';
import { errorResponse, jsonResponse } from '../lib/http/respond.js';
import { classicErrorBody } from '../lib/errors.js';

export async function health(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    const checks = await checkHealth(getRuntime());
    const failing = Object.entries(checks).filter(([, r]) => !r.ok);
    if (failing.length === 0) return jsonResponse(200, { status: 'healthy', checks }, context.invocationId);
    const body = {
      ...classicErrorBody(
        'ServiceUnavailable',
        `Not reachable: ${failing.map(([name]) => name).join(', ')}`,
        failing.map(([name, r]) => ({ code: 'Unreachable', target: name, message: r.error ?? 'unreachable' })),
      ),
      status: 'unhealthy',
      checks,
    };
    return jsonResponse(503, body, context.invocationId, { 'cache-control': 'no-store' });
  } catch (error) {
    return errorResponse(error, context.invocationId, context);
  }
}

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: health,
});
