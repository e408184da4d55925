// Policy (terminal): RRS Execute. Validates query and body against the contract and has the entry's backend score
// them (its adapter injects its credentials and maps its answer to a classic one: a backend fault or garbage is a
// clear 502/504). Nothing is retried here: an Execute is not idempotent from here.
import { GatewayError } from '../../errors.js';
import { RrsExecuteQuery, RrsSwaggerRequest, RrsTableRequest } from '../../contracts/rrs.js';
import { parseJsonBody, readBodyLimited, withoutBom } from '../../http/body.js';
import { parseOrThrow, queryObject } from '../../http/validation.js';
import { REQUEST_ID_HEADER } from '../../http/respond.js';
import { MAX_SYNC_TIMEOUT_MS } from '../../settings/settings.js';
import type { BackendFor } from '../../backends/kinds.js';
import type { Policy } from '../compose.js';

export interface ForwardRrsOptions {
  maxRequestBytes: number;
  /** Rows one RRS call may score; more belongs to BES. */
  maxRows: number;
  defaultTimeoutMs: number;
  backends: BackendFor;
}

export function forwardRrs(options: ForwardRrsOptions): Policy {
  const { maxRequestBytes, defaultTimeoutMs } = options;
  return async function forwardRrsPolicy(ctx, next) {
    const entry = ctx.entry;
    if (!entry) throw new Error('forwardRrs needs the route policy before it');
    const query = parseOrThrow(RrsExecuteQuery, queryObject(ctx.request.query), {
      detailCode: 'InvalidQueryParameter',
      message: 'The query string is invalid.',
    });
    // Inflated if it came gzip- or deflate-encoded, and without a byte-order mark: what the backend gets is plain JSON.
    const bytes = withoutBom(await readBodyLimited(ctx.request, maxRequestBytes));
    const format = query.format === 'swagger' ? 'swagger' : 'table';
    const body = parseOrThrow(format === 'swagger' ? RrsSwaggerRequest : RrsTableRequest, parseJsonBody(bytes), {
      detailCode: 'RequestBodyInvalid',
      message: 'The request body is invalid.',
    });
    checkRows(body.Inputs, options.maxRows);

    const timeoutMs = Math.min(entry.backend.timeoutMs ?? defaultTimeoutMs, MAX_SYNC_TIMEOUT_MS);
    const answer = await options.backends(entry).score(entry, { body: bytes, parsed: body, format, details: query.details }, { timeoutMs, requestId: ctx.requestId });
    ctx.backendMs = answer.elapsedMs;
    ctx.errorCode = answer.errorCode;
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
