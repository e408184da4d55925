// The classic error shape, asserted the same way everywhere: the class code at the top, a non-empty
// `details` array, and for a code of the facade's own registry, its class at the top and itself in details.
import { expect } from 'vitest';
import { ERROR_CODES } from '../../../src/lib/errors.js';

/** `code` is either a specific code of ERROR_CODES (checked at both levels) or a class code (checked at the top). */
export function expectClassicBody(json: any, code?: string): void {
  expect(typeof json?.error?.code).toBe('string');
  expect(typeof json?.error?.message).toBe('string');
  expect(Array.isArray(json.error.details) && json.error.details.length > 0, JSON.stringify(json)).toBe(true);
  for (const detail of json.error.details) {
    expect(typeof detail.code).toBe('string');
    expect(typeof detail.message).toBe('string');
  }
  if (!code) return;
  if (code in ERROR_CODES) {
    expect([json.error.code, json.error.details[0].code]).toEqual([ERROR_CODES[code as keyof typeof ERROR_CODES].class, code]);
  } else {
    expect(json.error.code).toBe(code);
  }
}
