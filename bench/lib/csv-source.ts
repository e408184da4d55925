// A CSV of any size, generated while it is read (never on disk, never whole in memory): whole rows in ~64 KiB
// chunks. A pool of distinct chunks is built once and cycled, so generating costs the bench almost no CPU.
import { Readable } from 'node:stream';

const POOL_CHUNKS = 64;
const WORDS = ['good', 'day', 'bad', 'night', 'café', 'rain', 'sunny', 'quiet', 'loud', 'fast', 'slow', 'model'];

let pool: Buffer[] | undefined;
function chunkPool(): Buffer[] {
  if (pool) return pool;
  pool = [];
  let id = 0;
  for (let c = 0; c < POOL_CHUNKS; c++) {
    const rows: string[] = [];
    let size = 0;
    while (size < 64 * 1024) {
      const row = `${id},"${WORDS[id % WORDS.length]} row ${id} ${WORDS[(id * 7) % WORDS.length]}"\r\n`;
      rows.push(row);
      size += Buffer.byteLength(row);
      id++;
    }
    pool.push(Buffer.from(rows.join('')));
  }
  return pool;
}

/** A Readable of a header line then rows until at least `bytes`; `produced()` tells how many were emitted. */
export function csvSource(bytes: number): { stream: Readable; produced(): number } {
  const chunks = chunkPool();
  let sent = 0;
  let i = 0;
  const stream = new Readable({
    highWaterMark: 1024 * 1024,
    read() {
      if (sent === 0) {
        const header = Buffer.from('Id,Col2\r\n');
        sent += header.length;
        this.push(header);
      }
      while (sent < bytes) {
        const chunk = chunks[i++ % chunks.length]!;
        sent += chunk.length;
        if (!this.push(chunk)) return;
      }
      this.push(null);
    },
  });
  return { stream, produced: () => sent };
}
