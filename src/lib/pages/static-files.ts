// Static files the pages need, served by the app itself (no CDN: the portal and dashboard work offline):
// Swagger UI's files from node_modules/swagger-ui-dist, Chart.js's UMD build, and the pages' own scripts.
// Only names found in those places are served, so a request can never reach another file.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { REQUEST_ID_HEADER } from '../http/respond.js';

export interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

const require = createRequire(import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

export function contentTypeOf(name: string): string | undefined {
  return CONTENT_TYPES[path.extname(name).toLowerCase()];
}

function fileRecord(body: Buffer, contentType: string): StaticFile {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** Name → absolute path of every servable file in a package folder (plain names only, known types only). */
function listFolder(dir: string, accept: (name: string) => boolean = () => true): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(dir)) {
    if (!/^[\w.-]+$/.test(name) || !contentTypeOf(name) || !accept(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isFile()) files.set(name, full);
  }
  return files;
}

export function swaggerUiFolder(): string {
  // absolute-path.js is the package's own locator; requiring index.js would load the 1.7 MB bundle into Node.
  const getAbsoluteFSPath = require('swagger-ui-dist/absolute-path.js') as () => string;
  return getAbsoluteFSPath();
}

function chartJsFolder(): string {
  return path.dirname(require.resolve('chart.js')); // …/chart.js/dist (the CommonJS entry sits next to the UMD build)
}

/** A set of files served under one route: own files from strings, package files read once on first use. */
export class StaticFiles {
  readonly #own = new Map<string, StaticFile>();
  readonly #sources: (() => Map<string, string>)[] = [];
  #disk: Map<string, string> | undefined;
  readonly #loaded = new Map<string, StaticFile>();

  addText(name: string, text: string): this {
    const type = contentTypeOf(name);
    if (!type) throw new Error(`no content type for ${name}`);
    this.#own.set(name, fileRecord(Buffer.from(text, 'utf8'), type));
    return this;
  }

  addFolder(list: () => Map<string, string>): this {
    this.#sources.push(list);
    return this;
  }

  get(name: string): StaticFile | undefined {
    const own = this.#own.get(name);
    if (own) return own;
    const hit = this.#loaded.get(name);
    if (hit) return hit;
    this.#disk ??= new Map(this.#sources.flatMap((list) => [...list()]));
    const file = this.#disk.get(name);
    if (!file) return undefined;
    const record = fileRecord(readFileSync(file), contentTypeOf(name)!);
    this.#loaded.set(name, record);
    return record;
  }
}

// The package's sample page and its initializer point at the public petstore demo: not served.
const SWAGGER_SAMPLES = new Set(['index.html', 'swagger-initializer.js']);
export const swaggerUiFiles = (): Map<string, string> => listFolder(swaggerUiFolder(), (n) => !SWAGGER_SAMPLES.has(n));
export const chartJsFiles = (): Map<string, string> => listFolder(chartJsFolder(), (n) => n.startsWith('chart.umd'));

// Scripts come from this origin only; inline styles are allowed because Swagger UI and Chart.js set them.
export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** 200 with the file, 304 when the browser has it, or undefined when there is no such file. */
export function staticFileResponse(files: StaticFiles, name: string, request: HttpRequest, requestId: string): HttpResponseInit | undefined {
  const file = files.get(name);
  if (!file) return undefined;
  const headers = { etag: file.etag, 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff', [REQUEST_ID_HEADER]: requestId };
  if (request.headers.get('if-none-match') === file.etag) return { status: 304, headers };
  return { status: 200, body: file.body, headers: { ...headers, 'content-type': file.contentType } };
}

export function htmlResponse(html: string, requestId: string): HttpResponseInit {
  return {
    status: 200,
    body: html,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...PAGE_SECURITY_HEADERS, [REQUEST_ID_HEADER]: requestId },
  };
}
