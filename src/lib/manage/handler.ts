// Wraps a management operation as an HTTP handler: admin key first (never anonymous), zod-validated input,
// JSON out, errors through the one mapper. Every /manage trigger is this wrapper around a small function.
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { requireAdmin } from '../auth/admin-key.js';
import { errorResponse, jsonResponse } from '../http/respond.js';
import { parseJsonBody, readBodyLimited } from '../http/body.js';
import { parseOrThrow } from '../http/validation.js';
import { getRuntime, type Runtime } from '../runtime.js';

export interface ManageResult {
  status: number;
  body?: unknown;
}

export type ManageOperation = (request: HttpRequest, rt: Runtime) => Promise<ManageResult>;

const MAX_MANAGE_BODY_BYTES = 64 * 1024;

export function manageHandler(operation: ManageOperation): HttpHandler {
  return async function handleManageCall(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const requestId = context.invocationId;
    try {
      const rt = getRuntime();
      await requireAdmin(request, rt.secrets, rt.settings.adminKeySecretName, rt.failedAuth);
      const result = await operation(request, rt);
      return jsonResponse(result.status, result.body, requestId, { 'cache-control': 'no-store' });
    } catch (error) {
      return errorResponse(error, requestId, context);
    }
  };
}

/** Reads and validates a JSON body; 400 naming the field otherwise. */
export async function readJson<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.infer<S>> {
  const body = parseJsonBody(await readBodyLimited(request, MAX_MANAGE_BODY_BYTES));
  return parseOrThrow(schema, body, { detailCode: 'RequestBodyInvalid', message: 'The request body is invalid.' });
}
