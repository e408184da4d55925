import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { RrsExecuteQuery, RrsSwaggerRequest, RrsTableRequest, RRS_EXAMPLE_REQUEST } from '../../src/lib/contracts/rrs.js';
import { parseOrThrow, queryObject } from '../../src/lib/http/validation.js';
import { parseJsonBody, readBodyLimited } from '../../src/lib/http/body.js';
import { GatewayError } from '../../src/lib/errors.js';

function failure(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

const parseQuery = (qs: string) =>
  parseOrThrow(RrsExecuteQuery, queryObject(new URLSearchParams(qs)), { detailCode: 'InvalidQueryParameter', message: 'bad query' });
const parseTable = (body: unknown) => parseOrThrow(RrsTableRequest, body, { detailCode: 'RequestBodyInvalid', message: 'bad body' });

describe('RRS query', () => {
  it('accepts api-version 2.0 with details and format, case-insensitive names and values', () => {
    expect(parseQuery('api-version=2.0&details=TRUE&format=swagger')).toEqual({ 'api-version': '2.0', details: true, format: 'swagger' });
    expect(parseQuery('API-Version=2.0&Details=false')).toEqual({ 'api-version': '2.0', details: false });
  });
  it('names api-version when it is missing or wrong', () => {
    for (const qs of ['', 'api-version=1.0', 'details=true']) {
      const error = failure(() => parseQuery(qs));
      expect(error.status).toBe(400);
      expect(error.classCode).toBe('BadArgument');
      expect(error.details.map((d) => d.target)).toContain('api-version');
    }
  });
  it('names details and format when they are not allowed values', () => {
    expect(failure(() => parseQuery('api-version=2.0&details=yes')).details[0]?.target).toBe('details');
    expect(failure(() => parseQuery('api-version=2.0&format=xml')).details[0]?.target).toBe('format');
  });
});

describe('RRS body', () => {
  it('accepts the classic table example and a swagger body', () => {
    expect(parseTable(RRS_EXAMPLE_REQUEST)).toEqual(RRS_EXAMPLE_REQUEST);
    expect(RrsSwaggerRequest.safeParse({ Inputs: { input1: [{ Col2: 'x' }] }, GlobalParameters: {} }).success).toBe(true);
  });
  it('names the field that is wrong', () => {
    expect(failure(() => parseTable({})).details[0]?.target).toBe('Inputs');
    expect(failure(() => parseTable({ Inputs: {} })).details[0]?.target).toBe('Inputs');
    expect(failure(() => parseTable({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['a', 'b']] } } })).details[0]?.target)
      .toBe('Inputs.input1.Values[0]');
    expect(failure(() => parseTable({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [[{}]] } } })).details[0]?.target)
      .toBe('Inputs.input1.Values[0][0]');
    expect(failure(() => parseTable({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [] } }, GlobalParameters: { a: {} } })).details[0]?.target)
      .toBe('GlobalParameters.a');
  });
  it('rejects a table body sent with format=swagger and the other way round', () => {
    expect(RrsSwaggerRequest.safeParse(RRS_EXAMPLE_REQUEST).success).toBe(false);
    expect(RrsTableRequest.safeParse({ Inputs: { input1: [{ Col2: 'x' }] } }).success).toBe(false);
  });
});

describe('request body reading', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    new HttpRequest({ method: 'POST', url: 'http://localhost/x', body: { string: body }, headers });

  it('reads a body under the limit', async () => {
    expect((await readBodyLimited(post('{"a":1}'), 100)).toString()).toBe('{"a":1}');
  });
  it('answers 413 for a body over the limit, declared or not', async () => {
    await expect(readBodyLimited(post('x'.repeat(101)), 100)).rejects.toMatchObject({ status: 413, classCode: 'RequestEntityTooLarge', code: 'RequestBodyTooLarge' });
    await expect(readBodyLimited(post('x', { 'content-length': '5000' }), 100)).rejects.toMatchObject({ status: 413 });
  });
  it('answers 400 RequestBodyInvalid for empty or non-JSON bodies', () => {
    expect(failure(() => parseJsonBody(Buffer.from(''))).details[0]?.code).toBe('RequestBodyInvalid');
    expect(failure(() => parseJsonBody(Buffer.from('{"Inputs":'))).status).toBe(400);
  });
});
