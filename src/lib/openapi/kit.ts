// The pieces an operation's OpenAPI entry is written with, in the operations table (src/lib/app/operations):
// parameters and bodies generated from the zod contracts the handlers validate with, responses, the security of
// each side. The table gives each entry its operationId (the function's name) and its path (the route).
import { z } from 'zod';
import { PathSegment } from '../contracts/names.js';
import { RRS_EXAMPLE_REQUEST, RrsExecuteQuery } from '../contracts/rrs.js';
import { BES_EXAMPLE_SUBMIT, BesListQuery, BesQuery } from '../contracts/bes.js';
import { InputUploadQuery, OutputName } from '../contracts/bes-inputs.js';
import { RRS_EXAMPLE_RESPONSE } from '../contracts/responses.js';
import { ProductId } from '../contracts/products.js';
import { RegenerateQuery } from '../contracts/subscriptions.js';
import { UsageQueryInput } from '../usage/usage-query.js';
import { CallsQueryInput, MyCallsQueryInput } from '../usage/request-log-query.js';
import { ADMIN_SECURITY, DATA_PLANE_SECURITY, errorRefs } from './components.js';
import { jsonContent, parametersOf, type Json } from './schema.js';

export type { Json };

/** Prefills the workspace and service parameters (e.g. the first catalogue entry), so try-it is ready to send. */
export interface ServiceExample {
  workspace: string;
  service: string;
}

const GATEWAY_ERRORS = [400, 401, 403, 404, 429, 502, 503, 504] as const;
const WITH_413 = [...GATEWAY_ERRORS, 413];
const MANAGE_ERRORS = [400, 401, 404, 503];
const JOB_EXAMPLE_ID = '0f3c1b7e9d2a4c6e8f0a1b2c3d4e5f60';
const apiVersion = { 'api-version': '2.0' };

/** The usage and request-log parameters: each filter an exact match, all given must match. */
const USAGE_PARAMETERS = {
  from: 'Inclusive. Default: an hour before `to`.',
  to: 'Exclusive. Default: now. At most 31 days after `from`.',
  subscription: 'A subscription id ("anonymous": calls without a valid key).',
  product: 'A product id ("(none)": calls without a valid key).',
  operation: 'e.g. rrs.execute, bes.submit, me.read.',
  service: '"workspace/service" of the catalogue entry the call reached; "(none)": calls that reached none.',
  backend: 'The backend kind (classic, azureml-online, azureml-batch, oip; "(none)").',
  status: 'The HTTP status answered (100–599).',
  outcome: 'success (≤ 301, 304, 307), blocked (401, 403, 429), failed (400, 5xx), other.',
  limit: 'Calls answered at most (1–500).',
  errorsOnly: 'true: only answers ≥ 400.',
};

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const list = (name: string): Json => ({ type: 'array', items: ref(name) });
const ok = (description: string, content?: Json): Json => ({ 200: content ? { description, content } : { description } });
const answer = (status: number, description: string, schema: Json): Json => ({ [status]: { description, content: jsonContent(schema) } });

const RRS_SWAGGER_EXAMPLE = {
  Inputs: Object.fromEntries(
    Object.entries(RRS_EXAMPLE_REQUEST.Inputs).map(([name, t]) => [name, t.Values.map((row) => Object.fromEntries(t.ColumnNames.map((c, i) => [c, row[i]])))]),
  ),
  GlobalParameters: {},
};

