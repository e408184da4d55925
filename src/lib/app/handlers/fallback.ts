// The catch-all's handler: GET / is the landing page; a data-plane path the host could not route because of empty
// segments (doubled slashes) goes to the operation it names, with that operation's route parameters; any other
// path is a classic 404.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError } from '../../errors.js';
import { matchRoute, withoutSuffix } from '../../http/routes.js';
import { DATA_PLANE_OPERATIONS } from '../operations/data-plane.js';
import type { HandlerContext, HttpHandlerFactory } from '../operations/operation.js';
import { htmlResponse } from '../../pages/static-files.js';

const ROUTES = DATA_PLANE_OPERATIONS.flatMap((operation) => operation.methods.map((method) => ({ method, route: operation.route, name: operation.name })));

export const dataPlaneFallback: HttpHandlerFactory = ({ settings, handlerOf }: HandlerContext) =>
  async function serveFallback(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const pathname = new URL(request.url).pathname;
    if (pathname === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
      const { landingPage } = await import('../../pages/landing-page.js');
      return htmlResponse(landingPage(), context.invocationId);
    }
    const path = withoutSuffix(settings.urlSuffix, pathname);
    const found = path === undefined ? undefined : matchRoute(ROUTES, request.method, path);
    const handler = found && handlerOf(found.route.name);
    if (!found || !handler) throw new GatewayError('ResourceNotFound', `No operation is served at ${request.method} on this path.`, { target: 'path' });
    // The request is the host's; its route values are what the matching route would have given.
    Object.assign(request.params, found.params);
    return handler(request, context);
  };
