// What usage counts about a call: APIM's outcome classes for every status, the caller or "anonymous" for early
// refusals, bytes in and out, and a log line with ids and numbers only — never a key.
import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, NO_PRODUCT, callLogLine, classifyOutcome, describeCall, type FinishedCall } from '../../src/lib/usage/call-record.js';
import { gatewayHandler } from '../../src/lib/gateway/handler.js';
import { GatewayError } from '../../src/lib/errors.js';
import type { GatewayContext } from '../../src/lib/gateway/context.js';

describe('classifyOutcome', () => {
  it.each([
    [200, 'success'], [201, 'success'], [204, 'success'], [299, 'success'], [300, 'success'], [301, 'success'],
    [304, 'success'], [307, 'success'], [302, 'other'], [303, 'other'], [308, 'other'],
    [401, 'blocked'], [403, 'blocked'], [429, 'blocked'],
    [400, 'failed'], [500, 'failed'], [502, 'failed'], [503, 'failed'], [504, 'failed'], [599, 'failed'],
    [404, 'other'], [405, 'other'], [408, 'other'], [409, 'other'], [413, 'other'], [415, 'other'], [499, 'other'],
  ] as const)('%i → %s', (status, outcome) => {
    expect(classifyOutcome(status)).toBe(outcome);
  });
});

const KEY = 'k'.repeat(43);

function requestWith(headers: Record<string, string>, body?: string) {
  return new HttpRequest({ method: 'POST', url: 'http://facade/x', headers, params: { workspace: 'ws', service: 'svc' }, ...(body ? { body: { string: body } } : {}) });
}

describe('describeCall', () => {
  it('counts a call refused before any context as anonymous, with its request and answer sizes', () => {
    const call: FinishedCall = { operation: 'rrs.execute', requestId: 'r1', request: requestWith({ 'ocp-apim-subscription-key': KEY, 'content-length': '17' }), startedAt: 100 };
    const usage = describeCall(call, { status: 401, body: '{"error":"é"}' }, 112.5);
    expect(usage).toMatchObject({ subscriptionId: ANONYMOUS, productId: NO_PRODUCT, status: 401, outcome: 'blocked', latencyMs: 12.5, bytesIn: 17, bytesOut: 14, workspace: 'ws', backendMs: null });
  });

  it('takes the caller, product, backend time and a streamed body size from the context', () => {
    const request = requestWith({});
    const ctx = {
      caller: { subscriptionId: 'sub1', subscriptionName: 'app', productId: 'gold', state: 'active' },
      product: { id: 'gold' }, backendMs: 3.25, bytesIn: 4096, workspace: 'ws', service: 'svc',
    } as unknown as GatewayContext;
    const streamed: HttpResponseInit = { status: 200, body: new ReadableStream(), headers: { 'content-length': '2048' } };
    const usage = describeCall({ operation: 'bes.upload', requestId: 'r2', request, startedAt: 0, ctx }, streamed, 5);
    expect(usage).toMatchObject({ subscriptionId: 'sub1', productId: 'gold', outcome: 'success', backendMs: 3.25, bytesIn: 4096, bytesOut: 2048 });
  });

  it('logs one JSON line with the fields Application Insights queries need and no key', () => {
    const call: FinishedCall = { operation: 'rrs.execute', requestId: 'r3', request: requestWith({ authorization: `Bearer ${KEY}` }, '{"a":1}'), startedAt: 0 };
    const line = callLogLine(describeCall(call, { status: 200, body: Buffer.from('hello') }, 1.234));
    expect(line).not.toContain(KEY);
    expect(JSON.parse(line)).toEqual({
      event: 'gatewayCall', requestId: 'r3', subscriptionId: 'anonymous', productId: '(none)', operation: 'rrs.execute',
      workspace: 'ws', service: 'svc', status: 200, outcome: 'success', errorCode: null, backendKind: '(none)', latencyMs: 1.23, backendMs: null,
      gatewayMs: 1.23, bytesIn: 0, bytesOut: 5,
    });
  });
});

describe('gatewayHandler hands every answer to its observer', () => {
  it('success, policy refusal and a path refused before the pipeline', async () => {
    const seen: { status: number | undefined; subscriptionId: string }[] = [];
    const handler = gatewayHandler('rrs.execute', () => async (ctx) => {
      ctx.caller = { subscriptionId: 'sub9', subscriptionName: 's', productId: 'p', state: 'active' };
      if (ctx.request.headers.get('x-refuse')) throw new GatewayError('RateLimitExceeded', 'slow down');
      ctx.response = { status: 200, body: 'ok' };
    }, (call, response) => seen.push({ status: response.status, subscriptionId: describeCall(call, response, performance.now()).subscriptionId }));
    const call = (params: Record<string, string>, headers: Record<string, string> = {}) =>
      handler(new HttpRequest({ method: 'POST', url: 'http://facade/x', params, headers }), new InvocationContext());
    const answers = [await call({ workspace: 'ws', service: 'svc' }), await call({ workspace: 'ws', service: 'svc' }, { 'x-refuse': '1' }), await call({ workspace: 'no such/thing', service: 'svc' })];
    expect(answers.map((a) => a.status)).toEqual([200, 429, 404]);
    expect(seen).toEqual([{ status: 200, subscriptionId: 'sub9' }, { status: 429, subscriptionId: 'sub9' }, { status: 404, subscriptionId: 'anonymous' }]);
  });
});