export function createKit(example?: ServiceExample) {
  const serviceParameters = (extra: Record<string, z.ZodType> = {}): Json[] =>
    parametersOf(z.object({ workspace: PathSegment, service: PathSegment, ...extra }), 'path', {
      examples: { ...example, jobId: JOB_EXAMPLE_ID, output: 'output1' },
      descriptions: { workspace: 'The workspace id, as in the classic URL.', service: 'The web service id.', jobId: 'The job id that submit returned.' },
    });
  const idParameter = (schema: z.ZodType) => parametersOf(z.object({ id: schema }), 'path');

  return {
    ref, list, ok, answer, json: jsonContent, jobExampleId: JOB_EXAMPLE_ID,
    params: {
      service: serviceParameters(),
      job: serviceParameters({ jobId: z.string().min(1) }),
      jobOutput: serviceParameters({ jobId: z.string().min(1), output: OutputName }),
      besQuery: parametersOf(BesQuery, 'query', { examples: apiVersion }),
      besListQuery: parametersOf(BesListQuery, 'query', {
        examples: apiVersion,
        descriptions: { $top: 'Jobs a page (at most 500).', $skiptoken: 'The x-ms-continuation header of the previous page, when it had one.' },
      }),
      rrsQuery: parametersOf(RrsExecuteQuery, 'query', {
        examples: { ...apiVersion, details: 'true' },
        descriptions: { details: 'true: the answer includes ColumnTypes.', format: '"swagger": inputs and outputs are lists of row objects.' },
      }),
      uploadQuery: parametersOf(InputUploadQuery, 'query', { examples: apiVersion }),
      productId: idParameter(ProductId),
      subscriptionId: idParameter(z.string().min(1)),
      catalogueEntry: parametersOf(z.object({ workspace: PathSegment, service: PathSegment }), 'path'),
      regenerateQuery: parametersOf(RegenerateQuery, 'query'),
      usageQuery: parametersOf(UsageQueryInput, 'query', { descriptions: { ...USAGE_PARAMETERS, groupBy: 'The dimension groups are made by.', interval: 'Series step in minutes.' } }),
      callsQuery: parametersOf(CallsQueryInput, 'query', { descriptions: USAGE_PARAMETERS }),
      myCallsQuery: parametersOf(MyCallsQueryInput, 'query', { descriptions: USAGE_PARAMETERS }),
    },
    bodies: {
      rrsExecute: {
        required: true,
        description: 'Classic "table" inputs; with format=swagger, lists of row objects.',
        content: {
          'application/json': {
            schema: { anyOf: [ref('RrsTableRequest'), ref('RrsSwaggerRequest')] },
            examples: { table: { summary: 'Table format', value: RRS_EXAMPLE_REQUEST }, swagger: { summary: 'format=swagger', value: RRS_SWAGGER_EXAMPLE } },
          },
        },
      } as Json,
      besSubmit: { required: true, content: jsonContent(ref('BesSubmitRequest'), BES_EXAMPLE_SUBMIT) } as Json,
      csvUpload: { required: true, content: { 'text/csv': { schema: { type: 'string' }, example: 'Col2\nThis is a good day\n' } } } as Json,
    },
    rrsAnswer: ok('The scored rows; values are strings.', {
      'application/json': { schema: { anyOf: [ref('RrsTableResponse'), ref('RrsSwaggerResponse')] }, example: RRS_EXAMPLE_RESPONSE },
    }),
    csv: { 'text/csv': { schema: { type: 'string' } } } as Json,

    /** A data-plane operation: subscription key, the gateway's error answers (and 413 where a body has a limit). */
    dataPlane(tag: string, summary: string, parameters: Json[], responses: Json, extra: Json = {}, options: { bodyLimit?: boolean } = {}): Json {
      const errors = options.bodyLimit ? WITH_413 : GATEWAY_ERRORS;
      return { tags: [tag], summary, parameters, security: DATA_PLANE_SECURITY, responses: { ...responses, ...errorRefs(errors) }, ...extra };
    },

    /** An anonymous service document, as classic services published them: no key, no api-version. */
    serviceDocument(summary: string): Json {
      return {
        tags: ['Service documents'], summary, parameters: serviceParameters(), security: [],
        responses: { ...ok('A Swagger 2.0 document.', jsonContent({ type: 'object' })), ...errorRefs([404, 503]) },
      };
    },

    /** A management operation: the admin key, JSON in and out. */
    manage(summary: string, parameters: Json[], responses: Json, body?: Json): Json {
      const operation: Json = { tags: ['Management'], summary, parameters, security: ADMIN_SECURITY, responses: { ...responses, ...errorRefs(MANAGE_ERRORS) } };
      if (body) operation.requestBody = { required: true, content: jsonContent(body) };
      return operation;
    },
  };
}

export type OpenApiKit = ReturnType<typeof createKit>;
