// Turns a handler's result into the node response with `new HttpResponse(init)` semantics: status 200
// by default, json/string defaults for content-type, cookies, and any body kind streamed, never buffered.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Readable, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import azureFunctions from '@azure/functions';
import type { Cookie, HttpResponse as HttpResponseType, HttpResponseInit } from '@azure/functions';

const { HttpResponse } = azureFunctions;

type HeaderBag = Record<string, string | string[]>;

// Hop-by-hop headers: the worker's proxy drops them too; node manages its own connection headers.
const BLOCKED = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'trailers', 'transfer-encoding', 'upgrade']);
const NULL_BODY_STATUS = new Set([204, 205, 304]);

export function serializeCookie(c: Cookie): string {
  let s = `${c.name}=${encodeURIComponent(c.value)}`;
  if (c.maxAge !== undefined) s += `; Max-Age=${Math.floor(c.maxAge)}`;
  if (c.domain) s += `; Domain=${c.domain}`;
  if (c.path) s += `; Path=${c.path}`;
  if (c.expires !== undefined) s += `; Expires=${new Date(c.expires).toUTCString()}`;
  if (c.httpOnly) s += '; HttpOnly';
  if (c.secure) s += '; Secure';
  if (c.sameSite) s += `; SameSite=${c.sameSite}`;
  return s;
}

function addHeader(bag: HeaderBag, name: string, value: string): void {
  const key = name.toLowerCase();
  if (BLOCKED.has(key)) return;
  const prev = bag[key];
  if (prev === undefined) bag[key] = value;
  else if (key === 'set-cookie') bag[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  else bag[key] = `${String(prev)}, ${value}`;
}

function toHeaderBag(headers: HttpResponseInit['headers'] | Headers, cookies: readonly Cookie[] | undefined): HeaderBag {
  const bag: HeaderBag = {};
  if (headers instanceof Headers) {
    for (const [k, v] of headers) if (k !== 'set-cookie') addHeader(bag, k, v);
    for (const v of headers.getSetCookie()) addHeader(bag, 'set-cookie', v);
  } else if (Array.isArray(headers)) {
    for (const [k, v] of headers as [string, string][]) addHeader(bag, k, String(v));
  } else if (headers) {
    for (const k of Object.keys(headers)) addHeader(bag, k, String((headers as Record<string, unknown>)[k]));
  }
  const conn = bag['connection'];
  if (typeof conn === 'string') for (const n of conn.split(',')) delete bag[n.trim().toLowerCase()];
  if (cookies) for (const c of cookies) addHeader(bag, 'set-cookie', serializeCookie(c));
  return bag;
}

function checkStatus(status: unknown): number {
  // Same range the WHATWG Response constructor (and so HttpResponse) accepts.
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`HTTP response status ${String(status)} is not in the range 200 to 599.`);
  }
  return status;
}

function isHttpResponse(value: object): value is HttpResponseType {
  return value instanceof HttpResponse || ((value as { headers?: unknown }).headers instanceof Headers && typeof (value as { arrayBuffer?: unknown }).arrayBuffer === 'function');
}

async function sendStream(res: ServerResponse, response: HttpResponseType): Promise<void> {
  res.writeHead(response.status, toHeaderBag(response.headers, response.cookies));
  const body = response.body;
  if (!body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(body as WebReadableStream), res);
}

/** Resolves once the response is fully handed to the socket; rejects on a bad result or a broken stream. */
export async function sendResult(res: ServerResponse, result: unknown): Promise<void> {
  if (result === undefined || result === null) {
    res.writeHead(200, { 'content-length': '0' }).end();
    return;
  }
  if (typeof result !== 'object') {
    throw new TypeError('The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".');
  }
  if (isHttpResponse(result)) return sendStream(res, result);

  const init = result as HttpResponseInit;
  const status = checkStatus(init.status ?? 200);
  const noBody = NULL_BODY_STATUS.has(status);
  let body: string | Uint8Array | undefined;
  let contentType: string | undefined;
  if (noBody) {
    body = undefined;
  } else if (init.jsonBody !== undefined && init.jsonBody !== null) {
    body = JSON.stringify(init.jsonBody) ?? '';
    contentType = 'application/json';
  } else if (typeof init.body === 'string') {
    body = init.body;
    contentType = 'text/plain;charset=UTF-8';
  } else if (init.body instanceof Uint8Array) {
    body = init.body;
  } else if (init.body !== undefined && init.body !== null) {
    // Blob, FormData, URLSearchParams, ArrayBuffer, ReadableStream, AsyncIterable: let Response decide.
    return sendStream(res, new HttpResponse(init));
  }
  const bag = toHeaderBag(init.headers, init.cookies);
  if (contentType !== undefined && bag['content-type'] === undefined) bag['content-type'] = contentType;
  if (!noBody) bag['content-length'] = String(body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  else delete bag['content-length'];
  res.writeHead(status, bag);
  res.end(body);
}

/** The classic error shape: the class at the top, the specific code in a details array that is never empty. */
function classicBody(classCode: string, code: string, message: string): string {
  return JSON.stringify({ error: { code: classCode, message, details: [{ code, message }] } });
}

/** A JSON error in the classic shape, sent by the host itself (no route, body too large, crash), with a request id like every answer. */
export function sendHostError(res: ServerResponse, status: number, classCode: string, code: string, message: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = classicBody(classCode, code, message);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'x-ms-request-id': randomUUID() });
  res.end(body);
}

/**
 * The server's clientError listener: a request node's parser refused (no ServerResponse exists for it) gets a raw
 * answer in the classic shape — 431 when the request line and headers are over the limit, 408 when they came too
 * slowly, else 400 — as from Azure's front end, instead of a dropped connection. The rest of the request is read
 * and discarded for a while: closing with unread bytes would reset the connection before the client reads the
 * answer. The parser refuses every further chunk too; those calls find the socket already answered.
 */
export function answerMalformedRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (answered.has(socket)) return;
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  answered.add(socket);
  const [status, reason, classCode, code, message] = MALFORMED[error.code ?? ''] ?? [400, 'Bad Request', 'BadRequest', 'MalformedRequest', 'The request is not valid HTTP.'];
  const body = classicBody(classCode, code, message);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
    `x-ms-request-id: ${randomUUID()}\r\nconnection: close\r\n\r\n${body}`);
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), MALFORMED_DRAIN_MS).unref();
}

const answered = new WeakSet<Duplex>();
const MALFORMED: Record<string, [number, string, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'RequestHeaderFieldsTooLarge', 'RequestHeadersTooLarge', 'The request line and headers are larger than the limit.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'RequestTimeout', 'RequestHeadersTimeout', 'The request headers did not arrive in time.'],
};
const MALFORMED_DRAIN_MS = 10_000;
