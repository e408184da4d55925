// What the triggers need when the app loads, without zod or any SDK (cold start): the route suffix and the
// CORS origins, both read from app settings as the Functions host reads them at startup.
import { parseAllowedOrigins, type AllowedOrigins } from './http/cors.js';

/** The API URL suffix (URL_SUFFIX) in front of a data-plane route, like APIM's "API URL suffix". */
export function routeWithSuffix(route: string, env: NodeJS.ProcessEnv = process.env): string {
  const suffix = (env.URL_SUFFIX ?? '').replace(/^\/+|\/+$/g, '');
  return suffix ? `${suffix}/${route}` : route;
}

/**
 * CORS_ALLOWED_ORIGINS ("*" or comma-separated origins; unset = no CORS), read at load like the URL suffix:
 * the preflight trigger and the CORS headers exist only when it is set. In Azure the platform's CORS can be used instead.
 */
export function corsAllowedOrigins(env: NodeJS.ProcessEnv = process.env): AllowedOrigins | undefined {
  return parseAllowedOrigins(env.CORS_ALLOWED_ORIGINS);
}
