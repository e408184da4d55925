// The app's life in the Functions host: process-wide options, the triggers from the operations table, CORS (only
// when CORS_ALLOWED_ORIGINS is set) and the shutdown hook. src/functions/app.ts calls startApp() once as the app loads.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { corsHeaders, preflightResponse, withCorsHeaders, type AllowedOrigins } from '../http/cors.js';
import { readLoadTimeSettings } from '../settings/load-time.js';
import { registerOperations } from './register.js';

export function startApp(env: NodeJS.ProcessEnv = process.env): void {
  // HTTP streaming lets request bodies (BES inputs) reach handlers as streams instead of being buffered whole.
  app.setup({ enableHttpStream: true });
  const settings = readLoadTimeSettings(env);
  registerOperations(settings);
  if (settings.corsAllowedOrigins) registerCors(settings.corsAllowedOrigins);
  // Graceful shutdown (scale-in, deployment, SIGTERM locally) flushes usage and queued telemetry; only a crash loses
  // the last interval. It touches nothing that was never created: an instance that served no call has nothing to write.
  app.hook.appTerminate(async () => {
    await Promise.allSettled([
      import('../usage/recorder.js').then((m) => m.closeAllRecorders()),
      import('../telemetry/index.js').then((m) => m.closeAllTelemetry()),
    ]);
  });
}

/**
 * An OPTIONS catch-all answers preflights (routes rank literals over parameters over catch-alls, and it matches no
 * other method, so it shadows nothing), and a postInvocation hook adds the grant to actual answers. In Azure the
 * platform's CORS setting can replace both.
 */
function registerCors(allowed: AllowedOrigins): void {
  app.http('corsPreflight', {
    route: '{*path}',
    methods: ['OPTIONS'],
    authLevel: 'anonymous',
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => preflightResponse(allowed, request, context.invocationId),
  });
  app.hook.postInvocation((hook) => {
    const request = hook.inputs[0] as HttpRequest | undefined;
    if (hook.invocationContext.options.trigger.type !== 'httpTrigger' || !request?.headers) return;
    const headers = corsHeaders(allowed, request);
    if (headers && !hook.error) hook.result = withCorsHeaders(hook.result, headers);
  });
}
