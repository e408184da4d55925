// The classic error shape of every code the facade can emit: the class at the top, the specific code in a
// details array that is never empty, the status of the registry, and the request id header. Clients that
// parse classic errors (the azureml Python client reads details[0].message) depend on exactly this.
import { describe, expect, it } from 'vitest';
import type { InvocationContext } from '@azure/functions';
import { ERROR_CODES, GatewayError, type ErrorCode } from '../../src/lib/errors.js';
import { errorResponse } from '../../src/lib/http/respond.js';

const log = { error: () => undefined } as unknown as InvocationContext;
const body = (error: unknown) => {
  const answer = errorResponse(error, 'req-1', log);
  return { status: answer.status, headers: answer.headers as Record<string, string>, json: JSON.parse(String(answer.body)) };
};

/** The classes a status may carry; 400 has the classic "InvalidOperation" besides "BadArgument". */
const CLASSES: Record<number, string[]> = {
  400: ['BadArgument', 'InvalidOperation'],
  401: ['Unauthorized'],
  403: ['Forbidden'],
  404: ['NotFound'],
  408: ['RequestTimeout'],
  409: ['Conflict'],
  413: ['RequestEntityTooLarge'],
  415: ['UnsupportedMediaType'],
  429: ['TooManyRequests'],
  500: ['InternalError'],
  502: ['BadGateway'],
  503: ['ServiceUnavailable'],
  504: ['GatewayTimeout'],
};

describe('every code of the registry', () => {
  it.each(Object.keys(ERROR_CODES) as ErrorCode[])('%s: class at the top, itself in details, its status', (code) => {
    const { status, headers, json } = body(new GatewayError(code, `message of ${code}`));
    expect(status).toBe(ERROR_CODES[code].status);
    expect(CLASSES[status!]).toContain(json.error.code);
    expect(json.error.code).toBe(ERROR_CODES[code].class);
    expect(json).toEqual({ error: { code: ERROR_CODES[code].class, message: `message of ${code}`, details: [{ code, message: `message of ${code}` }] } });
    expect(headers['x-ms-request-id']).toBe('req-1');
  });

  it('names the field with target, and keeps several details when given', () => {
    expect(body(new GatewayError('MissingJobId', 'bad id', { target: 'jobId' })).json.error.details).toEqual([{ code: 'MissingJobId', target: 'jobId', message: 'bad id' }]);
    const many = [{ code: 'RequestBodyInvalid', target: 'Inputs.a', message: 'x' }, { code: 'RequestBodyInvalid', target: 'Inputs.b', message: 'y' }];
    expect(body(new GatewayError('RequestBodyInvalid', 'bad', { details: many })).json.error).toEqual({ code: 'BadArgument', message: 'bad', details: many });
  });

  it('a backend verdict keeps its status and code, and gets details when it had none', () => {
    const passed = body(new GatewayError({ status: 400, code: 'BadUserArgument' }, 'bad column'));
    expect(passed.status).toBe(400);
    expect(passed.json).toEqual({ error: { code: 'BadUserArgument', message: 'bad column', details: [{ code: 'BadUserArgument', message: 'bad column' }] } });
  });

  it('anything else is a 500 InternalError with details, quoting the request id, never the error text', () => {
    const { status, json } = body(new Error('secret text'));
    expect(status).toBe(500);
    expect(json.error.code).toBe('InternalError');
    expect(json.error.details).toEqual([{ code: 'InternalServerError', message: expect.stringContaining('req-1') }]);
    expect(JSON.stringify(json)).not.toContain('secret text');
  });
});
