// A loopback STAND-IN for the front door of an Azure ML managed online endpoint (the part that exists only in Azure),
// written from the documented behaviour ("Invoke an online endpoint", "Authenticate clients for online endpoints",
// "Troubleshoot online endpoints"), in front of REAL inference servers (azureml-inference-server-http) or anything
// that answers POST /score. It checks the key or token, picks the deployment (azureml-model-deployment header, else
// the one with the most traffic), limits concurrency (429), enforces request_timeout_ms (408) and wraps model errors
// in 424 with the ms-azureml-model-error-* headers. Keys and tokens are never logged.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request } from 'undici';
import { isLoopbackHost } from '../lib/platform.js';
import { listenLoopback } from './env.js';
import { createTokenIssuer } from './identity-tokens.js';
import * as wire from './azureml-online-wire.js';

export type { DeploymentTarget } from './azureml-online-wire.js';
export const ML_AUDIENCE = 'https://ml.azure.com';
const NO_DEPLOYMENT = 'No valid deployments to route to. Please check that the endpoint has at least one deployment with positive weight values or use a deployment specific header to route.';

export type AzureMlAuth = { mode: 'key'; keys: [string, string] } | { mode: 'aad_token'; signingKey: string };

export interface AzureMlOnlineStandInOptions {
  port?: number;
  host?: string;
  deployments: Record<string, wire.DeploymentTarget>;
  auth: AzureMlAuth;
  /** The deployment's request_settings.request_timeout_ms (default 5000). */
  requestTimeoutMs?: number;
  /** In-flight requests before 429 (default 8; per endpoint, where Azure counts per deployment instance). */
  maxConcurrentRequests?: number;
  /** When set, `POST /_standin/keys` with `x-standin-control-key: <controlKey>` and {"keys": [primary, secondary]} rotates the keys. */
  controlKey?: string;
}

export interface AzureMlCall {
  deployment?: string;
  status: number;
  clientRequestId?: string;
  tokenExp?: number;
  authorization: 'key' | 'token';
}

export interface AzureMlOnlineStandIn {
  url: string;
  /** The last 100 calls, oldest first (never a key or token). */
  log: AzureMlCall[];
  setKeys(primary: string, secondary: string): void;
  setRequestTimeoutMs(ms: number): void;
  setMaxConcurrentRequests(n: number): void;
  /** Answer the next `times` calls (after auth, before routing) with this status and a {"message"} body. */
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
}

