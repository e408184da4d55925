// Subscription and admin keys: 256 random bits, shown once, stored and compared only as SHA-256 digests.
import { randomBytes } from 'node:crypto';
import { hashKey } from './subscription-key.js';

export function newKey(): string {
  return randomBytes(32).toString('base64url');
}

export function keyHashHex(key: string): string {
  return hashKey(key).toString('hex');
}
