// Deadlines on every storage request. The storage SDKs' own timeouts are server-side (the `timeout` query
// parameter) or absent, so a storage account that accepts connections and answers nothing (a brown-out) would hold
// every call that needs it for as long as it lasts. Here each try must have its answer's headers within a time that
// grows with the bytes it sends (so a large block upload is not cut short), and each Table operation as a whole,
// retries included, ends by its deadline: the caller then gets a clear 503 instead of a hung request. And once a
// request to a storage endpoint has timed out, further requests to it fail at once for a short while (a breaker),
// so one call pays the deadline, not every step of every call; the first request after that probes again.
import type { HttpClient, PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';

export interface StorageDeadlines {
  /** Headers of an answer within this long of a try's start (plus 1 s per MiB the try sends). */
  tryTimeoutMs: number;
  /** A Table operation, all its tries together, ends by then. */
  deadlineMs: number;
}

export const DEFAULT_STORAGE_DEADLINES: StorageDeadlines = { tryTimeoutMs: 5_000, deadlineMs: 10_000 };

const MIB = 1024 * 1024;

function bodyBytes(request: PipelineRequest): number {
  const length = Number(request.headers.get('content-length') ?? 0);
  return Number.isFinite(length) ? length : 0;
}

/** Per storage endpoint (origin): until when requests fail at once after one timed out. Shared by all clients. */
const openUntil = new Map<string, number>();

function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError'; // the SDK pipelines stop on it: no retries against an endpoint known to be unresponsive
  return error;
}

/**
 * The SDK's own HTTP client, with a per-try timeout on every request that has none, and the breaker: after a
 * request timed out, requests to that endpoint fail at once for `breakerMs`.
 */
export async function deadlineHttpClient(tryTimeoutMs: number, breakerMs = Math.min(5_000, tryTimeoutMs * 2)): Promise<HttpClient> {
  const { createDefaultHttpClient } = await import('@azure/core-rest-pipeline');
  const inner = createDefaultHttpClient();
  return {
    async sendRequest(request) {
      const origin = new URL(request.url).origin;
      if ((openUntil.get(origin) ?? 0) > Date.now()) throw abortError('storage did not answer recently; not asked again yet');
      if (!request.timeout) request.timeout = tryTimeoutMs + Math.ceil(bodyBytes(request) / MIB) * 1_000;
      try {
        const response = await inner.sendRequest(request);
        openUntil.delete(origin);
        return response;
      } catch (error) {
        if ((error as Error).name === 'AbortError') openUntil.set(origin, Date.now() + breakerMs);
        throw error;
      }
    },
  };
}

/** A per-call policy: the whole operation, retries included, is aborted at its deadline. */
export function deadlinePolicy(deadlineMs: number): PipelinePolicy {
  return {
    name: 'facadeStorageDeadline',
    sendRequest(request, next) {
      const deadline = AbortSignal.timeout(deadlineMs);
      request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal as AbortSignal, deadline]) : deadline;
      return next(request);
    },
  };
}