export async function startAzureMlOnlineStandIn(options: AzureMlOnlineStandInOptions): Promise<AzureMlOnlineStandIn> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`Azure ML online endpoint stand-in only listens on loopback, not '${host}'`);
  const deployments = wire.checkDeployments(options.deployments);
  const auth = options.auth;
  let keys = auth.mode === 'key' ? wire.checkKeys(auth.keys) : undefined;
  if (auth.mode === 'aad_token' && !auth.signingKey) throw new Error('aad_token auth needs a signing key');
  const tokens = auth.mode === 'aad_token' ? createTokenIssuer(Buffer.from(auth.signingKey), 3600) : undefined;
  let timeoutMs = wire.checkPositiveInteger('requestTimeoutMs', options.requestTimeoutMs ?? 5000, wire.MAX_REQUEST_TIMEOUT_MS);
  let maxConcurrent = wire.checkPositiveInteger('maxConcurrentRequests', options.maxConcurrentRequests ?? 8);
  const failures: number[] = [];
  const log: AzureMlCall[] = [];
  let inFlight = 0;

  const setKeys = (primary: string, secondary: string): void => {
    if (!keys) throw new Error('The endpoint uses aad_token auth, not keys');
    keys = wire.checkKeys([primary, secondary]);
  };

  const authenticate = (header: string | undefined): { ok: boolean; tokenExp?: number } => {
    if (tokens) {
      const claims = tokens.verify(header, ML_AUDIENCE);
      return { ok: claims !== undefined, tokenExp: claims?.exp };
    }
    const given = /^Bearer (\S+)$/.exec(header ?? '')?.[1] ?? '';
    const [primary, secondary] = keys!;
    const matches = [wire.secretEquals(given, primary), wire.secretEquals(given, secondary)]; // both, always
    return { ok: given !== '' && matches.includes(true) };
  };

  const route = (pinned: string | string[] | undefined): { name?: string; error?: string } => {
    if (typeof pinned === 'string' && pinned !== '') {
      return deployments.has(pinned) ? { name: pinned } : { error: 'The deployment named in azureml-model-deployment does not exist on this endpoint.' };
    }
    let best: string | undefined;
    for (const [name, d] of deployments) if (d.traffic > 0 && (best === undefined || d.traffic > deployments.get(best)!.traffic)) best = name;
    return best ? { name: best } : { error: NO_DEPLOYMENT };
  };

  const handleControl = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const given = req.headers['x-standin-control-key'];
    if (req.method !== 'POST' || typeof given !== 'string' || !wire.secretEquals(given, options.controlKey!)) {
      req.resume();
      return wire.reply(res, 404, wire.message('Not found'), { 'content-type': 'application/json' });
    }
    let body: unknown;
    try {
      body = JSON.parse((await wire.readBody(req, 64 * 1024)).toString('utf8'));
      const k = (body as { keys?: unknown }).keys;
      setKeys(...wire.checkKeys(Array.isArray(k) ? k : []));
    } catch (err) {
      const text = err instanceof Error && /^(Keys must|The endpoint)/.test(err.message) ? err.message : 'Body must be {"keys": [primary, secondary]}';
      return wire.reply(res, 400, wire.message(text), { 'content-type': 'application/json' });
    }
    res.writeHead(204).end();
  };

  const handleScore = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const call: AzureMlCall = { status: 0, authorization: tokens ? 'token' : 'key' };
    const headers: Record<string, string> = { 'x-request-id': randomUUID() };
    const clientId = wire.clientRequestId(req);
    if (clientId) headers['x-ms-client-request-id'] = call.clientRequestId = clientId;
    const answer = (status: number, body: Buffer | string, extra: Record<string, string> = {}): void => {
      call.status = status;
      log.push(call);
      if (log.length > 100) log.splice(0, log.length - 100);
      wire.reply(res, status, body, { 'content-type': 'application/json', ...headers, ...extra });
    };
    const fail = (status: number, text: string, extra?: Record<string, string>): void => {
      req.resume();
      answer(status, wire.message(text), extra);
    };

    const pathname = (req.url ?? '/').split('?')[0];
    if (req.method !== 'POST' || pathname !== '/score') return fail(404, 'Not found. The endpoint only accepts POST /score.');
    const who = authenticate(req.headers.authorization);
    if (who.tokenExp !== undefined) call.tokenExp = who.tokenExp;
    if (!who.ok) return fail(401, tokens ? 'Invalid or expired token for https://ml.azure.com.' : 'Missing or invalid endpoint key.', { 'www-authenticate': 'Bearer' });
    if (failures.length > 0) {
      const status = failures.shift()!;
      return fail(status, status === 503 ? 'Service Unavailable' : `Stand-in failure ${status}`);
    }
    const chosen = route(req.headers['azureml-model-deployment']);
    if (!chosen.name) return fail(404, chosen.error!);
    const deployment = deployments.get(chosen.name)!;
    headers['azureml-model-deployment'] = call.deployment = chosen.name;
    if (inFlight >= maxConcurrent) return fail(429, 'Too many pending requests');

    inFlight += 1;
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    res.on('close', () => abort.abort()); // the caller hung up: so does the stand-in
    try {
      const body = await wire.readBody(req);
      const contentType = req.headers['content-type'];
      const upstream = await request(`${deployment.upstream}/score`, {
        method: 'POST',
        body,
        headers: contentType ? { 'content-type': contentType } : {},
        signal: abort.signal,
      });
      const data = Buffer.from(await upstream.body.arrayBuffer());
      const ct = upstream.headers['content-type'];
      const passthrough = { 'content-type': typeof ct === 'string' ? ct : 'application/octet-stream' };
      if (upstream.statusCode === 200) return answer(200, data, passthrough);
      answer(424, data, {
        ...passthrough,
        'ms-azureml-model-error-statuscode': String(upstream.statusCode),
        'ms-azureml-model-error-reason': wire.modelErrorReason(upstream.statusCode, upstream.statusText, data),
      });
    } catch (err) {
      if (err instanceof wire.PayloadTooLargeError) return fail(413, 'Payload too large', { connection: 'close' });
      if (timedOut) return fail(408, 'Request timed out');
      fail(502, "The deployment's inference server could not be reached.");
    } finally {
      clearTimeout(timer);
      inFlight -= 1;
    }
  };

  const server = createServer((req, res) => {
    const handle = options.controlKey && (req.url ?? '').split('?')[0] === '/_standin/keys' ? handleControl : handleScore;
    handle(req, res).catch(() => (res.headersSent ? res.destroy() : wire.reply(res, 500, wire.message('Internal error'), {})));
  });
  // Azure keeps idle client connections for minutes; a short timeout here would make every keep-alive client reconnect
  // (undici subtracts a 1 s margin from the advertised timeout, so 1 s would mean no reuse at all).
  server.keepAliveTimeout = 30_000;
  const url = await listenLoopback(server, host, options.port ?? 0);

  return {
    url,
    log,
    setKeys,
    setRequestTimeoutMs: (ms) => void (timeoutMs = wire.checkPositiveInteger('requestTimeoutMs', ms, wire.MAX_REQUEST_TIMEOUT_MS)),
    setMaxConcurrentRequests: (n) => void (maxConcurrent = wire.checkPositiveInteger('maxConcurrentRequests', n)),
    failNext: (status, times = 1) => {
      if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error('failNext status must be 400-599');
      for (let i = 0; i < wire.checkPositiveInteger('times', times); i++) failures.push(status);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
