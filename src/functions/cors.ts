// CORS for other origins, only when CORS_ALLOWED_ORIGINS is set: an OPTIONS catch-all answers preflights (routes
// rank literals over parameters over catch-alls, and it matches no other method, so it shadows nothing), and a
// postInvocation hook adds the grant to actual answers. In Azure the platform's CORS setting can replace both.
import '../lib/functions-setup.js';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { corsHeaders, preflightResponse, withCorsHeaders } from '../lib/http/cors.js';
import { corsAllowedOrigins } from '../lib/app-routes.js';

const allowed = corsAllowedOrigins();

export async function corsPreflight(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return preflightResponse(allowed, request, context.invocationId);
}

if (allowed) {
  app.http('corsPreflight', { route: '{*path}', methods: ['OPTIONS'], authLevel: 'anonymous', handler: corsPreflight });

  app.hook.postInvocation((hook) => {
    const request = hook.inputs[0] as HttpRequest | undefined;
    if (hook.invocationContext.options.trigger.type !== 'httpTrigger' || !request?.headers) return;
    const headers = corsHeaders(allowed, request);
    if (headers && !hook.error) hook.result = withCorsHeaders(hook.result, headers);
  });
}
