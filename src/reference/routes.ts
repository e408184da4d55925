// The reference service's route table: what an operation (RRS now, BES later) receives and returns, path
// matching after /workspaces/{ws}/services/{svc}, and a body reader that stops at the size limit.
import type http from 'node:http';
import { GatewayError } from '../lib/errors.js';

export interface ServiceRequest {
  readonly req: http.IncomingMessage;
  readonly requestId: string;
  /** Query parameters, names lower-cased, first value wins. */
  readonly query: Readonly<Record<string, string>>;
  /** Values of the route's `:name` segments. */
  readonly params: Readonly<Record<string, string>>;
  /** The body, at most maxBodyBytes (else a 413 GatewayError, reading stops at the limit); repeat calls share one read. */
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
  handle(request: ServiceRequest): ServiceResponse | Promise<ServiceResponse>;
}

function tooLarge(limit: number): GatewayError {
  // Connection: close, because the rest of an oversized body is never read.
  return new GatewayError(413, 'RequestEntityTooLarge', `The request body is larger than ${limit} bytes.`, {
    details: [{ code: 'RequestEntityTooLarge', target: 'body', message: `at most ${limit} bytes` }],
    headers: { connection: 'close' },
  });
}

export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limit) {
        done();
        req.pause();
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (): void => {
      done();
      reject(new GatewayError(400, 'BadArgument', 'The request body could not be read.'));
    };
    const onClose = onError; // closed before 'end': the client went away mid-body
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
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
