// A loopback STAND-IN for the Application Insights ingestion endpoint (`POST /v2.1/track`, as named by a
// connection string's IngestionEndpoint), for tests and the local stack. Not Application Insights: it keeps what
// it is sent in memory, checks each envelope's outline, and answers as the real service does — 200
// `{"itemsReceived","itemsAccepted","errors":[]}` when all were accepted, 206 with per-index `errors` when some
// were not, 400 when none were. It gunzips a gzip body. Faults can be injected: hang (never answer), a status for
// every POST, or a retryable 503 for chosen indices (a partial success). Plain http, so loopback only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

const MAX_BODY = 16 * 1024 * 1024;
const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|::1|\[::1\])$/i;

export interface ReceivedEnvelope {
  name: string;
  time: string;
  iKey: string;
  tags?: Record<string, string>;
  data: { baseType: string; baseData: Record<string, unknown> & { properties?: Record<string, string>; measurements?: Record<string, number> } };
}

export interface ReceivedPost {
  gzip: boolean;
  /** The Authorization header as sent (tests check the bearer token), or undefined. */
  authorization: string | undefined;
  items: number;
}

export type IngestionFault =
  | { kind: 'hang' }
  | { kind: 'status'; status: number }
  /** Answer 206: the items at these indices are refused with a retryable 503, the rest accepted. */
  | { kind: 'partial'; retryIndices: number[] };

export interface AppInsightsStandInOptions {
  host?: string;
  port?: number;
  /** When set, a POST whose Authorization header this refuses gets 401 (Entra-only ingestion). */
  authorize?: (authorization: string | undefined) => boolean;
}

export interface AppInsightsStandIn {
  /** The IngestionEndpoint to put in a connection string. */
  url: string;
  connectionString(instrumentationKey: string): string;
  /** Every accepted envelope, in arrival order. */
  readonly envelopes: ReceivedEnvelope[];
  readonly posts: ReceivedPost[];
  /** Applies to every following POST until cleared with undefined. */
  setFault(fault: IngestionFault | undefined): void;
  /** Resolves once at least `count` envelopes were accepted (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedEnvelope[]>;
  close(): Promise<void>;
}

function outlineProblem(item: unknown): string | undefined {
  const e = item as Partial<ReceivedEnvelope> | null;
  if (!e || typeof e !== 'object') return 'not an object';
  if (typeof e.name !== 'string' || !e.name) return 'Field \'name\' on type \'Envelope\' is required but missing or empty.';
  if (typeof e.time !== 'string' || Number.isNaN(Date.parse(e.time))) return 'Field \'time\' on type \'Envelope\' is required but missing or empty.';
  if (typeof e.iKey !== 'string' || !e.iKey) return 'Invalid instrumentation key';
  if (!e.data || typeof e.data.baseType !== 'string' || typeof e.data.baseData !== 'object') return 'Field \'data\' on type \'Envelope\' is required.';
  if (e.data.baseType === 'RequestData') {
    const d = e.data.baseData as Record<string, unknown>;
    if (typeof d.id !== 'string' || typeof d.duration !== 'string' || typeof d.responseCode !== 'string' || typeof d.success !== 'boolean') return 'RequestData is missing id, duration, responseCode or success';
    if (!/^\d+\.\d{2}:\d{2}:\d{2}\.\d{7}$/.test(d.duration)) return 'RequestData duration is not d.hh:mm:ss.fffffff';
  }
  if (e.data.baseType === 'EventData' && typeof (e.data.baseData as Record<string, unknown>).name !== 'string') return 'EventData is missing name';
  return undefined;
}

export async function startAppInsightsStandIn(options: AppInsightsStandInOptions = {}): Promise<AppInsightsStandIn> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) throw new Error(`Application Insights stand-in only listens on loopback, not '${host}'`);
  const envelopes: ReceivedEnvelope[] = [];
  const posts: ReceivedPost[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  let fault: IngestionFault | undefined;

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || (path !== '/v2.1/track' && path !== '/v2/track')) return answer(res, 404, { error: 'not found' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY) return answer(res, 413, { itemsReceived: 0, itemsAccepted: 0, errors: [] });
      chunks.push(chunk);
    }
    const authorization = req.headers.authorization;
    const gzip = (req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip';
    if (fault?.kind === 'hang') return; // no answer: the socket stays open until the sender gives up or close()
    if (options.authorize && !options.authorize(authorization)) return answer(res, 401, { itemsReceived: 0, itemsAccepted: 0, errors: [] });
    if (fault?.kind === 'status') return answer(res, fault.status, { itemsReceived: 0, itemsAccepted: 0, errors: [] });
    let items: unknown[];
    try {
      const raw = Buffer.concat(chunks);
      const text = (gzip ? gunzipSync(raw) : raw).toString('utf8').trim();
      // A JSON array, or one envelope per line (application/x-json-stream), as the real endpoint takes either.
      items = text.startsWith('[') ? (JSON.parse(text) as unknown[]) : text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
    } catch {
      return answer(res, 400, { itemsReceived: 0, itemsAccepted: 0, errors: [{ index: 0, statusCode: 400, message: 'Invalid JSON' }] });
    }
    posts.push({ gzip, authorization, items: items.length });
    const errors: { index: number; statusCode: number; message: string }[] = [];
    const retry = new Set(fault?.kind === 'partial' ? fault.retryIndices : []);
    items.forEach((item, index) => {
      const problem = outlineProblem(item);
      if (problem) errors.push({ index, statusCode: 400, message: problem });
      else if (retry.has(index)) errors.push({ index, statusCode: 503, message: 'Service unavailable (stand-in fault)' });
      else envelopes.push(item as ReceivedEnvelope);
    });
    for (const wake of [...waiters]) wake();
    const accepted = items.length - errors.length;
    answer(res, errors.length === 0 ? 200 : accepted > 0 ? 206 : 400, { itemsReceived: items.length, itemsAccepted: accepted, errors });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) answer(res, 500, { itemsReceived: 0, itemsAccepted: 0, errors: [] });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;

  return {
    url,
    connectionString: (instrumentationKey) => `InstrumentationKey=${instrumentationKey};IngestionEndpoint=${url}/`,
    envelopes,
    posts,
    setFault(next) {
      fault = next;
    },
    waitFor(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (envelopes.length < count) return;
          cleanup();
          resolve(envelopes.slice());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`stand-in: ${envelopes.length} of ${count} envelopes within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const socket of sockets) socket.destroy(); // hanging requests included
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
