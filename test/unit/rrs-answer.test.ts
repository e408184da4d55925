// Which backend RRS answers reach the caller as sent and which become the facade's classic 502/504.
import { describe, expect, it } from 'vitest';
import { checkRrsAnswer } from '../../src/lib/backends/rrs-answer.js';

const answer = (status: number, body: string) => ({ status, contentType: 'application/json', body: Buffer.from(body), elapsedMs: 1 });
const verdict = (status: number, body: string) => {
  try {
    checkRrsAnswer(answer(status, body));
    return 'pass';
  } catch (error) {
    const e = error as { status: number; code: string; details: { code: string }[] };
    return `${e.status} ${e.code}${e.details.length ? ` ${e.details[0]!.code}` : ''}`;
  }
};

describe('checkRrsAnswer', () => {
  it.each([
    [200, '{"Results":{}}', 'pass'],
    [200, '  {"Results":{}}\n', 'pass'],
    [200, '<html>maintenance</html>', '502 BackendInvalidResponse'],
    [200, '{"Results":{"output1":', '502 BackendInvalidResponse'],
    [200, '', '502 BackendInvalidResponse'],
    [200, '[1,2]', '502 BackendInvalidResponse'],
    [400, '{"error":{"code":"InvalidInputNames"}}', 'pass'],
    [404, '{"error":{"code":"WebServiceNotFound","message":"no"}}', 'pass'],
    [404, '<html>404</html>', '502 BackendError'],
    [500, '{"error":{"code":"InternalError","message":"boom"}}', '502 BackendError InternalError'],
    [500, 'Internal Server Error', '502 BackendError'],
    [503, '{"error":{"code":"ServiceUnavailable","message":"busy"}}', '502 BackendError ServiceUnavailable'],
    [504, '', '504 BackendScoreTimeout'],
    [302, '', '502 BackendError'],
  ])('%i %s → %s', (status, body, expected) => {
    expect(verdict(status, body)).toBe(expected);
  });
});
