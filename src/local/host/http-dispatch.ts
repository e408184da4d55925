// The node:http request listener: route → real HttpRequest (body streamed straight from the socket) and
// InvocationContext → handler → response; 404 / 413 / 500 in the classic JSON error shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import azureFunctions from '@azure/functions';
import type { HttpRequest as HttpRequestType, InvocationContext } from '@azure/functions';
import type { Invoker } from './invoker.js';
import { describeError } from './logger.js';
import { normalizeRequestPath, type Router } from './router.js';
import { sendHostError, sendResult } from './http-response.js';
import type { RegisteredFunction } from './types.js';

const { HttpRequest } = azureFunctions;
const HttpRequestCtor = HttpRequest as unknown as new (init: { nativeRequest: Request; params: Record<string, string> }) => HttpRequestType;

export interface DispatchOptions {
  router: Router<RegisteredFunction>;
  invoker: Invoker;
  maxBodyBytes: number;
  /** Used when a request has no Host header. */
  defaultHost: string;
  /** `POST /admin/functions/{name}` (as in the real host) runs a non-HTTP function; false when unknown. */
  runFunction?: (name: string) => boolean;
}

class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`The request body exceeds the limit of ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

// Only chunked uploads need counting: node's parser never delivers more than a declared Content-Length.
// A function that stops reading early (its own limit, a body it cannot inflate) must not destroy the request,
// declared length or chunked: node would then leave the rest of the body unread and the kept-alive connection
// stuck, the next request on it never answered; the rest is discarded instead (discardRest).
async function* limitBody(req: IncomingMessage, limit: number, state: { tooLarge: boolean }): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      state.tooLarge = true;
      throw new BodyTooLargeError(limit);
    }
    yield chunk;
  }
}

/**
 * A streamed body as a WHATWG stream made here rather than by Request from an async iterable: undici's own wrapper
 * closes its controller in a microtask after the iterator ends, and a stream cancelled in between (a function that
 * stopped reading) made that close throw uncaught — the host process died under the fuzz suite. Here every
 * enqueue, close and error is guarded by one flag, and cancelling hands the iterator back.
 */
function webStream(source: AsyncIterable<Buffer>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (finished) return;
        if (next.done) {
          finished = true;
          controller.close();
        } else {
          controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        }
      } catch (error) {
        if (finished) return;
        finished = true;
        controller.error(error);
      }
    },
    cancel() {
      finished = true;
      // Not awaited: a generator's return waits for a read still pending on the socket; discardRest drains it.
      void iterator.return?.()?.catch(() => undefined);
    },
  }, { highWaterMark: 0 });
}

/** Reads and drops what the function left unread (up to the body limit), so the connection serves the next request. */
function discardRest(req: IncomingMessage, limit: number): void {
  if (req.complete || req.destroyed) return;
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit) req.destroy();
  });
  req.resume();
}

function tooLarge(res: ServerResponse, limit: number): void {
  // Closing stops node from reading (and discarding) the rest of a huge upload.
  res.shouldKeepAlive = false;
  sendHostError(res, 413, 'RequestEntityTooLarge', 'RequestBodyTooLarge', `The request body exceeds the limit of ${limit} bytes.`);
}

export function createRequestListener(options: DispatchOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { router, invoker, maxBodyBytes, defaultHost, runFunction } = options;

  // "admin/…" belongs to the host, as in Azure (apps cannot route there): run a non-HTTP function.
  function admin(req: IncomingMessage, res: ServerResponse, method: string, path: string, rawPath: string): void {
    const m = /^admin\/functions\/([^/]+)$/i.exec(path);
    if (m && method === 'POST' && runFunction?.(m[1]!)) {
      req.resume();
      res.writeHead(202, { 'content-length': '0' }).end();
      return;
    }
    sendHostError(res, 404, 'NotFound', 'ResourceNotFound', `No function is registered for ${method} ${rawPath}.`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    const path = normalizeRequestPath(rawPath);
    if ((path.charCodeAt(0) | 32) === 97 && /^admin\//i.test(path)) return admin(req, res, method, path, rawPath);
    const match = router.match(method, path);
    if (match === undefined) return sendHostError(res, 404, 'NotFound', 'ResourceNotFound', `No function is registered for ${method} ${rawPath}.`);

    const fn = match.target;
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBodyBytes) return tooLarge(res, maxBodyBytes);

    let limitState: { tooLarge: boolean } | undefined;
    let request: HttpRequestType;
    try {
      let body: ReadableStream<Uint8Array> | Buffer | undefined;
      if (method !== 'GET' && method !== 'HEAD') {
        // A small body of known length is read whole first: a byte body spares the WHATWG stream machinery
        // behind Request (a large share of a proxied call's CPU); big and chunked bodies stay streamed.
        if (declared !== undefined && Number(declared) <= SMALL_BODY_BYTES) body = await readSmallBody(req);
        else if (declared !== undefined) body = webStream(req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>);
        else body = webStream(limitBody(req, maxBodyBytes, (limitState = { tooLarge: false })));
      }
      const href = url.charCodeAt(0) === 47 ? `http://${req.headers.host ?? defaultHost}${url}` : url;
      // Like Azure's front end, append the caller's address to X-Forwarded-For (the last entry is the trusted one).
      const peer = req.socket.remoteAddress;
      if (peer) {
        const forwarded = req.headers['x-forwarded-for'];
        req.headers['x-forwarded-for'] = forwarded ? `${forwarded}, ${peer}` : peer;
      }
      const init = { method, headers: req.headers as Record<string, string>, body, duplex: 'half' };
      request = new HttpRequestCtor({ nativeRequest: new Request(href, init as RequestInit), params: match.params });
    } catch {
      // Not the error's text: it quotes the URL, whose query may hold the caller's key.
      return sendHostError(res, 400, 'BadRequest', 'InvalidRequest', 'The request could not be read: its URL or Host header is not valid.');
    }

    const context: InvocationContext = invoker.createContext(fn);
    let result: unknown;
    try {
      result = await invoker.invoke(fn, request, context);
    } catch (err) {
      if (limitState?.tooLarge) return tooLarge(res, maxBodyBytes);
      if (req.destroyed && !req.complete) return void res.destroy(); // the client went away mid-upload
      invoker.systemLog('error', `Executed '${fn.name}' (Failed): ${describeError(err)}`, context);
      return sendHostError(res, 500, 'InternalError', 'InternalServerError', 'An unexpected error occurred.');
    }
    if (limitState?.tooLarge) return tooLarge(res, maxBodyBytes);
    discardRest(req, maxBodyBytes);

    try {
      await sendResult(res, result);
    } catch (err) {
      if (res.destroyed && !res.writableFinished && (err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      invoker.systemLog('error', `Executed '${fn.name}' (Failed while sending the response): ${describeError(err)}`, context);
      sendHostError(res, 500, 'InternalError', 'InternalServerError', 'An unexpected error occurred.');
    }
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      invoker.systemLog('error', `Local host failed to serve a request: ${describeError(err)}`);
      if (!res.destroyed) sendHostError(res, 500, 'InternalError', 'InternalServerError', 'An unexpected error occurred.');
    });
  };
}

const SMALL_BODY_BYTES = 64 * 1024;

async function readSmallBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
