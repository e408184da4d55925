// The reference ML web service over node:http: classic paths /workspaces/{ws}/services/{svc}/..., Bearer
// auth with its own key, api-version 2.0, classic JSON errors and an x-ms-request-id on every answer.
// createReferenceService(options) → { server, listen(port, host?) → base URL, close() }. Operations form a route
// table (routes.ts): RRS Execute and the BES job operations (bes/) are built in; `options.routes` adds more.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceError, badArgument, notFound } from './errors.js';
import { parseJson, queryObject, readBody } from './http.js';
import { RouteTable, type ServiceResponse, type ServiceRoute } from './routes.js';
import { parseRrsQuery, parseRrsRequest, scoreRrs } from './rrs.js';
import { besRoutes } from './bes/routes.js';
import { referenceDocument } from './document.js';
import { BesService } from './bes/service.js';

export type { ServiceRequest, ServiceResponse, ServiceRoute } from './routes.js';

export interface ReferenceServiceOptions {
  apiKey: string;
  workspace?: string;
  service?: string;
  maxBodyBytes?: number;
  /** Extra operations, matched after the built-in ones. */
  routes?: readonly ServiceRoute[];
  /** BES: jobs run at once (default 4); started jobs beyond that wait, shown as Running. */
  besConcurrency?: number;
  /** BES: job records kept in memory (default 10,000). */
  besMaxJobs?: number;
  /** BES test aid: a pause per scored row (default 0). */
  besRowDelayMs?: number;
}

