// Reads a request body up to a byte limit, stopping as soon as the limit is passed (413), so an oversized
// or lying Content-Length never makes the facade buffer more than the limit.
import type { HttpRequest } from '@azure/functions';
import { GatewayError } from '../errors.js';

function tooLarge(limit: number): GatewayError {
  return new GatewayError('RequestBodyTooLarge', `The request body is larger than the limit of ${limit} bytes.`, { target: 'body' });
}

export async function readBodyLimited(request: HttpRequest, limit: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(limit);
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

/** Parses JSON or throws the classic 400 for an unreadable body. */
export function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) {
    throw new GatewayError('RequestBodyInvalid', 'The request body is empty: a JSON body is required.', { target: 'body' });
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new GatewayError('RequestBodyInvalid', 'The request body is not valid JSON.', { target: 'body' });
  }
}
