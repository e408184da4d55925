// Policy (terminal): RRS Execute. Validates query and body against the contract, injects the backend's
// API key from Key Vault, forwards, and passes the backend's answer through (a backend fault or garbage
// becomes a clear 502/504: see checkRrsAnswer). A backend 401 means the key was rotated: refresh it once
// from Key Vault and retry once; nothing else is retried (an Execute is not idempotent from here).
import { GatewayError } from '../../errors.js';
import { RrsExecuteQuery, RrsSwaggerRequest, RrsTableRequest } from '../../contracts/rrs.js';
import { parseJsonBody, readBodyLimited, withoutBom } from '../../http/body.js';
import { parseOrThrow, queryObject } from '../../http/validation.js';
import { REQUEST_ID_HEADER } from '../../http/respond.js';
import { MAX_SYNC_TIMEOUT_MS } from '../../settings.js';
import type { ClassicWebServiceClient } from '../../backends/classic-client.js';
import { withBackendKey, type BackendKeys } from '../../backends/with-backend-key.js';
import { checkRrsAnswer } from '../../backends/rrs-answer.js';
import type { Policy } from '../compose.js';

export type { BackendKeys };

export interface ForwardRrsOptions {
  maxRequestBytes: number;
  /** Rows one RRS call may score; more belongs to BES. */
  maxRows: number;
  defaultTimeoutMs: number;
  keys: BackendKeys;
  clientFor(baseUrl: string): ClassicWebServiceClient;
}

export function forwardRrs(options: ForwardRrsOptions): Policy {
  const { keys, maxRequestBytes, defaultTimeoutMs } = options;
  return async function forwardRrsPolicy(ctx, next) {
    const entry = ctx.entry;
    if (!entry) throw new Error('forwardRrs needs the route policy before it');
    const query = parseOrThrow(RrsExecuteQuery, queryObject(ctx.request.query), {
      detailCode: 'InvalidQueryParameter',
      message: 'The query string is invalid.',
    });
    // Inflated if it came gzip- or deflate-encoded, and without a byte-order mark: what the backend gets is plain JSON.
    const bytes = withoutBom(await readBodyLimited(ctx.request, maxRequestBytes));
    const body = parseOrThrow(query.format === 'swagger' ? RrsSwaggerRequest : RrsTableRequest, parseJsonBody(bytes), {
      detailCode: 'RequestBodyInvalid',
      message: 'The request body is invalid.',
    });
    checkRows(body.Inputs, options.maxRows);

    const { backend } = entry;
    const client = options.clientFor(backend.baseUrl);
    const call = {
      timeoutMs: Math.min(backend.timeoutMs ?? defaultTimeoutMs, MAX_SYNC_TIMEOUT_MS),
      details: query.details,
      swagger: query.format === 'swagger',
      requestId: ctx.requestId,
    };
    // The caller's bytes are forwarded: re-serialising would cost time and could change what the caller sent.
    const answer = await withBackendKey(keys, backend.apiKeySecretName, (key) =>
      client.execute(backend.workspace, backend.service, key, bytes, call),
    );
    ctx.backendMs = answer.elapsedMs;
    checkRrsAnswer(answer);
    ctx.response = {
      status: answer.status,
      body: answer.body,
      headers: {
        'content-type': answer.contentType ?? 'application/json; charset=utf-8',
        [REQUEST_ID_HEADER]: ctx.requestId,
      },
    };
    await next();
  };
}

function checkRows(inputs: Record<string, unknown[] | { Values: unknown[] }>, maxRows: number): void {
  for (const [name, input] of Object.entries(inputs)) {
    const rows = Array.isArray(input) ? input.length : input.Values.length;
    if (rows > maxRows) {
      throw new GatewayError('TooManyRows', `Too many rows for a request-response call: ${rows} (at most ${maxRows}); score large inputs with a batch job.`, {
        details: [{ code: 'TooManyRows', target: Array.isArray(input) ? `Inputs.${name}` : `Inputs.${name}.Values`, message: `at most ${maxRows} rows` }],
      });
    }
  }
}
