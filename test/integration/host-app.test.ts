// The local Functions host in-process on port 0, serving the fixture app (test/fixtures/host-app) that
// registers through the real @azure/functions: routing, bodies, streaming both ways, errors, timers, hooks.
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { Client, request } from 'undici';
import { readRoutePrefix, resolveAppModules, startFunctionsHost, type FunctionsHost, type LogRecord } from '../../src/local/host/index.js';

interface Fixture {
  events: string[];
  timerRuns: { timer: Record<string, unknown>; functionName: string }[];
  failNextTick?: boolean;
  onUploadChunk?: (bytes: number) => void;
}

const ROOT = fileURLToPath(new URL('../fixtures/host-app/', import.meta.url));
const LIMIT = 25 * 1024 * 1024;
const logs: LogRecord[] = [];
let host: FunctionsHost;
const fixture = (): Fixture => (globalThis as unknown as { __hostFixture: Fixture }).__hostFixture;

/** Sends raw bytes and returns the status line of the answer (for bodies undici would not send). */
function rawStatus(head: string, body: (write: (b: Buffer) => boolean) => Promise<void> | void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) {
        resolve(answer.slice(0, answer.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', () => {}); // the host may close while we still write: only the answer matters
    socket.on('close', () => reject(new Error(`closed without an answer: ${answer}`)));
    socket.on('connect', () => {
      socket.write(head);
      void Promise.resolve(body((b) => !socket.destroyed && socket.write(b)));
    });
  });
}

beforeAll(async () => {
  host = await startFunctionsHost({
    port: 0,
    routePrefix: await readRoutePrefix(ROOT),
    appModules: await resolveAppModules(ROOT),
    env: { FIXTURE_SUFFIX: 'sfx', FIXTURE_TICK_SCHEDULE: '0 0 0 1 JAN *' },
    logger: (r) => logs.push(r),
    maxRequestBodyBytes: LIMIT,
    timers: false,
  });
});

afterAll(async () => {
  await host?.close();
  if (process.env.HOST_TEST_DEBUG) console.log(logs);
  expect(fixture().events).toEqual(['appStart', 'appTerminate']);
});

