// Which backend RRS answers reach the caller as sent and which become the facade's classic 502/504.
import { describe, expect, it } from 'vitest';
import { checkRrsAnswer } from '../../src/lib/backends/classic/wire.js';

const answer = (status: number, body: string) => ({ status, contentType: 'application/json', body: Buffer.from(body), elapsedMs: 1 });
const verdict = (status: number, body: string) => {
  try {
    checkRrsAnswer(answer(status, body));
    return 'pass';
  } catch (error) {
    const e = error as { status: number; classCode: string; details: { code: string }[] };
    return `${e.status} ${e.classCode} ${e.details.map((d) => d.code).join(',')}`;
  }
};

describe('checkRrsAnswer', () => {
  it.each([
    [200, '{"Results":{}}', 'pass'],
    [200, '  {"Results":{}}\n', 'pass'],
    [200, '<html>maintenance</html>', '502 BadGateway BackendInvalidResponse'],
    [200, '{"Results":{"output1":', '502 BadGateway BackendInvalidResponse'],
    [200, '', '502 BadGateway BackendInvalidResponse'],
    [200, '[1,2]', '502 BadGateway BackendInvalidResponse'],
    [400, '{"error":{"code":"InvalidInputNames"}}', '400 InvalidInputNames InvalidInputNames'],
    [400, '{"error":{"code":"BadArgument","message":"m","details":[{"code":"InvalidInputNames","message":"m"}]}}', 'pass'],
    [404, '{"error":{"code":"WebServiceNotFound","message":"no"}}', '404 WebServiceNotFound WebServiceNotFound'],
    [404, '<html>404</html>', '502 BadGateway BackendError'],
    [500, '{"error":{"code":"InternalError","message":"boom"}}', '502 BadGateway BackendError,InternalError'],
    [500, 'Internal Server Error', '502 BadGateway BackendError'],
    [503, '{"error":{"code":"ServiceUnavailable","message":"busy"}}', '502 BadGateway BackendError,ServiceUnavailable'],
    [504, '', '504 GatewayTimeout BackendScoreTimeout'],
    [302, '', '502 BadGateway BackendError'],
  ])('%i %s → %s', (status, body, expected) => {
    expect(verdict(status, body)).toBe(expected);
  });
});
