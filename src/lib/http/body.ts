// Reads a request body up to a byte limit, stopping as soon as the limit is passed (413), so an oversized
// or lying Content-Length never makes the facade buffer more than the limit. Lenient where classic clients
// were: a gzip or deflate body (Content-Encoding) is inflated, the limit applying to what it inflates to, and
// JSON may start with a UTF-8 byte-order mark (files saved by Windows tools).
import { createGunzip, createInflate } from 'node:zlib';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { HttpRequest } from '@azure/functions';
import { GatewayError } from '../errors.js';

function tooLarge(limit: number): GatewayError {
  return new GatewayError('RequestBodyTooLarge', `The request body is larger than the limit of ${sizeText(limit)}.`, { target: 'body' });
}

type Encoding = 'identity' | 'gzip' | 'deflate';

function encodingOf(request: HttpRequest): Encoding {
  const value = (request.headers.get('content-encoding') ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  throw new GatewayError('UnsupportedContentEncoding', `Content-Encoding "${value.slice(0, 40)}" is not supported; send the body as is, gzip or deflate.`, {
    target: 'Content-Encoding',
  });
}

export async function readBodyLimited(request: HttpRequest, limit: number): Promise<Buffer> {
  const encoding = encodingOf(request);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  if (encoding !== 'identity') return inflateLimited(request, encoding, limit);
  // A declared length is what the HTTP parser will deliver at most: read it in one go, without a stream reader.
  if (Number.isFinite(declared)) return Buffer.from(await request.arrayBuffer());
  const body = request.body;
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength) : Buffer.concat(chunks, total);
}

/** Inflates as it reads, stopping at `limit` inflated bytes: a small "zip bomb" costs at most the limit. */
async function inflateLimited(request: HttpRequest, encoding: 'gzip' | 'deflate', limit: number): Promise<Buffer> {
  const body = request.body;
  if (!body) return Buffer.alloc(0);
  const source = Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>);
  const inflate = encoding === 'gzip' ? createGunzip() : createInflate();
  source.on('error', (error) => inflate.destroy(error));
  source.pipe(inflate);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('RequestBodyInvalid', `The request body could not be inflated as ${encoding}.`, { target: 'body' });
  } finally {
    source.destroy();
    inflate.destroy();
  }
  return Buffer.concat(chunks, total);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The bytes without a leading UTF-8 byte-order mark: what is forwarded and parsed. */
/** A byte count as people read it: "4 MiB", "512 KiB", "100 bytes" (exact: the limit is what it says). */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

export function withoutBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
}

/** Parses JSON (a leading UTF-8 byte-order mark is ignored) or throws the classic 400 for an unreadable body. */
export function parseJsonBody(bytes: Buffer): unknown {
  const text = withoutBom(bytes);
  if (text.length === 0) {
    throw new GatewayError('RequestBodyInvalid', 'The request body is empty: a JSON body is required.', { target: 'body' });
  }
  try {
    return JSON.parse(text.toString('utf8'));
  } catch {
    throw new GatewayError('RequestBodyInvalid', 'The request body is not valid JSON.', { target: 'body' });
  }
}
