// Where a caller's subscription key may be: APIM's header and query parameter, or the
// classic client's "Authorization: Bearer <key>", so unchanged classic clients work.
import type { HttpRequest } from '@azure/functions';
import { createHash, timingSafeEqual } from 'node:crypto';

export const SUBSCRIPTION_KEY_HEADER = 'ocp-apim-subscription-key';
export const SUBSCRIPTION_KEY_QUERY = 'subscription-key';

export function extractSubscriptionKey(request: HttpRequest): string | undefined {
  const header = request.headers.get(SUBSCRIPTION_KEY_HEADER);
  if (header) return header.trim();
  const query = request.query.get(SUBSCRIPTION_KEY_QUERY);
  if (query) return query.trim();
  const authorization = request.headers.get('authorization');
  if (authorization && /^bearer\s+/i.test(authorization)) {
    const token = authorization.replace(/^bearer\s+/i, '').trim();
    return token || undefined;
  }
  return undefined;
}

/** Keys are only ever held and compared as SHA-256 digests; equal-length digests compare in constant time. */
export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
