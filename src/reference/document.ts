// The reference service's Swagger 2.0 document, served anonymously at …/services/{svc}/swagger.json as the classic
// services published theirs: its execute and jobs operations, and the schemas of its input (input1: Col2), its
// output (output1: Col2 and the 2^bits hashing features, with the default bitsize) and its global parameters.
// Schema-discovery helpers read definitions.input1Item, definitions.output1Item and the ExecutionRequest example.
import { DEFAULT_BITS, DEFAULT_NGRAMS, MAX_BITS, MAX_NGRAMS } from './feature-hashing.js';
import { INPUT_NAME, OUTPUT_NAME, TEXT_COLUMN, outputHeader } from './rrs.js';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });
const classicType = (type: string): Json => (type === 'Int32' ? { type: 'integer', format: 'int32' } : { type: 'string', format: 'string' });

function columns(names: readonly string[], types: readonly string[]): Json {
  return { type: 'object', properties: Object.fromEntries(names.map((name, i) => [name, classicType(types[i]!)])) };
}

export function referenceDocument(host: string, basePath: string): Json {
  const output = outputHeader(DEFAULT_BITS);
  const jobId = { name: 'jobId', in: 'path', required: true, type: 'string', description: 'The job id submit returned.' };
  const errors = { default: { description: 'A classic error.', schema: ref('ErrorResponse') } };
  return {
    swagger: '2.0',
    info: { title: 'SimpleFeatureHashingExperiment', description: 'Feature Hashing of the text column Col2 (Vowpal Wabbit scheme).', version: '2.0' },
    host,
    basePath,
    schemes: ['http'],
    consumes: ['application/json'],
    produces: ['application/json'],
    securityDefinitions: { apiKey: { type: 'apiKey', name: 'Authorization', in: 'header', description: '"Bearer <API key>"' } },
    security: [{ apiKey: [] }],
    paths: {
      '/swagger.json': {
        get: { summary: 'This document.', operationId: 'getSwaggerDocument', security: [], responses: { 200: { description: 'The Swagger 2.0 document.', schema: { type: 'object' } } } },
      },
      '/execute?api-version=2.0&format=swagger': {
        post: {
          summary: 'Execute the web service and get a response synchronously.',
          operationId: 'execute',
          parameters: [{ name: 'body', in: 'body', required: true, schema: ref('ExecutionRequest') }],
          responses: { 200: { description: 'The scored rows.', schema: ref('ExecutionResponse') }, ...errors },
        },
      },
      '/jobs?api-version=2.0': {
        post: {
          summary: 'Submit a batch job.',
          operationId: 'submitBatchJob',
          parameters: [{ name: 'body', in: 'body', required: true, schema: ref('BatchExecutionRequest') }],
          responses: { 200: { description: 'The job id.', schema: { type: 'string' } }, ...errors },
        },
      },
      '/jobs/{jobId}/start?api-version=2.0': {
        post: { summary: 'Start a batch job.', operationId: 'startBatchJob', parameters: [jobId], responses: { 200: { description: 'Started.' }, ...errors } },
      },
      '/jobs/{jobId}?api-version=2.0': {
        get: { summary: 'The status of a batch job.', operationId: 'getBatchJobStatus', parameters: [jobId], responses: { 200: { description: 'The status.', schema: ref('BatchJobStatus') }, ...errors } },
        delete: { summary: 'Cancel a batch job.', operationId: 'cancelBatchJob', parameters: [jobId], responses: { 200: { description: 'Cancelled.' }, ...errors } },
      },
    },
    definitions: {
      ExecutionRequest: {
        type: 'object',
        required: ['Inputs'],
        properties: { Inputs: ref('ExecutionInputs'), GlobalParameters: ref('GlobalParameters') },
        example: { Inputs: { [INPUT_NAME]: [{ [TEXT_COLUMN]: 'This is a good day' }] }, GlobalParameters: {} },
      },
      ExecutionInputs: { type: 'object', properties: { [INPUT_NAME]: { type: 'array', items: ref(`${INPUT_NAME}Item`) } } },
      [`${INPUT_NAME}Item`]: columns([TEXT_COLUMN], ['String']),
      GlobalParameters: {
        type: 'object',
        properties: {
          'Hashing bitsize': { type: 'integer', format: 'int32', default: DEFAULT_BITS, minimum: 1, maximum: MAX_BITS, description: 'Features are 2^bitsize columns.' },
          'N-grams': { type: 'integer', format: 'int32', default: DEFAULT_NGRAMS, minimum: 1, maximum: MAX_NGRAMS, description: 'Longest n-gram hashed.' },
        },
      },
      ExecutionResponse: { type: 'object', properties: { Results: ref('ExecutionOutputs') } },
      ExecutionOutputs: { type: 'object', properties: { [OUTPUT_NAME]: { type: 'array', items: ref(`${OUTPUT_NAME}Item`) } } },
      [`${OUTPUT_NAME}Item`]: columns(output.names, output.types),
      BatchExecutionRequest: {
        type: 'object',
        properties: {
          Inputs: { type: 'object', additionalProperties: ref('BlobReference') },
          Outputs: { type: 'object', additionalProperties: ref('BlobReference') },
          GlobalParameters: ref('GlobalParameters'),
        },
      },
      BlobReference: {
        type: 'object',
        properties: { ConnectionString: { type: 'string' }, RelativeLocation: { type: 'string' }, BaseLocation: { type: 'string' }, SasBlobToken: { type: 'string' } },
      },
      BatchJobStatus: {
        type: 'object',
        properties: {
          StatusCode: { type: 'string', enum: ['NotStarted', 'Running', 'Failed', 'Cancelled', 'Finished'] },
          Results: { type: 'object', additionalProperties: ref('BlobReference') },
          Details: { type: 'string' },
        },
      },
      ErrorResponse: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: {
              code: { type: 'string' },
              message: { type: 'string' },
              details: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, target: { type: 'string' }, message: { type: 'string' } } } },
            },
          },
        },
      },
    },
  };
}
