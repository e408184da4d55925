// The Swagger 2.0 document of one catalogued service, shaped as the classic services published theirs at
// …/services/{svc}/swagger.json (and as their API help document): the execute and jobs operations, path keys that
// carry the api-version (discovery helpers append them to the service URL as they are), and the service's own
// input, output and global-parameter schemas as definitions ("input1Item", "output1Item", "GlobalParameters").
import type { ColumnSpec, ServiceSchema, TableSpec } from '../contracts/service-schema.js';

type Json = Record<string, unknown>;

export interface DocumentTarget {
  workspace: string;
  service: string;
  /** host[:port] the caller reached the facade on. */
  host: string;
  scheme: 'http' | 'https';
  /** The URL suffix (URL_SUFFIX), if any. */
  suffix: string;
}

/** What a service is described as when neither its backend nor its catalogue entry says more. */
export const OPEN_SCHEMA: ServiceSchema = { inputs: { input1: { columns: {} } }, outputs: { output1: { columns: {} } } };

const ref = (name: string): Json => ({ $ref: `#/definitions/${name}` });

function column(spec: ColumnSpec): Json {
  const { type, format, enum: values, description, example } = spec;
  return { type, ...(format ? { format } : {}), ...(values ? { enum: values } : {}), ...(description ? { description } : {}), ...(example !== undefined ? { example } : {}) };
}

function table(spec: TableSpec): Json {
  const properties = Object.fromEntries(Object.entries(spec.columns).map(([name, c]) => [name, column(c)]));
  const open = Object.keys(properties).length === 0;
  return { type: 'object', ...(spec.description ? { description: spec.description } : {}), properties, ...(open ? { additionalProperties: true } : {}) };
}

function exampleValue(spec: ColumnSpec): unknown {
  if (spec.example !== undefined) return spec.example;
  if (spec.enum?.length) return spec.enum[0];
  return spec.type === 'string' ? 'value' : spec.type === 'boolean' ? false : 0;
}

function ports(tables: Record<string, TableSpec>, definitions: Json): Json {
  const properties: Json = {};
  for (const [name, spec] of Object.entries(tables)) {
    definitions[`${name}Item`] = table(spec);
    properties[name] = { type: 'array', items: ref(`${name}Item`) };
  }
  return { type: 'object', properties };
}

