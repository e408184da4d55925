// The one HTTP transport of every adapter: an undici keep-alive Pool per backend origin (Node's fetch was 5x slower
// as a proxy client), one deadline per call that also bounds a slow trickle of body, and transport failures turned
// into the facade's errors: unreachable → 502, too slow → 504. No redirect is ever followed.
import { Pool, request, errors as undiciErrors } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../errors.js';

export interface BackendAnswer {
  status: number;
  contentType: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
  elapsedMs: number;
}

export interface TransportOptions {
  /** Connections kept open to the backend. */
  connections?: number;
}

export type Method = 'POST' | 'GET' | 'DELETE';

export class BackendTransport {
  readonly #pool: Pool;
  /** The base URL's path, without a trailing slash: what every path of this backend starts with. */
  readonly basePath: string;

  constructor(baseUrl: string, options: TransportOptions = {}) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    // Backends answer errors with bodies; they are read, never piped.
    this.#pool = new Pool(url.origin, { connections: options.connections ?? 128, keepAliveTimeout: 30_000 });
  }

  async send(method: Method, path: string, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number): Promise<BackendAnswer> {
    const started = performance.now();
    const deadline = started + timeoutMs;
    let timedOut = false;
    try {
      // headersTimeout bounds the wait for an answer; bodyTimeout only bounds the gap between chunks, so a slow
      // trickle is also checked against the call's one deadline (cheaper than an AbortSignal timer per call).
      const res = await this.#pool.request({ method, path, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
      const chunks: Buffer[] = [];
      for await (const chunk of res.body) {
        chunks.push(chunk as Buffer);
        if (performance.now() > deadline) {
          timedOut = true;
          res.body.destroy();
          throw new Error('backend answer exceeded the deadline');
        }
      }
      const contentType = res.headers['content-type'];
      return {
        status: res.statusCode,
        contentType: Array.isArray(contentType) ? contentType[0] : contentType,
        headers: res.headers,
        body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        elapsedMs: performance.now() - started,
      };
    } catch (error) {
      throw toGatewayError(error, timedOut, timeoutMs);
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** One transport per base URL, made on first use. */
export function transportsByUrl(options: TransportOptions = {}): (baseUrl: string) => BackendTransport {
  const transports = new Map<string, BackendTransport>();
  return (baseUrl) => {
    let transport = transports.get(baseUrl);
    if (!transport) transports.set(baseUrl, (transport = new BackendTransport(baseUrl, options)));
    return transport;
  };
}

/** Reachability of a server that has no readiness route of its own: any HTTP answer at its origin will do. */
export async function probeOrigin(baseUrl: string, timeoutMs: number): Promise<void> {
  const res = await request(new URL(baseUrl).origin, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  await res.body.dump();
}

/** A header's one value (the first when repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The answer's body as JSON, or undefined when it is empty or not JSON. */
export function jsonOf(answer: { body: Buffer }): unknown {
  if (answer.body.length === 0) return undefined;
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function toGatewayError(error: unknown, timedOut: boolean, timeoutMs: number): GatewayError {
  if (
    timedOut ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new GatewayError('BackendScoreTimeout', `The backend did not answer within ${timeoutMs} ms.`, { cause: error });
  }
  return new GatewayError('BackendUnreachable', 'The backend web service could not be reached.', { cause: error });
}
