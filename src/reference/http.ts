// Request reading for the reference service: a body stopped at the size limit (gzip/deflate bodies are
// inflated, bounded after inflation, as the classic front end accepted them), JSON with or without a UTF-8
// byte-order mark (files saved by Windows tools), and query parameters as the classic (ASP.NET) host read them.
import type http from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { ServiceError, badArgument } from './errors.js';

export function tooLarge(limit: number): ServiceError {
  // Connection: close, because the rest of an oversized body is never read.
  const message = `The request body is larger than ${limit} bytes.`;
  return new ServiceError(413, 'RequestEntityTooLarge', message, { code: 'RequestBodyTooLarge', target: 'body', message }, { connection: 'close' });
}

function decoded(req: http.IncomingMessage): Readable {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return req;
  if (encoding === 'gzip' || encoding === 'x-gzip') return req.pipe(createGunzip());
  if (encoding === 'deflate') return req.pipe(createInflate());
  const message = `Content-Encoding ${encoding.slice(0, 40)} is not supported; send identity, gzip or deflate.`;
  throw new ServiceError(415, 'UnsupportedMediaType', message, { code: 'UnsupportedContentEncoding', target: 'Content-Encoding', message });
}

export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const encoded = req.headers['content-encoding'] !== undefined;
  if (!encoded && Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge(limit));
  let source: Readable;
  try {
    source = decoded(req);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (): void => {
      source.off('data', onData).off('end', onEnd).off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > limit) {
        done();
        req.pause();
        if (source !== req) source.destroy();
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onError = (): void => {
      done();
      const message = encoded ? 'The request body could not be read or inflated.' : 'The request body could not be read.';
      reject(badArgument(message, { code: 'RequestBodyInvalid', target: 'body', message }));
    };
    // Closed before 'end': the client went away mid-body.
    const onClose = (): void => {
      if (!req.complete) onError();
    };
    source.on('data', onData).on('end', onEnd).on('error', onError);
    req.on('close', onClose);
  });
}

/** Parses JSON (a leading UTF-8 byte-order mark is ignored) or throws the classic 400. */
export function parseJson(bytes: Buffer): unknown {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw badArgument('The request body is empty.', { code: 'RequestBodyInvalid', target: 'body', message: 'a JSON body is required' });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badArgument('The request body is not valid JSON.', { code: 'RequestBodyInvalid', target: 'body', message: 'the body must be a JSON document' });
  }
}

/** URLSearchParams → plain object; names lower-cased (ASP.NET matched them case-insensitively), first value wins. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of query) {
    const name = key.toLowerCase();
    if (!(name in out)) out[name] = value;
  }
  return out;
}
