// CORS for browser apps on other origins (CORS_ALLOWED_ORIGINS): preflight answers and the headers added
// to actual answers. The management API never gets CORS: its admin key must not be usable from other sites.
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { GatewayError, classicErrorBody } from '../errors.js';
import { jsonResponse } from './respond.js';

export type AllowedOrigins = '*' | ReadonlySet<string>;

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
// Headers a browser script may read: the request id and the throttling headers callers back off with.
const EXPOSE_HEADERS = [
  'x-ms-request-id', 'retry-after', 'content-disposition', 'x-ms-continuation',
  'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset',
  'x-quota-limit', 'x-quota-remaining', 'x-quota-renewal',
].join(', ');
const DEFAULT_ALLOW_HEADERS = 'content-type, authorization, ocp-apim-subscription-key';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** "*" or a comma-separated list of origins (scheme://host[:port]); empty means no CORS. */
export function parseAllowedOrigins(text: string | undefined): AllowedOrigins | undefined {
  const items = (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return undefined;
  if (items.includes('*')) return '*';
  for (const origin of items) {
    if (!/^https?:\/\/[^/\s?#]+$/i.test(origin)) {
      throw new Error(`Invalid app settings: CORS_ALLOWED_ORIGINS: "${origin}" is not an origin like https://app.example.com (or "*")`);
    }
  }
  return new Set(items.map((o) => o.toLowerCase()));
}

/** Whether CORS may apply to this path at all (never to /manage). */
export function corsApplies(url: string): boolean {
  const path = new URL(url).pathname.replace(/^\/+/, '').toLowerCase();
  return !(path === 'manage' || path.startsWith('manage/'));
}

function allowOrigin(allowed: AllowedOrigins, origin: string): Record<string, string> | undefined {
  if (allowed === '*') return { 'access-control-allow-origin': '*' };
  if (allowed.has(origin.toLowerCase())) return { 'access-control-allow-origin': origin, vary: 'Origin' };
  return undefined;
}

/** Headers for an actual (non-preflight) answer, or undefined when none apply. */
export function corsHeaders(allowed: AllowedOrigins, request: HttpRequest): Record<string, string> | undefined {
  const origin = request.headers.get('origin');
  if (!origin || !corsApplies(request.url)) return undefined;
  const headers = allowOrigin(allowed, origin);
  return headers && { ...headers, 'access-control-expose-headers': EXPOSE_HEADERS };
}

/** The answer to an OPTIONS request: 204 with the CORS grant, or 403 when the origin or path is not allowed. */
export function preflightResponse(allowed: AllowedOrigins | undefined, request: HttpRequest, requestId: string): HttpResponseInit {
  const origin = request.headers.get('origin');
  const grant = allowed && origin && corsApplies(request.url) ? allowOrigin(allowed, origin) : undefined;
  if (!grant) {
    const refused = new GatewayError('CorsNotAllowed', 'Cross-origin calls from this origin are not allowed here (see CORS_ALLOWED_ORIGINS).', { target: 'Origin' });
    return jsonResponse(refused.status, classicErrorBody(refused), requestId);
  }
  // Authorization is never covered by "Access-Control-Allow-Headers: *", so the asked-for names are echoed.
  const asked = request.headers.get('access-control-request-headers');
  return {
    status: 204,
    headers: {
      ...grant,
      'access-control-allow-methods': ALLOW_METHODS,
      'access-control-allow-headers': asked && /^[\w\s,-]+$/.test(asked) ? asked : DEFAULT_ALLOW_HEADERS,
      'access-control-max-age': PREFLIGHT_MAX_AGE_SECONDS,
      'x-ms-request-id': requestId,
    },
  };
}

/** The answer with the CORS headers added, whatever form its headers take. */
export function withCorsHeaders(result: unknown, headers: Record<string, string>): unknown {
  if (result === undefined || result === null) return { status: 200, headers };
  if (typeof result !== 'object') return result;
  const existing = (result as { headers?: unknown }).headers;
  if (existing instanceof Headers) {
    for (const [name, value] of Object.entries(headers)) existing.set(name, value);
    return result;
  }
  const merged = new Headers((existing ?? {}) as ConstructorParameters<typeof Headers>[0]);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return { ...(result as object), headers: merged };
}
