// Client for a classic Azure ML web service (RRS side), shaped like an Azure SDK client: required arguments
// first, options last. Forwards with an undici keep-alive Pool (Node's fetch was 5x slower as a proxy client)
// and turns transport failures into the facade's errors: unreachable → 502, too slow → 504.
import { Pool, errors as undiciErrors } from 'undici';
import { GatewayError } from '../../errors.js';

export interface ClassicClientOptions {
  /** Connections kept open to the backend. */
  connections?: number;
}

export interface RrsCallOptions {
  timeoutMs: number;
  details?: boolean;
  swagger?: boolean;
  requestId?: string;
}

export interface BackendAnswer {
  status: number;
  contentType: string | undefined;
  body: Buffer;
  elapsedMs: number;
}

export class ClassicWebServiceClient {
  readonly #pool: Pool;
  readonly #basePath: string;

  constructor(baseUrl: string, options: ClassicClientOptions = {}) {
    const url = new URL(baseUrl);
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(url.origin, {
      connections: options.connections ?? 128,
      keepAliveTimeout: 30_000,
      // Backends answer 401 with bodies; they are read, never piped. No redirects are ever followed.
    });
  }

  async execute(workspace: string, service: string, apiKey: string, body: Buffer, options: RrsCallOptions): Promise<BackendAnswer> {
    let query = 'api-version=2.0';
    if (options.details !== undefined) query += `&details=${options.details}`;
    if (options.swagger) query += '&format=swagger';
    const path = `${this.#basePath}/workspaces/${encodeURIComponent(workspace)}/services/${encodeURIComponent(service)}/execute?${query}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (options.requestId) headers['x-ms-client-request-id'] = options.requestId;
    return this.#send('POST', path, headers, body, options.timeoutMs);
  }

  /** The service's published Swagger document (anonymous, as classic services served it). */
  getDocument(workspace: string, service: string, timeoutMs: number): Promise<BackendAnswer> {
    const path = `${this.#basePath}/workspaces/${encodeURIComponent(workspace)}/services/${encodeURIComponent(service)}/swagger.json`;
    return this.#send('GET', path, { accept: 'application/json' }, undefined, timeoutMs);
  }

  /** BES: submit a job; the body is the classic submit body the facade built. */
  submitJob(workspace: string, service: string, apiKey: string, body: unknown, timeoutMs: number): Promise<BackendAnswer> {
    return this.#send('POST', this.#jobsPath(workspace, service, ''), this.#headers(apiKey, true), Buffer.from(JSON.stringify(body)), timeoutMs);
  }

  startJob(workspace: string, service: string, apiKey: string, jobId: string, timeoutMs: number): Promise<BackendAnswer> {
    return this.#send('POST', this.#jobsPath(workspace, service, `/${encodeURIComponent(jobId)}/start`), this.#headers(apiKey, false), undefined, timeoutMs);
  }

  getJob(workspace: string, service: string, apiKey: string, jobId: string, timeoutMs: number): Promise<BackendAnswer> {
    return this.#send('GET', this.#jobsPath(workspace, service, `/${encodeURIComponent(jobId)}`), this.#headers(apiKey, false), undefined, timeoutMs);
  }

  deleteJob(workspace: string, service: string, apiKey: string, jobId: string, timeoutMs: number): Promise<BackendAnswer> {
    return this.#send('DELETE', this.#jobsPath(workspace, service, `/${encodeURIComponent(jobId)}`), this.#headers(apiKey, false), undefined, timeoutMs);
  }

  #jobsPath(workspace: string, service: string, rest: string): string {
    return `${this.#basePath}/workspaces/${encodeURIComponent(workspace)}/services/${encodeURIComponent(service)}/jobs${rest}?api-version=2.0`;
  }

  #headers(apiKey: string, json: boolean): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (json) headers['content-type'] = 'application/json';
    return headers;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }

  async #send(method: 'POST' | 'GET' | 'DELETE', path: string, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number): Promise<BackendAnswer> {
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
        body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
        elapsedMs: performance.now() - started,
      };
    } catch (error) {
      throw toGatewayError(error, timedOut, timeoutMs);
    }
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
