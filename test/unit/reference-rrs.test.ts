// The reference service's RRS validation and scoring (src/reference/rrs.ts), and its HTTP server in-process on
// loopback: routing, errors and limits that the spawned-process integration test does not cover.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { request } from 'undici';
import { ServiceError } from '../../src/reference/errors.js';
import { featureHash } from '../../src/reference/feature-hashing.js';
import { parseRrsQuery, parseRrsRequest, scoreRrs } from '../../src/reference/rrs.js';
import { createReferenceService, type ReferenceService } from '../../src/reference/server.js';

const table = (values: unknown[][], columns = ['Col2'], globals: unknown = {}) => ({
  Inputs: { input1: { ColumnNames: columns, Values: values } },
  GlobalParameters: globals,
});

function rejection(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ServiceError) return err;
    throw err;
  }
  throw new Error('expected a ServiceError');
}

describe('parseRrsQuery', () => {
  it('defaults details to true and reads format=swagger', () => {
    expect(parseRrsQuery({})).toEqual({ details: true, swagger: false });
    expect(parseRrsQuery({ details: 'FALSE', format: 'swagger' })).toEqual({ details: false, swagger: true });
    expect(parseRrsQuery({ details: 'True' })).toEqual({ details: true, swagger: false });
  });
  it('rejects other values naming the parameter', () => {
    expect(rejection(() => parseRrsQuery({ details: 'yes' })).details[0]?.target).toBe('details');
    expect(rejection(() => parseRrsQuery({ format: 'csv' })).details[0]?.target).toBe('format');
  });
});

describe('parseRrsRequest', () => {
  it('reads Col2 among other columns and coerces cells to text', () => {
    const body = table([['a', 'x y'], [1, 2.5], [true, false], [0, null]], ['Col1', 'Col2']);
    expect(parseRrsRequest(body, false)).toEqual({ texts: ['x y', '2.5', 'false', ''], bits: 3, ngrams: 2 });
  });
  it('reads swagger rows', () => {
    const body = { Inputs: { input1: [{ Col2: 'a b', Other: 1 }, { Col2: 7 }] } };
    expect(parseRrsRequest(body, true).texts).toEqual(['a b', '7']);
  });
  it('takes global parameters as numbers or numeric strings', () => {
    const got = parseRrsRequest(table([['a']], ['Col2'], { 'Hashing bitsize': '4', 'N-grams': 3 }), false);
    expect(got).toMatchObject({ bits: 4, ngrams: 3 });
    expect(parseRrsRequest({ ...table([['a']]), GlobalParameters: null }, false).bits).toBe(3);
  });
  it.each([
    ['not an object', 'x', 'RequestBodyInvalid', 'body'],
    ['no Inputs', { GlobalParameters: {} }, 'RequestBodyInvalid', 'Inputs'],
    ['unknown input name', { Inputs: { input2: {} } }, 'InvalidInputNames', 'Inputs.input2'],
    ['no inputs at all', { Inputs: {} }, 'InvalidInputNames', 'Inputs.input1'],
    ['Values not rows', { Inputs: { input1: { ColumnNames: ['Col2'], Values: ['a'] } } }, 'RequestBodyInvalid', 'Inputs.input1.Values[0]'],
    ['object cell', table([[{}]]), 'RequestBodyInvalid', 'Inputs.input1.Values[0][0]'],
    ['no Col2', table([['a']], ['Col1']), 'InputParseError', 'Inputs.input1.Col2'],
    ['short row', table([['a'], []]), 'InputParseError', 'Inputs.input1.Values[1]'],
    ['long row', table([['a', 'b']]), 'InputParseError', 'Inputs.input1.Values[0]'],
    ['bitsize 0', table([['a']], ['Col2'], { 'Hashing bitsize': 0 }), 'InvalidGlobalParameter', 'GlobalParameters.Hashing bitsize'],
    ['bitsize 17', table([['a']], ['Col2'], { 'Hashing bitsize': '17' }), 'InvalidGlobalParameter', 'GlobalParameters.Hashing bitsize'],
    ['bitsize 2.5', table([['a']], ['Col2'], { 'Hashing bitsize': 2.5 }), 'InvalidGlobalParameter', 'GlobalParameters.Hashing bitsize'],
    ['N-grams text', table([['a']], ['Col2'], { 'N-grams': 'two' }), 'InvalidGlobalParameter', 'GlobalParameters.N-grams'],
    ['N-grams 11', table([['a']], ['Col2'], { 'N-grams': 11 }), 'InvalidGlobalParameter', 'GlobalParameters.N-grams'],
    ['unknown parameter', table([['a']], ['Col2'], { Seed: 1 }), 'InvalidGlobalParameter', 'GlobalParameters.Seed'],
  ])('rejects %s as a 400 naming the field', (_name, body, code, target) => {
    const err = rejection(() => parseRrsRequest(body, false));
    expect(err.status).toBe(400);
    expect(err.classCode).toBe('BadArgument');
    expect(err.details).toContainEqual(expect.objectContaining({ code, target }));
  });
  it('rejects swagger rows without Col2, naming the row', () => {
    const err = rejection(() => parseRrsRequest({ Inputs: { input1: [{ Col2: 'a' }, { Col1: 'b' }] } }, true));
    expect(err.details).toContainEqual(expect.objectContaining({ code: 'InputParseError', target: 'Inputs.input1[1].Col2' }));
    expect(rejection(() => parseRrsRequest(table([['a']]), true)).details[0]?.target).toBe('Inputs.input1');
  });
});

