// The wire ↔ classic mappings of the translating adapters, one by one: classic columns read and coerced to declared
// types (missing columns, bad values and unknown parameters are 400s naming the field), the MLflow body and both of
// its answer shapes, a classic-format deployment's answer reshaped, OIP tensors (a [rows, k] tensor X becomes
// X.0 … X.k-1), every documented error status of both wires, and the catalogue configurations' validation.
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/lib/errors.js';
import { callerTable, classicAnswer, coerce, predictionColumns, typedColumns, typedParameters } from '../../src/lib/backends/columns.js';
import { clientRequestId, endpointError, mlflowBody, predictionsOf, reshapeClassicAnswer } from '../../src/lib/backends/azureml-online/wire.js';
import { inferBody, inferError, outputColumns } from '../../src/lib/backends/oip/wire.js';
import { AzureMlOnlineConfig } from '../../src/lib/backends/azureml-online/config.js';
import { OipConfig } from '../../src/lib/backends/oip/config.js';
import type { BackendAnswer } from '../../src/lib/backends/transport.js';

const table = (names: string[], values: unknown[][], globals: Record<string, string | number | boolean> | null = {}) =>
  ({ Inputs: { input1: { ColumnNames: names, Values: values } }, GlobalParameters: globals }) as any;

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): BackendAnswer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, contentType: 'application/json', headers, body: Buffer.from(text), elapsedMs: 1 };
}

describe('classic columns', () => {
  it('coerces values to the declared types as classic clients send them (numbers as strings, booleans as text)', () => {
    expect(coerce('5', 'integer')).toBe(5);
    expect(coerce(' -3 ', 'integer')).toBe(-3);
    expect(coerce(5.5, 'integer')).toBeUndefined();
    expect(coerce('5.5', 'integer')).toBeUndefined();
    expect(coerce('1e3', 'number')).toBe(1000);
    expect(coerce('', 'number')).toBeUndefined();
    expect(coerce('TRUE', 'boolean')).toBe(true);
    expect(coerce(1, 'boolean')).toBeUndefined();
    expect(coerce(12, 'string')).toBe('12');
    expect(coerce(null, 'string')).toBe('');
    expect(coerce(null, 'integer')).toBeNull();
  });

  it('reads the declared columns in declared order, from the table or the swagger format', () => {
    const fromTable = typedColumns(callerTable(table(['b', 'a'], [['1', 'x'], [2, 'y']]), 'input1'), { a: 'string', b: 'integer' }, 'input1');
    expect([...fromTable.entries()]).toEqual([['a', ['x', 'y']], ['b', [1, 2]]]);
    const swagger = { Inputs: { input1: [{ a: 'x', b: '1' }, { b: 2, a: 'y' }] } } as any;
    expect([...typedColumns(callerTable(swagger, 'input1'), { a: 'string', b: 'integer' }, 'input1').entries()]).toEqual([['a', ['x', 'y']], ['b', [1, 2]]]);
  });

  it('a missing column or a value of the wrong type is a 400 naming it (table and swagger targets)', () => {
    const missing = thrown(() => typedColumns(callerTable(table(['a'], [['x']]), 'input1'), { a: 'string', Col2: 'string' }, 'input1'));
    expect(missing.status).toBe(400);
    expect(missing.details).toEqual([{ code: 'InputParseError', target: 'Inputs.input1.Col2', message: "column 'Col2' is required" }]);
    const bad = thrown(() => typedColumns(callerTable(table(['n'], [['1'], ['two']]), 'input1'), { n: 'integer' }, 'input1'));
    expect(bad.details[0]).toMatchObject({ code: 'InputParseError', target: 'Inputs.input1.Values[1][0]' });
    const badSwagger = thrown(() => typedColumns(callerTable({ Inputs: { input1: [{ n: 1 }, { n: 'two' }] } } as any, 'input1'), { n: 'integer' }, 'input1'));
    expect(badSwagger.details[0]).toMatchObject({ target: 'Inputs.input1[1].n' });
  });

  it('refuses inputs other than the one the entry names, and requires it', () => {
    const error = thrown(() => callerTable({ Inputs: { other: { ColumnNames: ['a'], Values: [] } } } as any, 'input1'));
    expect(error.details.map((d) => d.target)).toEqual(['Inputs.other', 'Inputs.input1']);
  });

  it('passes only declared global parameters, typed; any other is a 400 naming it', () => {
    expect(typedParameters({ 'Hashing bitsize': '4' }, { 'Hashing bitsize': 'integer', 'N-grams': 'integer' })).toEqual({ 'Hashing bitsize': 4 });
    expect(typedParameters(null, {})).toEqual({});
    const unknown = thrown(() => typedParameters({ Colour: 'blue' }, { 'N-grams': 'integer' }));
    expect(unknown.details[0]).toMatchObject({ code: 'InvalidGlobalParameter', target: 'GlobalParameters.Colour' });
    expect(unknown.details[0]!.message).toContain("'N-grams'");
    const badType = thrown(() => typedParameters({ 'N-grams': 'many' }, { 'N-grams': 'integer' }));
    expect(badType.details[0]).toMatchObject({ target: 'GlobalParameters.N-grams', message: 'must be an integer' });
  });

  it('writes the classic answer: a table (ColumnTypes with details), or swagger records; values as strings', () => {
    const columns = [{ name: 'a', classicType: 'String', values: ['x', 'y'] }, { name: 'p', classicType: 'Int32', values: [1, null] }];
    expect(JSON.parse(classicAnswer('output1', columns, 2, 'table', true).toString())).toEqual({
      Results: { output1: { type: 'table', value: { ColumnNames: ['a', 'p'], ColumnTypes: ['String', 'Int32'], Values: [['x', '1'], ['y', null]] } } },
    });
    expect(JSON.parse(classicAnswer('output1', columns, 2, 'table', false).toString()).Results.output1.value).not.toHaveProperty('ColumnTypes');
    expect(JSON.parse(classicAnswer('out', columns, 2, 'swagger', true).toString())).toEqual({ Results: { out: [{ a: 'x', p: '1' }, { a: 'y', p: null }] } });
  });
});

