// A per-instance budget of memory for streamed uploads. Each upload holds its staging buffers (about
// bufferBytes × (concurrency + 1)) for as long as it lasts; clients that send some bytes and stall would otherwise
// pile those up without bound. An upload takes its share before it reads a byte; past the budget it waits a
// little for a share to free, then gets 503 with Retry-After. Idle uploads end (see streams.ts), freeing theirs.
import { GatewayError } from '../errors.js';

export class UploadBudget {
  #free: number;
  readonly #waiting: { bytes: number; grant: () => void }[] = [];

  constructor(readonly totalBytes: number) {
    this.#free = totalBytes;
  }

  /** Resolves with the function that gives the share back; 503 when none frees within `waitMs`. */
  async acquire(bytes: number, waitMs: number): Promise<() => void> {
    const share = Math.min(bytes, this.totalBytes);
    if (this.#waiting.length === 0 && this.#free >= share) return this.#take(share);
    return new Promise((resolve, reject) => {
      const waiter = { bytes: share, grant: () => (clearTimeout(timer), resolve(this.#take(share))) };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(new GatewayError('TooManyUploads', 'Too many uploads are in progress on this instance; try again shortly.', { headers: { 'retry-after': '5' } }));
      }, waitMs);
      timer.unref();
      this.#waiting.push(waiter);
    });
  }

  get freeBytes(): number {
    return this.#free;
  }

  #take(bytes: number): () => void {
    this.#free -= bytes;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.#free += bytes;
      while (this.#waiting.length > 0 && this.#free >= this.#waiting[0]!.bytes) this.#waiting.shift()!.grant();
    };
  }
}
