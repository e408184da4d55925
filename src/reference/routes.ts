// The reference service's route table: what an operation (RRS, BES, the service's documents) receives and
// returns, and path matching after /workspaces/{ws}/services/{svc}.
import type http from 'node:http';

export interface ServiceRequest {
  readonly req: http.IncomingMessage;
  readonly requestId: string;
  /** Query parameters, names lower-cased, first value wins. */
  readonly query: Readonly<Record<string, string>>;
  /** Values of the route's `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
  /** The body, at most maxBodyBytes (else a 413, reading stops at the limit); repeat calls share one read. */
  readBody(): Promise<Buffer>;
}

export interface ServiceResponse {
  status: number;
  /** Serialised as JSON; undefined → an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ServiceRoute {
  method: string;
  /** Path after /workspaces/{ws}/services/{svc}, e.g. "/execute" or "/jobs/:jobId/start". */
  path: string;
  /** Served without the API key or api-version (the service's published document, as classic services served it). */
  anonymous?: boolean;
  handle(request: ServiceRequest): ServiceResponse | Promise<ServiceResponse>;
}

export type RouteMatch =
  | { route: ServiceRoute; params: Record<string, string> }
  | { route?: undefined; allowed: string[] /* methods of routes matching the path; empty → unknown path */ };

/** Routes in order; the first whose path and method match wins. */
export class RouteTable {
  private readonly routes: ReadonlyArray<{ route: ServiceRoute; segments: string[] }>;

  constructor(routes: readonly ServiceRoute[]) {
    this.routes = routes.map((route) => ({ route, segments: route.path.split('/').filter((s) => s !== '') }));
  }

  find(method: string | undefined, rest: readonly string[]): RouteMatch {
    const allowed: string[] = [];
    for (const { route, segments } of this.routes) {
      const params = matchSegments(segments, rest);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    return { allowed };
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const a = actual[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = a;
    // the classic service (ASP.NET) matched literal path segments case-insensitively
    else if (p.toLowerCase() !== a.toLowerCase()) return undefined;
  }
  return params;
}