describe('local Functions host (in-process)', () => {
  it('registers exactly what the app registered', () => {
    expect(host.functions.map((f) => f.name)).toContain('itemById');
    expect(host.functions.find((f) => f.name === 'settingRoute')?.route).toBe('/api/sfx/ping');
    expect(host.functions.find((f) => f.name === 'tick')).toMatchObject({ trigger: 'timer', schedule: '0 0 0 1 JAN *' });
    expect(fixture().events).toEqual(['appStart']);
  });

  it('routes with params, constraints, precedence, query and case-insensitivity', async () => {
    const get = async (path: string) => {
      const res = await request(`${host.url}${path}`);
      return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, unknown> };
    };
    const byId = await get('/API/workspaces/w%201/Items/42?q=hello');
    expect(byId.status).toBe(200);
    expect(byId.headers['x-fixture']).toBe('itemById');
    expect(byId.body).toMatchObject({ fn: 'itemById', params: { workspace: 'w 1', id: '42' }, q: 'hello', method: 'GET' });
    expect((await get('/api/workspaces/w/items/abc')).body.fn).toBe('itemByName');
    expect((await get('/api/workspaces/demo/items/42')).body.fn).toBe('demoItem');
    expect((await get('/api/opt/1')).body.params).toEqual({ a: '1' });
    expect((await get('/api/files/a/b/c.txt')).body.params).toEqual({ rest: 'a/b/c.txt' });
    expect((await get('/api/sfx/ping')).body.fn).toBe('settingRoute');
    expect((await get('/api/hooked')).body).toEqual({ hooked: true });

    const logged = logs.find((l) => l.message === 'matched itemById');
    expect(logged).toMatchObject({ level: 'information', category: 'user', function: 'itemById', invocationId: byId.body.invocationId });
  });

  it('answers 404 in the classic error shape for unknown routes and other methods', async () => {
    for (const [method, path] of [['GET', '/api/nope'], ['POST', '/api/workspaces/w/items/1'], ['GET', '/workspaces/w/items/1']] as const) {
      const res = await request(`${host.url}${path}`, { method });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(await res.body.json()).toEqual({ error: { code: 'NotFound', message: expect.stringContaining(path), details: [{ code: 'ResourceNotFound', message: expect.stringContaining(path) }] } });
    }
  });

  it('passes JSON bodies and cookies, and applies HttpResponse defaults', async () => {
    const res = await request(`${host.url}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2]}' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['set-cookie']).toBe('session=a%20b; Path=/; HttpOnly');
    expect(await res.body.json()).toEqual({ received: { a: [1, 2] }, contentType: 'application/json' });

    const text = await request(`${host.url}/api/text`);
    expect(text.statusCode).toBe(202);
    expect(text.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(await text.body.text()).toBe('plain text');

    const empty = await request(`${host.url}/api/empty`);
    expect(empty.statusCode).toBe(200);
    expect(await empty.body.text()).toBe('');
  });

  it('answers 500 with the fixed body and logs the error without request data', async () => {
    const res = await request(`${host.url}/api/boom`, { headers: { 'x-secret': 's3cr3t-header' }, method: 'POST', body: 's3cr3t-body' });
    expect(res.statusCode).toBe(500);
    expect(await res.body.json()).toEqual({ error: { code: 'InternalError', message: 'An unexpected error occurred.', details: [{ code: 'InternalServerError', message: 'An unexpected error occurred.' }] } });
    const error = logs.find((l) => l.level === 'error' && l.function === 'boom');
    expect(error?.message).toMatch(/kaboom/);
    expect(error?.message).toMatch(/at /); // the stack
    const badJson = await request(`${host.url}/api/echo`, { method: 'POST', body: 's3cr3t-json' });
    expect(badJson.statusCode).toBe(500);
    await badJson.body.dump();
    expect(logs.some((l) => l.function === 'echo' && /SyntaxError: details withheld/.test(l.message))).toBe(true);
    expect(JSON.stringify(logs)).not.toMatch(/s3cr3t/);
    expect(logs.some((l) => l.level === 'warning' && l.message === 'about to fail')).toBe(true);
  });

  it('streams a 20 MB upload to the handler while the client is still sending', async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const total = 20 * 1024 * 1024;
    const expected = createHash('sha256');
    let handlerSawBytes: () => void = () => {};
    const seen = new Promise<void>((resolve) => (handlerSawBytes = resolve));
    fixture().onUploadChunk = () => handlerSawBytes();
    async function* body(): AsyncGenerator<Buffer> {
      for (let sent = 0; sent < total; sent += chunk.length) {
        expected.update(chunk);
        yield chunk;
        // Halfway, wait until the handler has read something: a host that buffered would hang here.
        if (sent === total / 2) await seen;
      }
    }
    const res = await request(`${host.url}/api/upload`, { method: 'PUT', body: body() });
    fixture().onUploadChunk = undefined;
    expect(res.statusCode).toBe(200);
    const result = (await res.body.json()) as { bytes: number; chunks: number; sha256: string };
    expect(result.bytes).toBe(total);
    expect(result.chunks).toBeGreaterThan(1);
    expect(result.sha256).toBe(expected.digest('hex'));
  });

  it('streams a response body from an async iterable', async () => {
    const res = await request(`${host.url}/api/download/5000000`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect((await res.body.arrayBuffer()).byteLength).toBe(5_000_000);
  });

  it('cuts the connection when a response stream fails after the headers went out', async () => {
    const res = await request(`${host.url}/api/broken-stream`);
    expect(res.statusCode).toBe(200);
    await expect(res.body.arrayBuffer()).rejects.toThrow();
    expect(logs.some((l) => l.level === 'error' && l.function === 'brokenStream' && /stream broke/.test(l.message))).toBe(true);
  });

  it('answers 413 for a declared or a streamed body over the limit', async () => {
    const declared = await rawStatus(`POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`, (write) => void write(Buffer.alloc(1024)));
    expect(declared).toBe('HTTP/1.1 413 Payload Too Large');
    const chunked = await rawStatus('POST /api/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', async (write) => {
      const piece = Buffer.alloc(1024 * 1024, 1);
      for (let i = 0; i < 26; i++) {
        if (!write(Buffer.from(`${piece.length.toString(16)}\r\n`))) await new Promise((r) => setImmediate(r));
        write(piece);
        write(Buffer.from('\r\n'));
      }
    });
    expect(chunked).toBe('HTTP/1.1 413 Payload Too Large');
  });

  it('keeps a connection serving when a handler gives up on a body it began to read', async () => {
    // One connection: the second request must be parsed after the first's unread rest is discarded.
    const client = new Client(host.url, { pipelining: 1, headersTimeout: 5_000, bodyTimeout: 5_000 });
    try {
      for (const chunked of [false, true]) {
        const big = Buffer.alloc(2_000_000, 120);
        const first = await client.request({ method: 'POST', path: '/api/first-chunk', body: chunked ? Readable.from([big]) : big });
        expect(first.statusCode).toBe(400);
        expect(((await first.body.json()) as { firstChunkBytes: number }).firstChunkBytes).toBeGreaterThan(0);
        const next = await client.request({ method: 'GET', path: '/api/workspaces/w/items/1' });
        expect(next.statusCode).toBe(200);
        await next.body.dump();
      }
    } finally {
      await client.close();
    }
  });

  it('survives a client that goes away after the answer, while the rest of its body was being discarded', async () => {
    for (const chunked of [false, true]) {
      await new Promise<void>((resolve) => {
        const socket = connect(host.port, '127.0.0.1', () => {
          const head = chunked ? 'Transfer-Encoding: chunked' : 'Content-Length: 2000000';
          socket.write(`POST /api/first-chunk HTTP/1.1\r\nHost: x\r\n${head}\r\n\r\n`);
          const piece = Buffer.alloc(100_000, 120);
          socket.write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
        });
        // The handler answered 400 after one chunk; the host discards the rest, and the client hangs up mid-body.
        socket.once('data', () => socket.destroy());
        socket.on('error', () => {});
        socket.on('close', () => resolve());
      });
    }
    const res = await request(`${host.url}/api/workspaces/w/items/1`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  });

  it('survives clients that go away mid-request and mid-response', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(host.port, '127.0.0.1', () => {
        socket.write('PUT /api/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n');
        setImmediate(() => socket.destroy());
      });
      socket.on('close', () => resolve());
    });
    await new Promise<void>((resolve) => {
      const socket = connect(host.port, '127.0.0.1', () => socket.write('GET /api/download/50000000 HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.once('data', () => socket.destroy());
      socket.on('close', () => resolve());
    });
    const res = await request(`${host.url}/api/workspaces/w/items/1`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect(logs.filter((l) => l.level === 'error' && !['boom', 'brokenStream', 'echo'].includes(l.function ?? ''))).toEqual([]);
  });

  it('runs timers on demand with the host arguments, and via the admin endpoint', async () => {
    await host.runTimer('tick');
    const run = fixture().timerRuns.at(-1)!;
    expect(run.functionName).toBe('tick');
    expect(run.timer).toMatchObject({ isPastDue: false, schedule: { adjustForDST: true } });
    expect(run.timer.scheduleStatus).toMatchObject({ last: expect.any(String), next: expect.any(String), lastUpdated: expect.any(String) });

    fixture().failNextTick = true;
    await expect(host.runTimer('tick')).rejects.toThrow('tick failed');
    expect(logs.some((l) => l.level === 'error' && l.function === 'tick' && /tick failed/.test(l.message))).toBe(true);
    await expect(host.runTimer('nope')).rejects.toThrow(/No timer/);

    const before = fixture().timerRuns.length;
    const res = await request(`${host.url}/admin/functions/tick`, { method: 'POST', body: '{}' });
    expect(res.statusCode).toBe(202);
    await res.body.dump();
    expect(fixture().timerRuns.length).toBe(before + 1);
  });
});
