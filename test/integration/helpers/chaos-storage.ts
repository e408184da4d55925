// A storage front on loopback: forwards every request to the real Azurite, and can pace or stall the downloads of
// chosen blobs (a copy caught halfway, a slow link). Pointed at by BES_EXCHANGE_CONNECTION_STRING, it sits between
// the facade and its staging area, where backends leave their outputs for the facade to copy. Shared Key and SAS
// signatures cover the path, not the host, so requests signed for it are valid at Azurite unchanged.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';

export interface DownloadShape {
  /** Serve this many bytes of a GET, then stall with the connection open (a copy caught halfway). */
  stallAfterBytes?: number;
  /** Pace the GET at this rate (a slow link: a copy stays in flight long enough to be killed in it). */
  bytesPerSecond?: number;
}

export interface ChaosStorage {
  /** http://127.0.0.1:port */
  url: string;
  /** A connection string for `account` through this front (the key is Azurite's, signing is path-based). */
  connectionString(account: string, key: string): string;
  /** Where requests go: Azurite's blob endpoint origin, e.g. http://127.0.0.1:10000. */
  setUpstream(origin: string): void;
  /** GETs of blobs whose path ends with `suffix` are shaped so from now on (undefined: served normally again). */
  shape(suffix: string, shape: DownloadShape | undefined): void;
  /** Shaped GETs begun, and bytes of shaped GETs delivered. */
  served: { gets: number; bytes: number };
  close(): Promise<void>;
}

/** Passes bytes on at a pace, and holds everything after `stallAfterBytes`. */
class Pacer extends Transform {
  #sent = 0;
  constructor(private readonly shape: DownloadShape, private readonly onBytes: (n: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const allowed = this.shape.stallAfterBytes === undefined ? chunk.length : Math.max(0, Math.min(chunk.length, this.shape.stallAfterBytes - this.#sent));
    const piece = chunk.subarray(0, allowed);
    this.#sent += piece.length;
    this.onBytes(piece.length);
    if (allowed < chunk.length) {
      this.push(piece);
      return; // never calls done: the rest stalls until the reader goes away
    }
    const wait = this.shape.bytesPerSecond ? (piece.length / this.shape.bytesPerSecond) * 1000 : 0;
    if (wait === 0) return done(null, piece);
    setTimeout(() => done(null, piece), wait);
  }
}

export async function startChaosStorage(): Promise<ChaosStorage> {
  let upstream = '';
  const shapes = new Map<string, DownloadShape>();
  const served = { gets: 0, bytes: 0 };
  const sockets = new Set<Socket>();
  const agent = new http.Agent({ keepAlive: true });

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const shape = req.method === 'GET' ? [...shapes].find(([suffix]) => path.endsWith(suffix))?.[1] : undefined;
    const target = new URL(req.url ?? '/', upstream);
    const forward = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host }, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (!shape) return void answer.pipe(res);
      served.gets++;
      answer.pipe(new Pacer(shape, (n) => (served.bytes += n))).pipe(res);
    });
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    connectionString: (account, key) => `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${key};BlobEndpoint=${url}/${account}`,
    setUpstream(origin) {
      upstream = origin;
    },
    shape(suffix, shape) {
      if (shape) shapes.set(suffix, shape);
      else shapes.delete(suffix);
    },
    served,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