export interface ReferenceService {
  server: http.Server;
  bes: BesService;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_WORKSPACE = 'ref-workspace';
export const DEFAULT_SERVICE = 'feature-hashing';
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

export const rrsExecuteRoute: ServiceRoute = {
  method: 'POST',
  path: '/execute',
  async handle(request) {
    const options = parseRrsQuery(request.query);
    const body = parseJson(await request.readBody());
    const startedAt = performance.now();
    return { status: 200, body: scoreRrs(parseRrsRequest(body, options.swagger), options, startedAt) };
  },
};

/** The service's Swagger 2.0 document, for the host and path it was asked on. */
export const documentRoute: ServiceRoute = {
  method: 'GET',
  path: '/swagger.json',
  anonymous: true,
  handle(request) {
    const host = String(request.req.headers.host ?? 'localhost');
    const basePath = `/workspaces/${encodeURIComponent(request.params['workspace']!)}/services/${encodeURIComponent(request.params['service']!)}`;
    return { status: 200, body: referenceDocument(host, basePath) };
  },
};

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
const noSuchResource = (): ServiceError => notFound('ResourceNotFound', 'No such resource.');

export function createReferenceService(options: ReferenceServiceOptions): ReferenceService {
  const workspace = (options.workspace ?? DEFAULT_WORKSPACE).toLowerCase();
  const service = (options.service ?? DEFAULT_SERVICE).toLowerCase();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const keyDigest = digest(options.apiKey);
  const bes = new BesService({ concurrency: options.besConcurrency, maxJobs: options.besMaxJobs, rowDelayMs: options.besRowDelayMs });
  const routes = new RouteTable([rrsExecuteRoute, documentRoute, ...besRoutes(bes), ...(options.routes ?? [])]);

  function authorize(header: string | undefined): void {
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!), keyDigest)) {
      const message = 'Missing or invalid API key (Authorization: Bearer <key>).';
      throw new ServiceError(401, 'Unauthorized', message, { code: 'ScoreRequestUnauthorized', message }, { 'www-authenticate': 'Bearer' });
    }
  }

  async function dispatch(req: http.IncomingMessage, requestId: string): Promise<ServiceResponse> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    let segments: string[];
    try {
      segments = (q < 0 ? url : url.slice(0, q)).split('/').map(decodeURIComponent);
    } catch {
      throw noSuchResource();
    }
    // ['', 'workspaces', ws, 'services', svc, ...rest]
    if (segments.length < 6 || segments[0] !== '' || segments[1]?.toLowerCase() !== 'workspaces' || segments[3]?.toLowerCase() !== 'services') {
      throw noSuchResource();
    }
    const found = routes.find(req.method, segments.slice(5));
    if (!found.route) {
      if (found.allowed.length === 0) throw noSuchResource();
      const allow = found.allowed.join(', ');
      const message = `Use ${allow} here.`;
      throw new ServiceError(405, 'MethodNotAllowed', message, { code: 'MethodNotAllowed', message }, { allow });
    }
    if (segments[2]!.toLowerCase() !== workspace) throw notFound('WorkspaceNotFound', `Workspace '${segments[2]}' was not found.`, 'workspace');
    if (segments[4]!.toLowerCase() !== service) throw notFound('WebServiceNotFound', `Web service '${segments[4]}' was not found.`, 'service');
    const query = queryObject(new URLSearchParams(q < 0 ? '' : url.slice(q + 1)));
    const params = { ...found.params, workspace: segments[2]!, service: segments[4]! };
    if (found.route.anonymous) return found.route.handle({ req, requestId, query, params, readBody: () => Promise.resolve(Buffer.alloc(0)) });
    authorize(req.headers.authorization);
    if (query['api-version'] !== '2.0') {
      throw badArgument('api-version must be 2.0.', { code: 'InvalidApiVersion', target: 'api-version', message: `expected 2.0, got ${query['api-version'] ?? 'nothing'}` });
    }
    let body: Promise<Buffer> | undefined; // a stream reads once: later calls share the first read
    return found.route.handle({ req, requestId, query, params, readBody: () => (body ??= readBody(req, maxBodyBytes)) });
  }

  function send(res: http.ServerResponse, requestId: string, answer: ServiceResponse): void {
    if (res.headersSent || res.destroyed) return;
    const payload = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...answer.headers,
      'content-type': JSON_TYPE,
      'content-length': Buffer.byteLength(payload),
      'x-ms-request-id': requestId,
    });
    res.end(payload);
  }

  function errorAnswer(err: unknown, req: http.IncomingMessage, requestId: string): ServiceResponse {
    if (err instanceof ServiceError) return { status: err.status, body: err.body, headers: err.headers };
    // Never the body or headers: they may hold keys or customer data.
    console.error(`[reference] ${requestId} ${req.method} ${(req.url ?? '').split('?')[0]} failed:`, err);
    const message = 'The service failed to process the request.';
    return { status: 500, body: new ServiceError(500, 'InternalError', message, { code: 'InternalError', message }).body };
  }

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const requestId = randomUUID();
    // The catch also covers send() itself failing (e.g. a body JSON cannot serialise) before any byte went out.
    dispatch(req, requestId)
      .then((answer) => send(res, requestId, answer))
      .catch((err: unknown) => send(res, requestId, errorAnswer(err, req, requestId)));
  };
  const server = http.createServer({ noDelay: true }, onRequest);
  // Expect: 100-continue with a Content-Length over the limit gets its 413 before the client sends the body.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (Number(req.headers['content-length'] ?? 0) <= maxBodyBytes) res.writeContinue();
    onRequest(req, res);
  });
  // Longer than common client pools' idle timeouts, so a benchmark never races a server-side idle close.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const closeServer = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (!server.listening) return resolve();
      // In-flight requests get a moment to finish; idle keep-alive sockets close at once.
      const force = setTimeout(() => server.closeAllConnections(), 2_000).unref();
      server.close((err) => (clearTimeout(force), err ? reject(err) : resolve()));
      server.closeIdleConnections();
    });

  return {
    server,
    bes,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const { address, port: bound } = server.address() as AddressInfo;
          resolve(`http://${address.includes(':') ? `[${address}]` : address}:${bound}`);
        });
      }),
    // Active jobs are cancelled too, so none keeps the process alive or commits a result after close.
    close: () => Promise.all([bes.close(), closeServer()]).then(() => undefined),
  };
}
