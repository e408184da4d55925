// Fuzzing over real HTTP: hostile paths and queries, a sender with a deadline per request (counting answers by
// status; FUZZ_DEBUG=1 prints slow or unanswered ones, FUZZ_DEBUG=2 every request), and the property: 2xx or 4xx, never a 5xx, reset or hang;
// every 4xx in the classic error shape; an x-ms-request-id header on every answer.
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { Agent } from 'undici';
import { hostileString } from './fuzz.js';

/** FUZZ_RUNS=5000 for a long run; the in-suite default keeps a file well under a minute. */
export const runs = (inSuite: number): number => Number(process.env.FUZZ_RUNS) || inSuite;
export const REQUEST_TIMEOUT_MS = 10_000;
/** A test's own budget: every run may take a moment, shrinking a failure a few more. */
export const budget = (n: number, msPerRun = 150): number => 30_000 + n * msPerRun;

export interface FuzzRequest {
  method: string; path: string; query: string; headers: Record<string, string | string[]>; body?: Buffer;
  /** Sent with Transfer-Encoding: chunked, so no Content-Length tells the facade the size. */
  chunked?: boolean;
}
export interface FuzzAnswer { status: number; headers: Record<string, string | string[] | undefined>; text: string }

const agent = new Agent({ connections: 8, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });
export const tally = { sent: 0, startedAt: Date.now(), byStatus: {} as Record<string, number>, byOperation: {} as Record<string, Record<string, number>> };

function count(op: string, status: string): void {
  tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
  const o = (tally.byOperation[op] ??= {});
  o[status] = (o[status] ?? 0) + 1;
}

export async function send(origin: string, r: FuzzRequest, op = 'other'): Promise<FuzzAnswer> {
  tally.sent++;
  if (process.env.FUZZ_DEBUG === '2') console.log('DEBUG send', tally.sent, describeRequest(r));
  const slow = setTimeout(() => { if (process.env.FUZZ_DEBUG) console.log('DEBUG slow', describeRequest(r)); }, 2000);
  try { return await sendNow(origin, r, op); } finally { clearTimeout(slow); }
}

async function sendNow(origin: string, r: FuzzRequest, op: string): Promise<FuzzAnswer> {
  try {
    const res = await agent.request({
      origin, method: r.method, path: r.query ? `${r.path}?${r.query}` : r.path, headers: r.headers,
      body: r.chunked && r.body ? Readable.from([r.body]) : r.body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.body.text();
    count(op, String(res.statusCode));
    return { status: res.statusCode, headers: res.headers, text };
  } catch (error) {
    if (process.env.FUZZ_DEBUG) console.log('DEBUG error', (error as Error).message, describeRequest(r));
    const e = error as { name?: string; code?: string };
    count(op, `error:${e.name === 'TimeoutError' ? 'timeout' : e.code ?? e.name}`);
    throw error;
  }
}

/** What is wrong with an answer, or undefined. */
export function problemOf(a: FuzzAnswer): string | undefined {
  if (a.status < 200 || a.status >= 500 || (a.status >= 300 && a.status < 400)) return `status ${a.status}`;
  if (!a.headers['x-ms-request-id']) return 'no x-ms-request-id header';
  if (a.status < 400) return undefined;
  let body: any;
  try { body = JSON.parse(a.text); } catch { return 'a 4xx body that is not JSON'; }
  const e = body?.error;
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') return 'a 4xx body without error.code and error.message';
  {
    const ok = Array.isArray(e.details) && e.details.length > 0 && e.details.every((d: any) => typeof d?.code === 'string' && typeof d?.message === 'string' && (d.target === undefined || typeof d.target === 'string'));
    if (!ok) return 'error.details is not a non-empty [{code, target?, message}]';
  }
  return undefined;
}

const cut = (s: string, n = 240) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
export function describeRequest(r: FuzzRequest): string {
  const headers = Object.entries(r.headers).map(([k, v]) => `${k}: ${JSON.stringify(cut(String(v), 80))}`).join('; ');
  const body = r.body ? `${r.body.length} bytes${r.chunked ? ' chunked' : ''} ${JSON.stringify(cut(r.body.toString('latin1'), 200))}` : 'none';
  return `${r.method} ${cut(r.path + (r.query ? `?${r.query}` : ''), 300)}\n  headers ${headers}\n  body ${body}`;
}

/** Runs the property over `numRuns` generated requests; a failure names the (shrunk) request, not a 4 MB dump. */
export async function fuzz(op: string, origin: () => string, arb: fc.Arbitrary<FuzzRequest>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (r) => {
      let answer: FuzzAnswer;
      try {
        answer = await send(origin(), r, op);
      } catch (error) {
        throw new Error(`${op}: no answer (${(error as { code?: string }).code ?? (error as Error).message}) to\n${describeRequest(r)}`);
      }
      const problem = problemOf(answer);
      if (problem) throw new Error(`${op}: ${problem} for\n${describeRequest(r)}\n  answer ${answer.status} ${cut(answer.text, 400)}`);
    }),
    {
      numRuns,
      // FUZZ_SEED (and FUZZ_PATH) replay a failure the report names.
      ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH } : {}),
      reporter: (out) => {
        if (out.failed) throw new Error(`${op}: property failed after ${out.numRuns} runs (seed ${out.seed}, path "${out.counterexamplePath}"): ${(out.errorInstance as Error | undefined)?.message ?? ''}`);
      },
    },
  );
}