describe('Azure ML online wire', () => {
  it('the MLflow body has all three keys of the split orientation, and params only when there are some', () => {
    const body = JSON.parse(mlflowBody(new Map([['Col2', ['a', 'b']], ['n', [1, 2]]]), 2, {}).toString());
    expect(body).toEqual({ input_data: { columns: ['Col2', 'n'], index: [0, 1], data: [['a', 1], ['b', 2]] } });
    expect(JSON.parse(mlflowBody(new Map([['Col2', ['a']]]), 1, { bits: 4 }).toString()).params).toEqual({ bits: 4 });
  });

  it('reads predictions from a bare array or from {"predictions": [...]}, and nothing else', () => {
    expect(predictionsOf([1, 2])).toEqual([1, 2]);
    expect(predictionsOf({ predictions: [[1], [2]] })).toEqual([[1], [2]]);
    expect(predictionsOf({ outputs: [1] })).toBeUndefined();
  });

  it('maps predictions to the declared columns: scalars, lists of k (name.0 … name.k-1), records, several columns', () => {
    const int = (name: string) => ({ name, type: 'integer' as const });
    expect(predictionColumns([1, 0], 2, [int('label')])).toEqual([{ name: 'label', classicType: 'Int32', values: [1, 0] }]);
    expect(predictionColumns([[1, 2, 3], [4, 5, 6]], 2, [int('f')]).map((c) => [c.name, c.values])).toEqual([['f.0', [1, 4]], ['f.1', [2, 5]], ['f.2', [3, 6]]]);
    expect(predictionColumns([{ label: 'a', p: 0.5 }], 1, [{ name: 'label', type: 'string' }, { name: 'p', type: 'number' }]).map((c) => [c.name, c.classicType, c.values])).toEqual([['label', 'String', ['a']], ['p', 'Double', [0.5]]]);
    expect(predictionColumns([['a', 0.5]], 1, [{ name: 'label', type: 'string' }, { name: 'p', type: 'number' }]).map((c) => c.values)).toEqual([['a'], [0.5]]);
  });

  it('a prediction count or shape that does not fit the rows is the backend\'s fault: 502', () => {
    expect(thrown(() => predictionColumns([1], 2, [{ name: 'x', type: 'integer' }])).status).toBe(502);
    expect(thrown(() => predictionColumns([[1, 2], [3]], 2, [{ name: 'x', type: 'integer' }])).code).toBe('BackendInvalidResponse');
    expect(thrown(() => predictionColumns([{ y: 1 }], 1, [{ name: 'x', type: 'integer' }])).status).toBe(502);
  });

  it('reshapes a classic-format deployment\'s answer to what the caller asked for', () => {
    const body = { Results: { output1: { type: 'table', value: { ColumnNames: ['a', 'b'], ColumnTypes: ['String', 'Int32'], Values: [['x', '1']] } } }, ExecutionDurationMs: 3 };
    expect(JSON.parse(reshapeClassicAnswer(body, 'swagger', true).toString())).toEqual({ Results: { output1: [{ a: 'x', b: '1' }] }, ExecutionDurationMs: 3 });
    expect(JSON.parse(reshapeClassicAnswer(body, 'table', false).toString()).Results.output1.value).toEqual({ ColumnNames: ['a', 'b'], Values: [['x', '1']] });
    const records = { Results: { output1: [{ a: 'x' }] } };
    expect(JSON.parse(reshapeClassicAnswer(records, 'table', true).toString()).Results.output1.value).toEqual({ ColumnNames: ['a'], ColumnTypes: ['String'], Values: [['x']] });
    expect(thrown(() => reshapeClassicAnswer({ predictions: [] }, 'table', true)).status).toBe(502);
  });

  it('sends the facade\'s request id as the client request id only when Azure ML takes it (alphanumerics, -, _, ≤ 40)', () => {
    expect(clientRequestId('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(clientRequestId('a'.repeat(41))).toBeUndefined();
    expect(clientRequestId('has space')).toBeUndefined();
  });

  it('maps every documented error status to the classic shape, the cause in details', () => {
    const timeout = endpointError(answer(408, { message: 'Request timed out' }));
    expect([timeout.status, timeout.code]).toEqual([504, 'BackendScoreTimeout']);
    expect(timeout.details.map((d) => d.code)).toEqual(['BackendScoreTimeout', 'AzureML408']);

    const crash = endpointError(answer(424, { message: 'x' }, { 'ms-azureml-model-error-statuscode': '500', 'ms-azureml-model-error-reason': 'Internal Server Error' }));
    expect([crash.status, crash.code]).toEqual([502, 'BackendModelError']);
    expect(crash.details[1]!.message).toBe('the model answered 500: Internal Server Error');

    const classicVerdict = { error: { code: 'BadArgument', message: 'Parsing failed.', details: [{ code: 'InputParseError', target: 'Inputs.input1.Col2', message: 'required' }] } };
    const passed = endpointError(answer(424, classicVerdict, { 'ms-azureml-model-error-statuscode': '400', 'ms-azureml-model-error-reason': 'BAD REQUEST' }));
    expect([passed.status, passed.classCode, passed.details[0]!.target]).toEqual([400, 'BadArgument', 'Inputs.input1.Col2']);
    const refused = endpointError(answer(424, 'not json', { 'ms-azureml-model-error-statuscode': '422', 'ms-azureml-model-error-reason': 'Unprocessable' }));
    expect([refused.status, refused.code]).toEqual([400, 'ModelRejectedInput']);

    const busy = endpointError(answer(429, { message: 'Too many pending requests' }));
    expect([busy.status, busy.code, busy.headers['Retry-After']]).toEqual([429, 'BackendBusy', '1']);
    expect(endpointError(answer(503, '', { 'retry-after': '7' })).headers['Retry-After']).toBe('7');

    const none = endpointError(answer(404, { message: 'No valid deployments to route to.' }));
    expect([none.status, none.details.map((d) => d.code)]).toEqual([502, ['BackendError', 'BackendDeploymentNotFound', 'AzureML404']]);
    const failed = endpointError(answer(500, 'oops\r\nsecond line'));
    expect([failed.status, failed.details[1]!.message]).toEqual([502, 'oops second line']);
  });
});

describe('Open Inference Protocol wire', () => {
  it('builds one tensor per input column, [rows] or [rows, 1] as the model\'s shape says, parameters only when given', () => {
    const inputs = [{ name: 'Col2', datatype: 'BYTES' as const, shape: [-1] }, { name: 'n', datatype: 'INT64' as const, shape: [-1, 1] }];
    const body = JSON.parse(inferBody(inputs, new Map<string, unknown[]>([['Col2', ['a', 'b']], ['n', [1, 2]]]), 2, {}).toString());
    expect(body).toEqual({ inputs: [{ name: 'Col2', shape: [2], datatype: 'BYTES', data: ['a', 'b'] }, { name: 'n', shape: [2, 1], datatype: 'INT64', data: [1, 2] }] });
    expect(JSON.parse(inferBody(inputs.slice(0, 1), new Map([['Col2', ['a']]]), 1, { 'N-grams': 2 }).toString()).parameters).toEqual({ 'N-grams': 2 });
  });

  it('reads output tensors as classic columns: [rows, k] → X.0 … X.k-1, [rows] and [rows, 1] → X; nested data is flattened', () => {
    const body = {
      model_name: 'm',
      outputs: [
        { name: 'X', shape: [2, 3], datatype: 'INT32', data: [1, 2, 3, 4, 5, 6] },
        { name: 'label', shape: [2], datatype: 'BYTES', data: ['a', 'b'] },
        { name: 'p', shape: [2, 1], datatype: 'FP64', data: [[0.5], [0.25]] },
        { name: 'big', shape: [2], datatype: 'INT64', data: [1, 2] },
      ],
    };
    expect(outputColumns(body, 2).map((c) => [c.name, c.classicType, c.values])).toEqual([
      ['X.0', 'Int32', [1, 4]], ['X.1', 'Int32', [2, 5]], ['X.2', 'Int32', [3, 6]],
      ['label', 'String', ['a', 'b']], ['p', 'Double', [0.5, 0.25]], ['big', 'Int64', [1, 2]],
    ]);
  });

  it('a tensor whose shape or data does not fit the rows is the backend\'s fault: 502', () => {
    expect(thrown(() => outputColumns({ outputs: [{ name: 'X', shape: [3, 2], datatype: 'INT32', data: [1, 2, 3, 4, 5, 6] }] }, 2)).status).toBe(502);
    expect(thrown(() => outputColumns({ outputs: [{ name: 'X', shape: [2, 2], datatype: 'INT32', data: [1, 2, 3] }] }, 2)).status).toBe(502);
    expect(thrown(() => outputColumns({ result: [] }, 1)).code).toBe('BackendInvalidResponse');
  });

  it('maps the server\'s errors: 400/422 the caller\'s (with the server\'s words), 429/503 retryable, 404 a missing model, 5xx 502', () => {
    const refused = inferError(answer(400, { error: "'N-grams' must be an integer from 1 to 10" }));
    expect([refused.status, refused.code, refused.details[0]!.message]).toEqual([400, 'ModelRejectedInput', "'N-grams' must be an integer from 1 to 10"]);
    expect(inferError(answer(422, { detail: [] })).status).toBe(400);
    const busy = inferError(answer(503, ''));
    expect([busy.status, busy.headers['Retry-After']]).toEqual([429, '1']);
    const missing = inferError(answer(404, { error: 'Model x not found' }));
    expect([missing.status, missing.details.map((d) => d.code)]).toEqual([502, ['BackendError', 'BackendModelNotFound', 'OIP404']]);
    expect(inferError(answer(504, '')).status).toBe(504);
    expect(inferError(answer(500, { error: 'boom' })).code).toBe('BackendError');
  });
});

describe('catalogue configurations of the new kinds', () => {
  const aml = { kind: 'azureml-online', baseUrl: 'https://e.westeurope.inference.ml.azure.com/score', auth: { mode: 'key', keySecretName: 'k' } };

  it('azureml-online: the mlflow format needs columns and predictions; echo must name columns; auth is key or aad_token', () => {
    const missing = AzureMlOnlineConfig.safeParse({ ...aml, requestFormat: 'mlflow' });
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['columns', 'predictions']);
    const echo = AzureMlOnlineConfig.safeParse({ ...aml, requestFormat: 'mlflow', columns: { a: 'string' }, predictions: [{ name: 'p', type: 'number' }], echo: ['b'] });
    expect(echo.error!.issues[0]!.path).toEqual(['echo', 0]);
    expect(AzureMlOnlineConfig.safeParse({ ...aml, requestFormat: 'classic' }).success).toBe(true);
    const token = AzureMlOnlineConfig.parse({ ...aml, requestFormat: 'classic', auth: { mode: 'aad_token' } });
    expect(token.auth).toEqual({ mode: 'aad_token', scope: 'https://ml.azure.com/.default' });
    expect(AzureMlOnlineConfig.safeParse({ ...aml, requestFormat: 'classic', auth: { mode: 'none' } }).success).toBe(false);
    expect(AzureMlOnlineConfig.safeParse({ ...aml, requestFormat: 'classic', deployment: 'bad name' }).success).toBe(false);
  });

  it('oip: a model name, an http(s) base URL; defaults for the input and output names', () => {
    expect(OipConfig.parse({ kind: 'oip', baseUrl: 'http://127.0.0.1:8080', model: 'm' })).toMatchObject({ input: 'input1', output: 'output1', params: {}, echo: [] });
    expect(OipConfig.safeParse({ kind: 'oip', baseUrl: 'ftp://x', model: 'm' }).success).toBe(false);
    expect(OipConfig.safeParse({ kind: 'oip', baseUrl: 'http://x', model: '../m' }).success).toBe(false);
  });
});
