// The data-plane operations of the OpenAPI document (SPEC §2): RRS Execute, the BES job operations, input
// upload and SAS, result download. operationId is the name each trigger registers under (tests compare them).
import { z } from 'zod';
import { PathSegment } from '../contracts/catalogue.js';
import { RRS_EXAMPLE_REQUEST, RrsExecuteQuery, RrsSwaggerRequest, RrsTableRequest } from '../contracts/rrs.js';
import { BES_EXAMPLE_SUBMIT, BesJobListItem, BesListQuery, BesQuery, BesStatusResponse, BesSubmitRequest } from '../contracts/bes.js';
import { InputSasAnswer, InputUploadAnswer, InputUploadQuery, OutputName } from '../contracts/bes-inputs.js';
import { RRS_EXAMPLE_RESPONSE, RrsSwaggerResponse, RrsTableResponse } from '../contracts/responses.js';
import { DATA_PLANE_SECURITY, errorRefs } from './components.js';
import { jsonContent, jsonSchema, parametersOf, type Json } from './schema.js';

export interface ServiceExample {
  workspace: string;
  service: string;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const GATEWAY_ERRORS = [400, 401, 403, 404, 429, 502, 503, 504] as const;
const JOB_EXAMPLE_ID = '0f3c1b7e9d2a4c6e8f0a1b2c3d4e5f60';

export const DATA_PLANE_SCHEMAS = (): Json => ({
  RrsTableRequest: jsonSchema(RrsTableRequest, 'output'),
  RrsSwaggerRequest: jsonSchema(RrsSwaggerRequest, 'output'),
  RrsTableResponse: jsonSchema(RrsTableResponse, 'output'),
  RrsSwaggerResponse: jsonSchema(RrsSwaggerResponse, 'output'),
  BesSubmitRequest: jsonSchema(BesSubmitRequest, 'input'),
  BesStatusResponse: jsonSchema(BesStatusResponse, 'output'),
  BesJobListItem: jsonSchema(BesJobListItem, 'output'),
  InputUploadAnswer: jsonSchema(InputUploadAnswer, 'output'),
  InputSasAnswer: jsonSchema(InputSasAnswer, 'output'),
});

const RRS_SWAGGER_EXAMPLE = {
  Inputs: Object.fromEntries(
    Object.entries(RRS_EXAMPLE_REQUEST.Inputs).map(([name, t]) => [
      name,
      t.Values.map((row) => Object.fromEntries(t.ColumnNames.map((c, i) => [c, row[i]]))),
    ]),
  ),
  GlobalParameters: {},
};

function serviceParameters(example: ServiceExample | undefined, extra: Record<string, z.ZodType> = {}): Json[] {
  const shape = { workspace: PathSegment, service: PathSegment, ...extra };
  return parametersOf(z.object(shape), 'path', {
    examples: { ...example, jobId: JOB_EXAMPLE_ID, output: 'output1' },
    descriptions: { workspace: 'The workspace id, as in the classic URL.', service: 'The web service id.', jobId: 'The job id that submit returned.' },
  });
}

const apiVersion = { 'api-version': '2.0' };

function operation(id: string, tag: string, summary: string, parameters: Json[], responses: Json, extra: Json = {}, errors: readonly number[] = GATEWAY_ERRORS): Json {
  return { operationId: id, tags: [tag], summary, parameters, security: DATA_PLANE_SECURITY, responses: { ...responses, ...errorRefs(errors) }, ...extra };
}
const WITH_413 = [...GATEWAY_ERRORS, 413];

const ok = (description: string, content?: Json): Json => ({ 200: content ? { description, content } : { description } });

/** The anonymous service documents, as classic services published them: no key, no api-version. */
const serviceDocument = (id: string, summary: string, parameters: Json[]): Json => ({
  operationId: id,
  tags: ['Service documents'],
  summary,
  parameters,
  security: [],
  responses: { ...ok('A Swagger 2.0 document.', jsonContent({ type: 'object' })), ...errorRefs([404, 503]) },
});

/** Paths keyed by their URL template; `route` maps a trigger's route to the served one (URL suffix). */
export function dataPlanePaths(route: (r: string) => string, example?: ServiceExample): Record<string, Json> {
  const base = 'workspaces/{workspace}/services/{service}';
  const service = serviceParameters(example);
  const job = serviceParameters(example, { jobId: z.string().min(1) });
  const besQuery = parametersOf(BesQuery, 'query', { examples: apiVersion });
  const path = (r: string) => `/${route(`${base}${r}`)}`;

  const execute = operation('rrsExecute', 'RRS', 'Score rows now (request-response)', [
    ...service,
    ...parametersOf(RrsExecuteQuery, 'query', {
      examples: { ...apiVersion, details: 'true' },
      descriptions: { details: 'true: the answer includes ColumnTypes.', format: '"swagger": inputs and outputs are lists of row objects.' },
    }),
  ], ok('The scored rows; values are strings.', {
    'application/json': { schema: { anyOf: [ref('RrsTableResponse'), ref('RrsSwaggerResponse')] }, example: RRS_EXAMPLE_RESPONSE },
  }), {
    requestBody: {
      required: true,
      description: 'Classic "table" inputs; with format=swagger, lists of row objects.',
      content: {
        'application/json': {
          schema: { anyOf: [ref('RrsTableRequest'), ref('RrsSwaggerRequest')] },
          examples: {
            table: { summary: 'Table format', value: RRS_EXAMPLE_REQUEST },
            swagger: { summary: 'format=swagger', value: RRS_SWAGGER_EXAMPLE },
          },
        },
      },
    },
  }, WITH_413);

  const csv = { 'text/csv': { schema: { type: 'string' } } };
  return {
    [path('/execute')]: { post: execute },
    [path('/jobs')]: {
      post: operation('besSubmit', 'BES', 'Submit a batch job', [...service, ...besQuery], ok('The job id.', jsonContent({ type: 'string' }, JOB_EXAMPLE_ID)), {
        requestBody: { required: true, content: jsonContent(ref('BesSubmitRequest'), BES_EXAMPLE_SUBMIT) },
      }, WITH_413),
      get: operation('besList', 'BES', 'List your batch jobs, newest first', [...service, ...parametersOf(BesListQuery, 'query', {
        examples: apiVersion,
        descriptions: { $top: 'Jobs a page (at most 500).', $skiptoken: 'The x-ms-continuation header of the previous page, when it had one.' },
      })], { 200: { description: 'Your jobs on this service; x-ms-continuation announces a further page.', headers: { 'x-ms-continuation': { description: 'Give it as $skiptoken for the next page.', schema: { type: 'string' } } }, content: jsonContent({ type: 'array', items: ref('BesJobListItem') }) } }),
    },
    [path('/jobs/{jobId}/start')]: {
      post: operation('besStart', 'BES', 'Start a submitted job', [...job, ...besQuery], ok('Started (empty body).')),
    },
    [path('/jobs/{jobId}')]: {
      get: operation('besStatus', 'BES', 'Job status and results', [...job, ...besQuery], ok('The job status; results point at read-only SAS URLs.', jsonContent(ref('BesStatusResponse')))),
      delete: operation('besCancel', 'BES', 'Cancel a job', [...job, ...besQuery], ok('Cancelled (empty body).')),
    },
    [path('/jobs/{jobId}/results/{output}')]: {
      get: operation('besDownload', 'BES', 'Download a job output', [...serviceParameters(example, { jobId: z.string().min(1), output: OutputName }), ...besQuery], ok('The output file.', csv)),
    },
    [path('/inputs')]: {
      post: operation('besUploadInput', 'BES inputs', 'Upload a job input file (streamed)', [...service, ...parametersOf(InputUploadQuery, 'query', { examples: apiVersion })],
        { 201: { description: 'Stored; give RelativeLocation as the job input.', content: jsonContent(ref('InputUploadAnswer')) } },
        { requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' }, example: 'Col2\nThis is a good day\n' } } } }, WITH_413),
    },
    [path('/inputs/sas')]: {
      post: operation('besInputSas', 'BES inputs', 'Get a write-only SAS URL to upload a large input straight to storage',
        [...service, ...parametersOf(InputUploadQuery, 'query', { examples: apiVersion })], ok('PUT the file to SasUrl (x-ms-blob-type: BlockBlob) before ExpiresAt.', jsonContent(ref('InputSasAnswer')))),
    },
    [path('/swagger.json')]: { get: serviceDocument('serviceSwagger', 'The service\'s Swagger 2.0 document (its own input, output and parameter schemas)', service) },
    [path('/apidocument')]: { get: serviceDocument('serviceApiDocument', 'The service\'s API help document (the same Swagger 2.0 document), as client libraries read it', service) },
  };
}
