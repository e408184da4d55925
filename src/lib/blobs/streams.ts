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

/** A source that sent nothing for too long: the upload (or copy) ends instead of holding its buffers. */
export class StalledError extends Error {
  constructor(readonly idleMs: number) {
    super(`no data for ${Math.round(idleMs / 1000)} s`);
  }
}

/**
 * source → meter, with the source's failure remembered: it tells a client that went away (or a backend
 * stream that broke) from a storage fault. Both streams are destroyed by `abort`. With `idleMs`, a source that
 * sends nothing for that long fails with StalledError.
 */
export function metered(source: Readable, atEnd?: (bytes: number) => Error | undefined, options: { idleMs?: number } = {}) {
  const meter = new ByteMeter(atEnd);
  const state: { sourceError?: unknown } = {};
  let idle: NodeJS.Timeout | undefined;
  const watch = (): void => {
    if (!options.idleMs) return;
    clearTimeout(idle);
    idle = setTimeout(() => {
      // Paused by us (the upload waits on storage) is not the source's idleness: watch again.
      if (source.readableFlowing === false) return watch();
      // The meter fails at once: a web stream's destroy waits for its pending read, which a stalled client never ends.
      const stalled = new StalledError(options.idleMs!);
      state.sourceError ??= stalled;
      source.unpipe(meter);
      meter.destroy(stalled);
      source.destroy(stalled);
    }, options.idleMs);
    idle.unref();
  };
  source.on('data', watch);
  source.once('end', () => clearTimeout(idle));
  source.once('close', () => clearTimeout(idle));
  source.once('error', (error) => {
    clearTimeout(idle);
    state.sourceError ??= error;
    meter.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  source.pipe(meter);
  watch();
  return {
    meter,
    state,
    abort(): void {
      clearTimeout(idle);
      source.unpipe(meter);
      source.destroy();
      meter.destroy();
    },
  };
}

/**
 * An abort signal that fires when no progress was reported for `idleMs`: a streamed transfer whose storage side stops
 * answering ends (and frees its buffers) instead of hanging. Call touch() on progress, stop() when done.
 */
export function progressWatchdog(idleMs: number): { signal: AbortSignal; touch(): void; stop(): void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new StalledError(idleMs)), idleMs);
    timer.unref();
  };
  touch();
  return { signal: controller.signal, touch, stop: () => clearTimeout(timer) };
}
