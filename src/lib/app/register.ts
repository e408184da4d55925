// Registers every operation of the table with the Functions programming model: one trigger per entry, its handler
// loaded on its first call (a cold start then costs little more than @azure/functions itself) and built with the
// app's parts, and every HTTP handler inside the one error boundary.
import { app as functions, type HttpHandler, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from '@azure/functions';
import { errorResponse } from '../http/respond.js';
import { withSuffix } from '../http/routes.js';
import type { LoadTimeSettings } from '../settings/load-time.js';
import { OPERATIONS } from './operations/index.js';
import type { HandlerContext, HttpOperation, TimerOperation } from './operations/operation.js';

/** The route a function is registered on: data-plane routes under the URL suffix. */
export function servedRoute(operation: HttpOperation, urlSuffix: string): string {
  return operation.dataPlane ? withSuffix(urlSuffix, operation.route) : operation.route;
}

/** The one error boundary: whatever a handler throws becomes the classic error answer (a bug: a logged 500). */
function withErrorBoundary(handler: HttpHandler): HttpHandler {
  return async function handleWithinBoundary(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error, context.invocationId, context);
    }
  };
}

/** Loads the implementation on the first call; a failed load is retried by the next one. */
function lazily<A extends unknown[], R>(load: () => Promise<(...args: A) => R | Promise<R>>): (...args: A) => Promise<R> {
  let implementation: ((...args: A) => R | Promise<R>) | undefined;
  let loading: Promise<(...args: A) => R | Promise<R>> | undefined;
  return async (...args: A): Promise<R> => {
    if (!implementation) {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      implementation = await loading;
    }
    return implementation(...args);
  };
}

async function factoryOf<F>(operation: { name: string; handlers(): Promise<Record<string, F>> }): Promise<F> {
  const factory = (await operation.handlers())[operation.name];
  if (!factory) throw new Error(`the handler module of ${operation.name} exports no ${operation.name}`);
  return factory;
}

export function registerOperations(settings: LoadTimeSettings): void {
  const registered = new Map<string, HttpHandler>();
  // The app's instance module (and through it every part and SDK wrapper) loads with the first handler, not here.
  let context: Promise<HandlerContext> | undefined;
  const contextNow = () => (context ??= import('./instance.js').then(({ getApp }) => ({ app: getApp, settings, handlerOf: (name: string) => registered.get(name) })));
  for (const operation of OPERATIONS) {
    if (operation.kind === 'timer') {
      registerTimer(operation, settings, contextNow);
      continue;
    }
    const handler = withErrorBoundary(lazily(async () => (await factoryOf(operation))(await contextNow())));
    registered.set(operation.name, handler);
    functions.http(operation.name, {
      route: servedRoute(operation, settings.urlSuffix),
      methods: [...operation.methods],
      authLevel: 'anonymous',
      handler,
    });
  }
}

function registerTimer(operation: TimerOperation, settings: LoadTimeSettings, context: () => Promise<HandlerContext>): void {
  const handler = lazily(async () => (await factoryOf(operation))(await context()));
  functions.timer(operation.name, {
    schedule: operation.schedule(settings),
    handler: (timer: Timer, invocation: InvocationContext) => handler(timer, invocation),
  });
}
