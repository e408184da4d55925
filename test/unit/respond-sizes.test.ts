// Two small edges a new user met: an answer with no body carries no JSON content type (BES start answered an empty
// body labelled application/json), and a size limit reads as people read it ("4 MiB", not "4194304 bytes").
import { describe, expect, it } from 'vitest';
import { jsonResponse } from '../../src/lib/http/respond.js';
import { sizeText } from '../../src/lib/http/body.js';

describe('jsonResponse', () => {
  it('labels a JSON body as JSON, and an empty answer not at all', () => {
    expect(jsonResponse(200, { a: 1 }, 'r1').headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': 'r1' });
    const empty = jsonResponse(200, undefined, 'r2');
    expect(empty.body).toBeUndefined();
    expect(empty.headers).toEqual({ 'x-ms-request-id': 'r2' });
  });
});

describe('sizeText', () => {
  it('says MiB and KiB when the limit is a whole number of them, else bytes', () => {
    expect(sizeText(4 * 1024 * 1024)).toBe('4 MiB');
    expect(sizeText(64 * 1024)).toBe('64 KiB');
    expect(sizeText(1000)).toBe('1000 bytes');
  });
});
