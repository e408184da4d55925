// The catch-all's handler: a data-plane path the host could not route because of empty segments (doubled slashes)
// goes to the operation it names, with that operation's route parameters; any other path is a classic 404.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError } from '../../errors.js';
import { matchRoute, withoutSuffix } from '../../http/routes.js';
import { DATA_PLANE_OPERATIONS } from '../operations/data-plane.js';
import type { HandlerContext, HttpHandlerFactory } from '../operations/operation.js';

const ROUTES = DATA_PLANE_OPERATIONS.flatMap((operation) => operation.methods.map((method) => ({ method, route: operation.route, name: operation.name })));

export const dataPlaneFallback: HttpHandlerFactory = ({ settings, handlerOf }: HandlerContext) =>
  async function serveFallback(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const path = withoutSuffix(settings.urlSuffix, new URL(request.url).pathname);
    const found = path === undefined ? undefined : matchRoute(ROUTES, request.method, path);
    const handler = found && handlerOf(found.route.name);
    if (!found || !handler) throw new GatewayError('ResourceNotFound', `No operation is served at ${request.method} on this path.`, { target: 'path' });
    // The request is the host's; its route values are what the matching route would have given.
    Object.assign(request.params, found.params);
    return handler(request, context);
  };
