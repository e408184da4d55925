// A small batching sender for the Application Insights ingestion API: envelopes wait in a bounded queue and go
// as one gzipped JSON array per POST to `{IngestionEndpoint}/v2.1/track`, every few seconds, when a batch is full,
// and at shutdown. It never throws to its callers and never blocks a request: `enqueue` is a push; a full queue
// drops (and counts) new items; every POST has a deadline, so a hanging endpoint costs at most that long per flush;
// one POST at a time. Answers as the ingestion service gives them: 200 all accepted; 206 some accepted, the
// `errors` say which (by index) and whether a retry may succeed; 408/429/439/5xx and network trouble: retry the
// batch later; 401/403 with Entra auth: renew the token and retry; anything else: drop, with a warning. An item is
// tried at most `maxAttempts` times.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Envelope } from './envelopes.js';

const gzipAsync = promisify(gzip);

/** Bearer tokens for the ingestion scope (the app's token source, bound to it). */
export interface IngestionTokens {
  get(): Promise<string>;
  refresh(stale: string): Promise<string>;
}

export interface SenderOptions {
  trackUrl: string;
  tokens?: IngestionTokens | undefined;
  flushIntervalMs: number;
  /** Items held at most; past it new ones are dropped (and counted). */
  maxQueue: number;
  /** Items per POST (the service takes up to 64 MB or so; small batches keep a retry cheap). */
  maxBatch?: number;
  /** Deadline of one POST, answer included. */
  postTimeoutMs?: number;
  maxAttempts?: number;
  gzip?: boolean;
  warn?: (message: string) => void;
  /** Test seam. */
  fetch?: typeof fetch;
  now?: () => number;
}

export interface SenderStats {
  queued: number;
  sent: number;
  dropped: number;
  retried: number;
}

interface Item {
  envelope: Envelope;
  attempts: number;
}

type BatchResult = { kind: 'done' } | { kind: 'retry'; items: Item[]; reason: string } | { kind: 'drop'; count: number; reason: string };

const RETRYABLE = new Set([408, 429, 439, 500, 502, 503, 504]);
const WARN_EVERY_MS = 60_000;

export class TelemetrySender {
  readonly #options: Required<Omit<SenderOptions, 'tokens' | 'warn' | 'fetch' | 'now'>>;
  readonly #tokens: IngestionTokens | undefined;
  readonly #warn: (message: string) => void;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #queue: Item[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;
  #lastWarnAt = -Infinity;
  #unwarnedDrops = 0;
  readonly #stats: SenderStats = { queued: 0, sent: 0, dropped: 0, retried: 0 };

