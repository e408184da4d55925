// The catch-all's handler: a data-plane path the host could not route because of empty segments (doubled slashes)
// goes to the operation it names, with that operation's route parameters; any other path is a classic 404.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError } from '../errors.js';
import { errorResponse } from '../http/respond.js';
import { matchDataPlane } from '../data-plane-routes.js';
import * as dataPlane from './data-plane.js';
import * as documents from './documents.js';

const HANDLERS = { ...dataPlane, ...documents };

/** The path without the URL suffix (URL_SUFFIX), or undefined when the suffix is set and absent. */
function withoutSuffix(path: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const suffix = (env.URL_SUFFIX ?? '').split('/').filter(Boolean);
  const segments = path.split('/').filter(Boolean);
  for (let i = 0; i < suffix.length; i++) if (segments[i]?.toLowerCase() !== suffix[i]!.toLowerCase()) return undefined;
  return segments.slice(suffix.length).join('/');
}

export async function dataPlaneFallback(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const path = withoutSuffix(new URL(request.url).pathname);
  const found = path === undefined ? undefined : matchDataPlane(request.method, path);
  if (!found) {
    return errorResponse(new GatewayError('ResourceNotFound', `No operation is served at ${request.method} on this path.`, { target: 'path' }), context.invocationId, context);
  }
  // The request is the host's; its route values are what the matching route would have given.
  Object.assign(request.params, found.params);
  return HANDLERS[found.route.name](request, context);
}
