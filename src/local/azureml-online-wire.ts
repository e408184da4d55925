// Helpers of the Azure ML online endpoint STAND-IN (azureml-online-standin.ts): checking its settings, the shape of
// its answers, and reading bodies. Nothing here talks to Azure.

import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

/** A deployment behind the endpoint: the base URL of its inference server and its share of the traffic (0–100). */
export interface DeploymentTarget {
  upstream: string;
  traffic?: number;
}

// Azure: a deployment name is 3–32 characters, starts with a letter, then letters, digits and '-'.
export const DEPLOYMENT_NAME_RE = /^[A-Za-z][A-Za-z0-9-]{2,31}$/;
const CLIENT_REQUEST_ID_RE = /^[A-Za-z0-9_-]{1,40}$/;
/** Managed online endpoints refuse bodies over 1.5 MB with 413. */
export const MAX_PAYLOAD_BYTES = 1.5 * 1024 * 1024;
/** request_settings.request_timeout_ms may be at most 180000 (3 minutes). */
export const MAX_REQUEST_TIMEOUT_MS = 180_000;

export class PayloadTooLargeError extends Error {}

/** Throws one clear line for a bad deployment table; returns the table with traffic filled in (default 0). */
export function checkDeployments(deployments: Record<string, DeploymentTarget>): Map<string, { upstream: string; traffic: number }> {
  const out = new Map<string, { upstream: string; traffic: number }>();
  for (const [name, d] of Object.entries(deployments)) {
    if (!DEPLOYMENT_NAME_RE.test(name)) throw new Error(`Deployment name '${name.slice(0, 40)}' must be 3-32 letters, digits or '-', starting with a letter`);
    let url: URL;
    try {
      url = new URL(d.upstream);
    } catch {
      throw new Error(`Deployment '${name}': upstream must be an http(s) URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Deployment '${name}': upstream must be an http(s) URL`);
    const traffic = d.traffic ?? 0;
    if (!Number.isInteger(traffic) || traffic < 0 || traffic > 100) throw new Error(`Deployment '${name}': traffic must be a whole number from 0 to 100`);
    out.set(name, { upstream: url.href.replace(/\/+$/, ''), traffic });
  }
  if (out.size === 0) throw new Error('At least one deployment is required');
  const total = [...out.values()].reduce((sum, d) => sum + d.traffic, 0);
  // As Azure: the traffic of an endpoint's deployments adds up to 100, or to 0 (no default route).
  if (total !== 0 && total !== 100) throw new Error(`Deployment traffic must add up to 100 (or 0 for none), got ${total}`);
  return out;
}

export function checkPositiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return value;
}

export function checkKeys(keys: readonly unknown[]): [string, string] {
  const [primary, secondary] = keys;
  if (keys.length !== 2 || typeof primary !== 'string' || typeof secondary !== 'string' || !primary || !secondary) {
    throw new Error('Keys must be two non-empty strings [primary, secondary]');
  }
  return [primary, secondary];
}

/** Constant time whatever the lengths: both sides are hashed first. */
export function secretEquals(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The caller's x-ms-client-request-id when it is well-formed (echoed back), else undefined (ignored). */
export function clientRequestId(req: IncomingMessage): string | undefined {
  const value = req.headers['x-ms-client-request-id'];
  return typeof value === 'string' && CLIENT_REQUEST_ID_RE.test(value) ? value : undefined;
}

/** ms-azureml-model-error-reason: the upstream's reason phrase, else the start of its body, on one header-safe line. */
export function modelErrorReason(status: number, statusText: string, body: Buffer): string {
  const clean = (s: string) => s.replace(/[\r\n]/g, '').replace(/[^\x20-\x7e]/g, '').trim();
  return clean(statusText) || clean(body.subarray(0, 800).toString('utf8')).slice(0, 200) || STATUS_CODES[status] || 'Model error';
}

export function reply(res: ServerResponse, status: number, body: Buffer | string, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
  res.end(payload);
}

export function message(text: string): string {
  return JSON.stringify({ message: text });
}

export async function readBody(req: IncomingMessage, limit = MAX_PAYLOAD_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new PayloadTooLargeError();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new PayloadTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