export function buildServiceDocument(schema: ServiceSchema, target: DocumentTarget): Json {
  const inputs = schema.inputs ?? OPEN_SCHEMA.inputs!;
  const outputs = schema.outputs ?? OPEN_SCHEMA.outputs!;
  const parameters = schema.globalParameters ?? {};
  const definitions: Json = {};
  const example = {
    Inputs: Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, [Object.fromEntries(Object.entries(t.columns).map(([c, spec]) => [c, exampleValue(spec)]))]])),
    GlobalParameters: {},
  };
  Object.assign(definitions, {
    ExecutionRequest: { type: 'object', required: ['Inputs'], properties: { Inputs: ref('ExecutionInputs'), GlobalParameters: ref('GlobalParameters') }, example },
    ExecutionInputs: ports(inputs, definitions),
    GlobalParameters: { type: 'object', properties: Object.fromEntries(Object.entries(parameters).map(([name, p]) => [name, { ...column(p), ...optional(p) }])) },
    ExecutionResponse: { type: 'object', properties: { Results: ref('ExecutionOutputs') } },
    ExecutionOutputs: ports(outputs, definitions),
    BatchExecutionRequest: {
      type: 'object',
      properties: {
        Inputs: { type: 'object', properties: Object.fromEntries(Object.keys(inputs).map((n) => [n, ref('BlobReference')])) },
        Outputs: { type: 'object', properties: Object.fromEntries(Object.keys(outputs).map((n) => [n, ref('BlobReference')])) },
        GlobalParameters: ref('GlobalParameters'),
      },
    },
    BlobReference: {
      type: 'object',
      properties: {
        ConnectionString: { type: 'string', description: 'A storage connection string (never returned by the service).' },
        RelativeLocation: { type: 'string', description: '/container/blob' },
        BaseLocation: { type: 'string' },
        SasBlobToken: { type: 'string' },
      },
    },
    BatchJobStatus: {
      type: 'object',
      properties: {
        StatusCode: { type: 'string', enum: ['NotStarted', 'Running', 'Failed', 'Cancelled', 'Finished'] },
        Results: { type: 'object', properties: Object.fromEntries(Object.keys(outputs).map((n) => [n, ref('BlobReference')])) },
        Details: { type: 'string' },
        CreatedAt: { type: 'string', format: 'date-time' },
        StartTime: { type: 'string', format: 'date-time' },
        EndTime: { type: 'string', format: 'date-time' },
      },
    },
    ErrorResponse: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: {
            code: { type: 'string', description: 'The error class, e.g. BadArgument, Unauthorized.' },
            message: { type: 'string' },
            details: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, target: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  });
  const errors = { default: { description: 'A classic error: the class in error.code, the specific code in error.details.', schema: ref('ErrorResponse') } };
  const jobId = { name: 'jobId', in: 'path', required: true, type: 'string', description: 'The job id submit returned.' };
  const body = (name: string) => [{ name: 'body', in: 'body', required: true, schema: ref(name) }];
  const suffix = target.suffix ? `/${target.suffix}` : '';
  return {
    swagger: '2.0',
    info: {
      title: schema.title ?? `${target.workspace}/${target.service}`,
      description: schema.description ?? `The ${target.service} web service, through ml-facade (the Azure ML Studio (classic) web-service API, api-version 2.0).`,
      version: '2.0',
    },
    host: target.host,
    basePath: `${suffix}/workspaces/${encodeURIComponent(target.workspace)}/services/${encodeURIComponent(target.service)}`,
    schemes: [target.scheme],
    consumes: ['application/json'],
    produces: ['application/json'],
    securityDefinitions: {
      subscriptionKey: { type: 'apiKey', in: 'header', name: 'Ocp-Apim-Subscription-Key', description: 'Your subscription key.' },
      bearer: { type: 'apiKey', in: 'header', name: 'Authorization', description: '"Bearer <subscription key>", where classic clients put their API key.' },
    },
    security: [{ subscriptionKey: [] }, { bearer: [] }],
    paths: {
      '/swagger.json': {
        get: { summary: 'This document.', operationId: 'getSwaggerDocument', security: [], responses: { 200: { description: 'The Swagger 2.0 document.', schema: { type: 'object' } } } },
      },
      '/execute?api-version=2.0&format=swagger': {
        post: { summary: 'Execute the web service and get a response synchronously.', operationId: 'execute', parameters: body('ExecutionRequest'), responses: { 200: { description: 'The scored rows.', schema: ref('ExecutionResponse') }, ...errors } },
      },
      '/jobs?api-version=2.0': {
        post: { summary: 'Submit a batch job.', operationId: 'submitBatchJob', parameters: body('BatchExecutionRequest'), responses: { 200: { description: 'The job id.', schema: { type: 'string' } }, ...errors } },
        get: { summary: 'Your batch jobs.', operationId: 'listBatchJobs', responses: { 200: { description: 'The jobs, newest first.', schema: { type: 'array', items: ref('BatchJobStatus') } }, ...errors } },
      },
      '/jobs/{jobId}/start?api-version=2.0': {
        post: { summary: 'Start a batch job.', operationId: 'startBatchJob', parameters: [jobId], responses: { 200: { description: 'Started.' }, ...errors } },
      },
      '/jobs/{jobId}?api-version=2.0': {
        get: { summary: 'The status of a batch job.', operationId: 'getBatchJobStatus', parameters: [jobId], responses: { 200: { description: 'The status.', schema: ref('BatchJobStatus') }, ...errors } },
        delete: { summary: 'Cancel a batch job.', operationId: 'cancelBatchJob', parameters: [jobId], responses: { 200: { description: 'Cancelled.' }, ...errors } },
      },
    },
    definitions,
  };
}

function optional(p: { default?: unknown; minimum?: number; maximum?: number }): Json {
  return { ...(p.default !== undefined ? { default: p.default } : {}), ...(p.minimum !== undefined ? { minimum: p.minimum } : {}), ...(p.maximum !== undefined ? { maximum: p.maximum } : {}) };
}
