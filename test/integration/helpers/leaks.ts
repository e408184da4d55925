// Secrets hygiene: calls that keep every answer (headers and body) under a label, and finders for where a secret
// shows up — in any form a log or an answer could carry it (as is, percent-encoded, percent-decoded).
import { request } from 'undici';
import { jsonOrUndefined } from './json.js';

export interface Captured { label: string; text: string }
export interface Reply { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any }

export class AnswerLog {
  readonly answers: Captured[] = [];

  async call(label: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
    const res = await request(url, { method: (init.method ?? 'GET') as 'GET', headers: init.headers, body: init.body, headersTimeout: 30_000, bodyTimeout: 30_000 });
    const text = await res.body.text();
    this.answers.push({ label, text: `${res.statusCode} ${JSON.stringify(res.headers)}\n${text}` });
    const json = jsonOrUndefined(text);
    return { status: res.statusCode, headers: res.headers, text, json };
  }

  /** Labels of the answers that carry `secret`. */
  labelsWith(secret: string): string[] {
    return [...new Set(this.answers.filter((a) => contains(a.text, secret)).map((a) => a.label))];
  }
}

function forms(secret: string): string[] {
  let decoded = secret;
  try {
    decoded = decodeURIComponent(secret);
  } catch {
    // not percent-encoded
  }
  return [...new Set([secret, encodeURIComponent(secret), decoded, encodeURIComponent(decoded)])];
}

export function contains(text: string, secret: string): boolean {
  return forms(secret).some((f) => text.includes(f));
}

/** The log lines that carry `secret`, shortened around it for a readable failure. */
export function linesWith(lines: readonly string[], secret: string): string[] {
  return lines.filter((l) => contains(l, secret)).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
}

/** Every SAS signature value in a text, as written there (usually percent-encoded). */
export function sigsIn(text: string): string[] {
  return [...text.matchAll(/[?&]sig=([^&"\s\\]+)/g)].map((m) => m[1]!);
}

export function accountKeyOf(connectionString: string): string {
  const key = /AccountKey=([^;]+)/i.exec(connectionString)?.[1];
  if (!key) throw new Error('the connection string has no AccountKey');
  return key;
}
