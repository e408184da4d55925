// Stream helpers for streamed uploads and copies: any body as a Node Readable, and a pass-through meter
// that can fail the stream at its end, before the upload commits (so a short or empty body publishes nothing).
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export type BodyStream = ReadableStream<Uint8Array> | NodeJS.ReadableStream;

export function toNodeReadable(body: BodyStream): Readable {
  if (body instanceof Readable) return body;
  if (typeof (body as ReadableStream).getReader === 'function') return Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>);
  return new Readable().wrap(body as NodeJS.ReadableStream);
}

/** Counts what passes; `atEnd` may turn the count into an error, which fails the stream instead of ending it. */
export class ByteMeter extends Transform {
  bytes = 0;
  readonly #atEnd: ((bytes: number) => Error | undefined) | undefined;

  constructor(atEnd?: (bytes: number) => Error | undefined) {
    super();
    this.#atEnd = atEnd;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.#atEnd?.(this.bytes) ?? null);
  }
}

/**
 * source → meter, with the source's failure remembered: it tells a client that went away (or a backend
 * stream that broke) from a storage fault. Both streams are destroyed by `abort`.
 */
export function metered(source: Readable, atEnd?: (bytes: number) => Error | undefined) {
  const meter = new ByteMeter(atEnd);
  const state: { sourceError?: unknown } = {};
  source.once('error', (error) => {
    state.sourceError ??= error;
    meter.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  source.pipe(meter);
  return {
    meter,
    state,
    abort(): void {
      source.unpipe(meter);
      source.destroy();
      meter.destroy();
    },
  };
}