describe('scoreRrs', () => {
  const request = { texts: ['This is a good day', ''], bits: 3, ngrams: 2 };
  it('builds the classic table output with string values', () => {
    const body = scoreRrs(request, { details: true, swagger: false }, performance.now()) as any;
    const value = body.Results.output1.value;
    expect(body.Results.output1.type).toBe('table');
    expect(value.ColumnNames).toEqual(['Col2', ...Array.from({ length: 8 }, (_, i) => `Col2_HashingFeature.${i}`)]);
    expect(value.ColumnTypes).toEqual(['String', ...Array<string>(8).fill('Int32')]);
    expect(value.Values[0]).toEqual(['This is a good day', ...featureHash('This is a good day').map(String)]);
    expect(value.Values[1]).toEqual(['', '0', '0', '0', '0', '0', '0', '0', '0']);
    expect(body).toMatchObject({ ContainerAllocationDurationMs: 0, IsWarmContainer: true });
    expect(Number.isInteger(body.ExecutionDurationMs)).toBe(true);
  });
  it('omits ColumnTypes with details=false and returns row objects for swagger', () => {
    const plain = scoreRrs(request, { details: false, swagger: false }, 0) as any;
    expect(plain.Results.output1.value).not.toHaveProperty('ColumnTypes');
    const swagger = scoreRrs({ ...request, bits: 1 }, { details: true, swagger: true }, 0) as any;
    expect(swagger.Results.output1[1]).toEqual({ Col2: '', 'Col2_HashingFeature.0': '0', 'Col2_HashingFeature.1': '0' });
  });
});

describe('reference server in-process', () => {
  let service: ReferenceService;
  let base: string;
  const auth = { authorization: 'Bearer unit-key', 'content-type': 'application/json' };
  const execute = '/workspaces/ref-workspace/services/feature-hashing/execute?api-version=2.0';

  beforeAll(async () => {
    service = createReferenceService({
      apiKey: 'unit-key',
      maxBodyBytes: 1024,
      routes: [{ method: 'GET', path: '/boom', handle: () => { throw new Error('kaboom'); } }],
    });
    base = await service.listen(0);
  });
  afterAll(() => service.close());

  async function call(path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Readable } = {}) {
    const res = await request(base + path, { method: (init.method ?? 'POST') as 'POST', headers: init.headers ?? auth, body: init.body });
    const json = (await res.body.json()) as any;
    expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return { status: res.statusCode, json, headers: res.headers };
  }

  it('answers RRS and matches the path case-insensitively', async () => {
    const res = await call(execute.replace('execute', 'Execute'), { body: JSON.stringify(table([['a b']])) });
    expect(res.status).toBe(200);
    expect(res.json.Results.output1.value.Values[0]).toEqual(['a b', ...featureHash('a b').map(String)]);
  });
  it.each([
    ['/nothing', 404, 'NotFound', 'ResourceNotFound'],
    ['/workspaces/ref-workspace/services/feature-hashing/nothing?api-version=2.0', 404, 'NotFound', 'ResourceNotFound'],
    ['/workspaces/other/services/feature-hashing/execute?api-version=2.0', 404, 'NotFound', 'WorkspaceNotFound'],
    ['/workspaces/ref-workspace/services/feature-hashing/execute?api-version=1.0', 400, 'BadArgument', 'InvalidApiVersion'],
    [`${execute}&details=maybe`, 400, 'BadArgument', 'InvalidQueryParameter'],
  ])('POST %s → %i %s/%s', async (path, status, code, detail) => {
    const res = await call(path, { body: JSON.stringify(table([['a']])) });
    expect([res.status, res.json.error.code, res.json.error.details[0].code]).toEqual([status, code, detail]);
  });
  it('answers 405 with Allow for a wrong method', async () => {
    const res = await call(execute, { method: 'GET' });
    expect([res.status, res.json.error.code, res.json.error.details[0].code, res.headers['allow']]).toEqual([405, 'MethodNotAllowed', 'MethodNotAllowed', 'POST']);
  });
  it('answers 413 to a chunked body without Content-Length once it passes the limit', async () => {
    async function* chunks() {
      for (let i = 0; i < 8; i++) yield Buffer.alloc(512, 0x20);
    }
    const res = await call(execute, { body: Readable.from(chunks()) });
    expect([res.status, res.json.error.code, res.json.error.details[0].code]).toEqual([413, 'RequestEntityTooLarge', 'RequestBodyTooLarge']);
  });
  it('answers 400 to an empty body and to a non-JSON body', async () => {
    for (const body of ['', '{"Inputs":']) {
      const res = await call(execute, { body });
      expect([res.status, res.json.error.details[0].code]).toEqual([400, 'RequestBodyInvalid']);
    }
  });
  it('turns an unexpected exception into a logged 500 InternalError', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await call('/workspaces/ref-workspace/services/feature-hashing/boom?api-version=2.0', { method: 'GET' });
      expect([res.status, res.json.error.code, res.json.error.details.length]).toEqual([500, 'InternalError', 1]);
      expect(log).toHaveBeenCalledOnce();
      expect(JSON.stringify(log.mock.calls)).not.toContain('unit-key');
    } finally {
      log.mockRestore();
    }
  });
});
