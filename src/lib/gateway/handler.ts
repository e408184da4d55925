// Turns a policy pipeline into an Azure Functions HTTP handler: builds the call's context from the request,
// runs the pipeline, and maps its result or error through the one error mapper. Every data-plane trigger
// is this function with another operation and pipeline. Its final answer, whatever it is, goes to the
// observer (the app's: usage and the per-call log line) before it is returned.
import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError } from '../errors.js';
import { PathSegment } from '../contracts/names.js';
import { errorCodeOf, errorResponse, jsonResponse } from '../http/respond.js';
import type { GatewayContext } from './context.js';
import type { Operation } from '../contracts/operations.js';
import type { CallObserver } from '../usage/call-record.js';

export type Pipeline = (ctx: GatewayContext) => Promise<void>;

export function gatewayHandler(operation: Operation, pipeline: () => Pipeline, observe: CallObserver = () => undefined): HttpHandler {
  let built: Pipeline | undefined;
  return async function handleGatewayCall(request: HttpRequest, invocation: InvocationContext): Promise<HttpResponseInit> {
    const startedAt = performance.now();
    const requestId = invocation.invocationId;
    let ctx: GatewayContext | undefined;
    let response: HttpResponseInit;
    let errorCode: string | undefined;
    try {
      const workspace = request.params.workspace ?? '';
      const service = request.params.service ?? '';
      // A name no catalogue entry could have cannot exist: 404, and it never reaches a storage query.
      if (!PathSegment.safeParse(workspace).success || !PathSegment.safeParse(service).success) {
        throw new GatewayError('WebServiceNotFound', 'No such workspace or web service.', { target: 'service' });
      }
      ctx = { requestId, operation, request, invocation, workspace, service, startedAt, responseHeaders: {} };
      built ??= pipeline();
      await built(ctx);
      response = withHeaders(ctx.response ?? jsonResponse(204, undefined, requestId), ctx.responseHeaders);
    } catch (error) {
      response = withHeaders(errorResponse(error, requestId, invocation), ctx?.responseHeaders);
      errorCode = errorCodeOf(error);
    }
    observe({ operation, requestId, request, invocation, startedAt, ctx, errorCode }, response);
    return response;
  };
}

function withHeaders(response: HttpResponseInit, extra: Record<string, string> | undefined): HttpResponseInit {
  if (!extra || Object.keys(extra).length === 0) return response;
  return { ...response, headers: { ...(response.headers as Record<string, string>), ...extra } };
}