/** Percent-encodes anything but unreserved ASCII, lone surrogates included (as the bytes UTF-8 would give them). */
export function enc(s: string): string {
  let out = '';
  for (const ch of s) {
    if (/^[A-Za-z0-9\-._~]$/.test(ch)) { out += ch; continue; }
    const cp = ch.codePointAt(0)!;
    const bytes = cp < 0x80 ? [cp] : cp < 0x800 ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
      : cp < 0x10000 ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
        : [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)];
    out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

const ODD_SEGMENTS = ['.', '..', '%2e%2e', '%2E', '%2F', 'a%2Fb', '%00', '%', '%zz', '%E0%A4%A', '%FF', '~', '%20', '%C0%AE%C0%AE', 'a'.repeat(1000), 'b'.repeat(20_000)];
/** A path segment: its valid value, and what it may become: its case variant, odd text or encoded garbage. */
export interface Segment { valid: string; odd: fc.Arbitrary<string> }
export function segment(valid: string): Segment {
  return {
    valid: enc(valid),
    odd: fc.oneof(
      { weight: 1, arbitrary: fc.constant(enc(valid.toUpperCase())) },
      { weight: 3, arbitrary: hostileString.map(enc) },
      { weight: 3, arbitrary: fc.constantFrom(...ODD_SEGMENTS, `${enc(valid)}%00`, `${enc(valid)}%2F..`, `${enc(valid)}.`, '') },
    ),
  };
}

/** A path from literal and variable parts: mostly the valid one (so calls go deeper), else with odd segments or slashes. */
export function pathOf(parts: (string | Segment)[]): fc.Arbitrary<string> {
  const segs = parts.map((p) => (typeof p === 'string' ? { valid: p, odd: fc.constant(p.toUpperCase()) } : p));
  const valid = `/${segs.map((s) => s.valid).join('/')}`;
  const odd = fc.tuple(fc.tuple(...segs.map((s) => fc.oneof({ weight: 2, arbitrary: fc.constant(s.valid) }, { weight: 1, arbitrary: s.odd }))), fc.constantFrom('', '', '/', '//'))
    .map(([xs, tail]) => (tail === '//' ? `/${xs.join('//')}` : `/${xs.join('/')}${tail}`));
  return fc.oneof({ weight: 5, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: odd });
}

const ODD_QUERY_ITEMS = ['%', '%zz', '&&', '=', '==', 'a', '%00=%00', 'api-version', 'api-version=', '%E0%A4%A=1', `x=${'q'.repeat(9000)}`, 'subscription-key=', 'details', 'format=swagger'];
const ODD_API_VERSIONS = ['', '2', '2.0 ', ' 2.0', '1.0', '2.00', '2.0,2.0', '2.0%00', 'v2.0', '%32.0', 'a'.repeat(5000)];
type QueryOp = { kind: 'drop' } | { kind: 'upper' } | { kind: 'dup'; value: string } | { kind: 'value'; value: string } | { kind: 'raw'; item: string };
const queryOp: fc.Arbitrary<[number, QueryOp]> = fc.tuple(fc.nat(), fc.oneof(
  fc.constantFrom<QueryOp>({ kind: 'drop' }, { kind: 'upper' }),
  fc.oneof(hostileString.map(enc), fc.constantFrom(...ODD_API_VERSIONS).map((v) => v.replace(/ /g, '%20'))).chain((value) => fc.constantFrom<QueryOp>({ kind: 'dup', value }, { kind: 'value', value })),
  fc.oneof(fc.constantFrom(...ODD_QUERY_ITEMS), hostileString.map((s) => `${enc(s)}=${enc(s)}`)).map((item): QueryOp => ({ kind: 'raw', item })),
));

/** The valid query, usually intact, else with 1–3 changes: dropped, duplicated, re-cased, odd values, garbage. */
export function queryOf(valid: [string, string][]): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 2, arbitrary: fc.array(queryOp, { minLength: 1, maxLength: 3 }) }).map((ops) => {
    const items: string[] = valid.map(([k, v]) => `${k}=${enc(v)}`);
    for (const [at, op] of ops) {
      const i = items.length > 0 ? at % items.length : -1;
      if (op.kind === 'raw') items.splice(at % (items.length + 1), 0, op.item);
      else if (i < 0) continue;
      else if (op.kind === 'drop') items.splice(i, 1);
      else if (op.kind === 'upper') items[i] = items[i]!.replace(/^[^=]*/, (k) => k.toUpperCase());
      else if (op.kind === 'dup') items.splice(i + 1, 0, `${items[i]!.split('=')[0]}=${op.value}`);
      else items[i] = `${items[i]!.split('=')[0]}=${op.value}`;
    }
    return items.join('&');
  });
}
