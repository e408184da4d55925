// The document's shared parts: the three places a subscription key may travel and the admin key
// as security schemes, and one error response per gateway status, all pointing at the one error schema.
import { GatewayError, classicErrorBody, type ErrorCode } from '../errors.js';
import { ClassicErrorSchema } from '../contracts/responses.js';
import { jsonSchema, type Json } from './schema.js';

export const DATA_PLANE_SECURITY: Json[] = [
  { subscriptionKeyHeader: [] },
  { subscriptionKeyQuery: [] },
  { subscriptionKeyBearer: [] },
];
export const ADMIN_SECURITY: Json[] = [{ adminKey: [] }];

const securitySchemes: Json = {
  subscriptionKeyHeader: {
    type: 'apiKey',
    in: 'header',
    name: 'Ocp-Apim-Subscription-Key',
    description: 'Your subscription key in a header (the API Management way). Enter it once here; every call uses it.',
  },
  subscriptionKeyQuery: { type: 'apiKey', in: 'query', name: 'subscription-key', description: 'Your subscription key in the query string.' },
  subscriptionKeyBearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'Your subscription key as `Authorization: Bearer <key>`, where classic Azure ML clients put their key.',
  },
  adminKey: { type: 'apiKey', in: 'header', name: 'x-admin-key', description: 'The facade\'s admin key (management API only).' },
};

/** Status → [component name, description, an example code]: the gateway's decisions. */
export const ERROR_RESPONSES: Record<number, [string, string, ErrorCode]> = {
  400: ['BadRequest', 'Bad body or query; `details[].target` names the field.', 'RequestBodyInvalid'],
  401: ['Unauthorized', 'No subscription key, or a wrong one.', 'ScoreRequestUnauthorized'],
  403: ['Forbidden', 'Subscription not active, operation or service outside the product, or quota used up (the message says when it renews).', 'QuotaExceeded'],
  404: ['NotFound', 'Unknown workspace, service or job (a job of another subscription is unknown too).', 'WebServiceNotFound'],
  413: ['PayloadTooLarge', 'The body is over the size limit (after decompression, for gzip or deflate bodies).', 'RequestBodyTooLarge'],
  429: ['TooManyRequests', 'Rate limit reached; retry after `Retry-After` seconds.', 'RateLimitExceeded'],
  502: ['BadGateway', 'The backend is unreachable or refuses the facade\'s key.', 'BackendUnreachable'],
  503: ['ServiceUnavailable', 'Key Vault or the facade\'s storage is unavailable.', 'StorageUnavailable'],
  504: ['GatewayTimeout', 'The backend did not answer in time.', 'BackendScoreTimeout'],
};

const requestIdHeader = { description: 'Identifies this call; quote it when reporting a problem.', schema: { type: 'string' } };

function errorResponse(status: number, description: string, code: ErrorCode): Json {
  const headers: Json = { 'x-ms-request-id': { $ref: '#/components/headers/RequestId' } };
  if (status === 429) headers['Retry-After'] = { description: 'Whole seconds until a call would pass.', schema: { type: 'integer' } };
  const example = classicErrorBody(new GatewayError(code, description.replace(/`/g, '')));
  return { description, headers, content: { 'application/json': { schema: { $ref: '#/components/schemas/ClassicError' }, example } } };
}

/** `$ref`s to the shared error responses for the given statuses. */
export function errorRefs(statuses: readonly number[]): Json {
  const out: Json = {};
  for (const status of statuses) {
    const entry = ERROR_RESPONSES[status];
    if (entry) out[String(status)] = { $ref: `#/components/responses/${entry[0]}` };
  }
  return out;
}

export function components(extraSchemas: Json): Json {
  const responses: Json = {};
  for (const [status, [name, description, code]] of Object.entries(ERROR_RESPONSES)) responses[name] = errorResponse(Number(status), description, code);
  return {
    securitySchemes,
    headers: { RequestId: requestIdHeader },
    responses,
    schemas: { ClassicError: jsonSchema(ClassicErrorSchema, 'output'), ...extraSchemas },
  };
}
