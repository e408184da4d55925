// Helpers for BES tests: CSV inputs, parsing results, calling the facade's job API, polling until a job ends.
import { request } from 'undici';
import { CsvParser } from '../../../src/common/csv.js';
import { csvLine } from '../../../src/common/csv.js';
import { featureHash } from '../../../src/reference/feature-hashing.js';
import type { Stack } from '../../../src/local/stack/start-stack.js';
import { jsonOrUndefined } from './json.js';
import { pollUntil } from './wait.js';

export function sampleTexts(rows: number): string[] {
  const words = ['good', 'day', 'bad', 'Day', 'night,', '"quoted"', 'café', '日本語', '42', 'emoji🙂', 'a\nb'];
  return Array.from({ length: rows }, (_, i) => `${words[i % words.length]} row ${i} ${words[(i * 7) % words.length]}`);
}

export function csvOf(texts: string[]): string {
  return [csvLine(['Id', 'Col2']), ...texts.map((t, i) => csvLine([String(i), t]))].join('\r\n') + '\r\n';
}

export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()].map((r) => r.fields);
}

/** Every row of a result CSV equals the hashing of its input text. */
export function expectedRows(texts: string[]): string[][] {
  return texts.map((t) => [t, ...featureHash(t).map(String)]);
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export function jobsApi(stack: () => Stack, key: () => string, service?: string) {
  const base = () => `${stack().facadeUrl}/workspaces/${stack().demo.workspace}/services/${service ?? stack().demo.service}`;
  async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, contentType = 'application/json'): Promise<Answer> {
    const sep = path.includes('?') ? '&' : '?';
    const res = await request(`${base()}${path}${sep}api-version=2.0`, {
      method,
      headers: { 'ocp-apim-subscription-key': key(), 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.body.text();
    const json = jsonOrUndefined(text);
    return { status: res.statusCode, headers: res.headers, text, json };
  }
  return {
    call,
    upload: (csv: string, name = 'input.csv') => call('POST', `/inputs?name=${name}`, csv, 'text/csv'),
    submit: (body: unknown) => call('POST', '/jobs', body),
    start: (id: string) => call('POST', `/jobs/${id}/start`),
    status: (id: string) => call('GET', `/jobs/${id}`),
    cancel: (id: string) => call('DELETE', `/jobs/${id}`),
    list: () => call('GET', '/jobs'),
    download: (id: string, output = 'output1') => call('GET', `/jobs/${id}/results/${output}`),
    /** Polls the job until `done` says so (or it is not 200); on the deadline, the last answer, for the caller to judge. */
    waitFor: (id: string, done: (code: string) => boolean, timeoutMs = 30_000): Promise<Answer> =>
      pollUntil(() => call('GET', `/jobs/${id}`), (answer) => answer.status !== 200 || done(answer.json.StatusCode), timeoutMs),
  };
}