  constructor(options: SenderOptions) {
    this.#options = {
      trackUrl: options.trackUrl,
      flushIntervalMs: options.flushIntervalMs,
      maxQueue: options.maxQueue,
      maxBatch: Math.max(1, Math.min(options.maxBatch ?? 500, options.maxQueue)),
      postTimeoutMs: options.postTimeoutMs ?? 10_000,
      maxAttempts: options.maxAttempts ?? 3,
      gzip: options.gzip ?? true,
    };
    this.#tokens = options.tokens;
    this.#warn = options.warn ?? ((message) => console.warn(message));
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
  }

  get stats(): SenderStats {
    return { ...this.#stats, queued: this.#queue.length };
  }

  /** Queues an envelope; never throws, never waits. */
  enqueue(envelope: Envelope): void {
    if (this.#closed || this.#queue.length >= this.#options.maxQueue) {
      this.#dropped(1, this.#closed ? 'the sender is closed' : 'the queue is full');
      return;
    }
    this.#queue.push({ envelope, attempts: 0 });
    // The timer starts with the first item: an instance that tracks nothing sets none. Unref'd: it never keeps
    // the process alive.
    this.#timer ??= setInterval(() => void this.flush(), this.#options.flushIntervalMs).unref();
    if (this.#queue.length >= this.#options.maxBatch) void this.flush();
  }

  /** Sends what is queued now, batch by batch; stops at the first batch to retry (the next flush tries again). */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#drain()).catch((error: unknown) => this.#warnNow(`telemetry: flush failed: ${(error as Error)?.name ?? 'Error'}`));
    return this.#flushing;
  }

  /** Stops the timer and sends what is queued, within `deadlineMs` overall; later items are dropped. */
  async close(deadlineMs = 5_000): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    const pending = this.flush().then(() => (this.#queue.length > 0 ? this.flush() : undefined)); // a retry gets one more try
    this.#closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([pending, new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs).unref()))]);
    clearTimeout(timer);
    if (this.#queue.length > 0) this.#dropped(this.#queue.splice(0).length, 'not sent before shutdown');
    if (this.#unwarnedDrops > 0) this.#warnNow(`telemetry: ${this.#unwarnedDrops} items dropped`);
  }

  async #drain(): Promise<void> {
    let budget = this.#queue.length; // items queued meanwhile wait for the next flush: a flush ends
    while (budget > 0 && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, Math.min(this.#options.maxBatch, budget));
      budget -= batch.length;
      const result = await this.#post(batch);
      if (result.kind === 'done') continue;
      if (result.kind === 'drop') {
        this.#dropped(result.count, result.reason);
        continue;
      }
      const again = result.items.map((i) => ({ ...i, attempts: i.attempts + 1 })).filter((i) => i.attempts < this.#options.maxAttempts);
      const room = Math.max(0, this.#options.maxQueue - this.#queue.length);
      const kept = again.slice(0, room);
      this.#queue.unshift(...kept);
      this.#stats.retried += kept.length;
      if (result.items.length > kept.length) this.#dropped(result.items.length - kept.length, `${result.reason}, not retried`);
      this.#warnSometimes(`telemetry: ingestion to retry (${result.reason})`);
      return;
    }
  }

  async #post(batch: Item[]): Promise<BatchResult> {
    let token: string | undefined;
    try {
      token = await this.#tokens?.get();
    } catch {
      return { kind: 'retry', items: batch, reason: 'no token for ingestion' };
    }
    const json = JSON.stringify(batch.map((i) => i.envelope));
    const body = this.#options.gzip ? await gzipAsync(json) : Buffer.from(json);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.#options.gzip) headers['content-encoding'] = 'gzip';
    if (token) headers.authorization = `Bearer ${token}`;
    let status: number;
    let text: string;
    try {
      // One signal bounds the whole exchange: the connection, the answer's head and its body.
      const signal = AbortSignal.timeout(this.#options.postTimeoutMs);
      const response = await this.#fetch(this.#options.trackUrl, { method: 'POST', headers, body, signal, redirect: 'error' });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const name = (error as Error)?.name;
      return { kind: 'retry', items: batch, reason: name === 'TimeoutError' || name === 'AbortError' ? 'no answer within the deadline' : 'ingestion unreachable' };
    }
    if (status === 200) {
      this.#stats.sent += batch.length;
      return { kind: 'done' };
    }
    if (status === 206) return this.#partial(batch, text);
    if ((status === 401 || status === 403) && this.#tokens && token) {
      await this.#tokens.refresh(token).catch(() => undefined);
      return { kind: 'retry', items: batch, reason: `HTTP ${status}` };
    }
    if (RETRYABLE.has(status)) return { kind: 'retry', items: batch, reason: `HTTP ${status}` };
    return { kind: 'drop', count: batch.length, reason: `HTTP ${status}` };
  }

  #partial(batch: Item[], text: string): BatchResult {
    let errors: { index?: unknown; statusCode?: unknown }[] = [];
    try {
      const parsed = JSON.parse(text) as { errors?: unknown };
      if (Array.isArray(parsed.errors)) errors = parsed.errors as typeof errors;
    } catch {
      return { kind: 'retry', items: batch, reason: 'HTTP 206 without a readable answer' };
    }
    const retry: Item[] = [];
    let rejected = 0;
    const failed = new Set<number>();
    for (const e of errors) {
      const item = typeof e.index === 'number' ? batch[e.index] : undefined;
      if (!item || failed.has(e.index as number)) continue;
      failed.add(e.index as number);
      if (RETRYABLE.has(Number(e.statusCode))) retry.push(item);
      else rejected++;
    }
    this.#stats.sent += batch.length - failed.size;
    if (rejected > 0) this.#dropped(rejected, 'rejected by ingestion');
    return retry.length > 0 ? { kind: 'retry', items: retry, reason: 'HTTP 206' } : { kind: 'done' };
  }

  #dropped(count: number, reason: string): void {
    this.#stats.dropped += count;
    this.#unwarnedDrops += count;
    if (this.#warnSometimes(`telemetry: ${this.#unwarnedDrops} items dropped (${reason})`)) this.#unwarnedDrops = 0;
  }

  /** At most one warning a minute: a broken endpoint must not flood the log. */
  #warnSometimes(message: string): boolean {
    if (this.#now() - this.#lastWarnAt < WARN_EVERY_MS) return false;
    this.#warnNow(message);
    return true;
  }

  #warnNow(message: string): void {
    this.#lastWarnAt = this.#now();
    try {
      this.#warn(message);
    } catch {
      // a broken logger must not break the sender either
    }
  }
}
