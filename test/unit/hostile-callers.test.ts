// Guards against hostile callers, as units: failed-auth throttling per address, which address counts,
// and which storage accounts a pass-through connection string may name.
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { FailedAuthLimiter } from '../../src/lib/auth/failed-auth-limiter.js';
import { clientAddress } from '../../src/lib/auth/client-address.js';
import { allowedStorageHosts, hostAllowed } from '../../src/lib/blobs/allowed-storage.js';

describe('FailedAuthLimiter', () => {
  it('refuses an address with 429 after maxFailures in a window, and forgives it when the window ends', () => {
    let now = 0;
    const limiter = new FailedAuthLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(() => limiter.check('10.0.0.1')).not.toThrow();
      limiter.recordFailure('10.0.0.1');
    }
    now = 15_000;
    expect(() => limiter.check('10.0.0.1')).toThrow(expect.objectContaining({ status: 429, code: 'TooManyFailedAuthentications', headers: { 'retry-after': '45' } }));
    expect(() => limiter.check('10.0.0.2')).not.toThrow();
    now = 60_000;
    expect(() => limiter.check('10.0.0.1')).not.toThrow();
  });

  it('remembers a bounded number of addresses', () => {
    const limiter = new FailedAuthLimiter({ maxFailures: 1, windowMs: 60_000, maxAddresses: 2 });
    limiter.recordFailure('a');
    limiter.recordFailure('b');
    limiter.recordFailure('c'); // evicts a
    expect(() => limiter.check('a')).not.toThrow();
    expect(() => limiter.check('c')).toThrow();
  });
});

describe('clientAddress', () => {
  const req = (xff?: string) => new HttpRequest({ method: 'GET', url: 'http://x/', headers: xff ? { 'x-forwarded-for': xff } : {} });
  it('takes the last X-Forwarded-For entry (the one the platform appended), without its port', () => {
    expect(clientAddress(req('1.2.3.4, 5.6.7.8:1234'))).toBe('5.6.7.8');
    expect(clientAddress(req('spoofed, 127.0.0.1'))).toBe('127.0.0.1');
    expect(clientAddress(req('[2001:db8::1]:443'))).toBe('2001:db8::1');
    expect(clientAddress(req('::1'))).toBe('::1');
    expect(clientAddress(req())).toBe('unknown');
  });
});

describe('pass-through storage accounts', () => {
  it('allows only configured patterns and the facade\'s own account', () => {
    const allowed = allowedStorageHosts('*.blob.core.windows.net', ['BlobEndpoint=http://127.0.0.1:4444/devstoreaccount1;AccountName=devstoreaccount1;AccountKey=a2V5', 'not a connection string']);
    expect(hostAllowed('acct.blob.core.windows.net', allowed)).toBe(true);
    expect(hostAllowed('127.0.0.1:4444', allowed)).toBe(true);
    expect(hostAllowed('127.0.0.1:5555', allowed)).toBe(false);
    expect(hostAllowed('evil.example.com', allowed)).toBe(false);
    expect(hostAllowed('blob.core.windows.net.evil.com', allowed)).toBe(false);
    expect(hostAllowed('.blob.core.windows.net', allowed)).toBe(false);
  });
});
