import { HttpRequest, InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { extractSubscriptionKey } from '../../src/lib/auth/subscription-key.js';
import { hashKey, digestsEqual } from '../../src/lib/auth/subscription-key.js';
import { authenticate } from '../../src/lib/gateway/policies/authenticate.js';
import { GatewayError } from '../../src/lib/errors.js';
import type { GatewayContext } from '../../src/lib/gateway/context.js';

const req = (url: string, headers: Record<string, string> = {}) =>
  new HttpRequest({ method: 'POST', url: `http://localhost${url}`, headers });

describe('extractSubscriptionKey', () => {
  it('reads the APIM header', () => {
    expect(extractSubscriptionKey(req('/x', { 'Ocp-Apim-Subscription-Key': 'k1' }))).toBe('k1');
  });
  it('reads the subscription-key query parameter', () => {
    expect(extractSubscriptionKey(req('/x?subscription-key=k2'))).toBe('k2');
  });
  it('reads a classic client Bearer token, any case of "Bearer"', () => {
    expect(extractSubscriptionKey(req('/x', { Authorization: 'Bearer k3' }))).toBe('k3');
    expect(extractSubscriptionKey(req('/x', { Authorization: 'bearer   k4 ' }))).toBe('k4');
  });
  it('prefers the header over query and bearer', () => {
    expect(extractSubscriptionKey(req('/x?subscription-key=q', { 'Ocp-Apim-Subscription-Key': 'h', Authorization: 'Bearer b' }))).toBe('h');
  });
  it('finds nothing in other authorization schemes or empty values', () => {
    expect(extractSubscriptionKey(req('/x', { Authorization: 'Basic abc' }))).toBeUndefined();
    expect(extractSubscriptionKey(req('/x', { Authorization: 'Bearer ' }))).toBeUndefined();
    expect(extractSubscriptionKey(req('/x'))).toBeUndefined();
  });
});

describe('authenticate policy', () => {
  const demoKey = 'a-demo-key-that-is-long-enough';
  const verify = async (key: string) =>
    digestsEqual(hashKey(key), hashKey(demoKey))
      ? { subscriptionId: 'demo', subscriptionName: 'demo', productId: 'unlimited', state: 'active' as const }
      : undefined;
  const policy = authenticate({ verify });
  const ctxFor = (headers: Record<string, string>) =>
    ({ request: req('/x', headers), invocation: new InvocationContext() }) as unknown as GatewayContext;

  it('admits the demo key and names the caller', async () => {
    const ctx = ctxFor({ Authorization: `Bearer ${demoKey}` });
    let reached = false;
    await policy(ctx, async () => void (reached = true));
    expect(reached).toBe(true);
    expect(ctx.caller?.subscriptionId).toBe('demo');
  });

  it.each([
    ['missing key', {}],
    ['wrong key', { 'Ocp-Apim-Subscription-Key': 'wrong' }],
    ['key with a suffix', { 'Ocp-Apim-Subscription-Key': `${demoKey}x` }],
  ])('answers 401 ScoreRequestUnauthorized for a %s', async (_name, headers) => {
    const error = await policy(ctxFor(headers), async () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(401);
    expect((error as GatewayError).code).toBe('ScoreRequestUnauthorized');
  });

  it('does not reach the rest of the pipeline when refused', async () => {
    let reached = false;
    await policy(ctxFor({ Authorization: 'Bearer anything' }), async () => void (reached = true)).catch(() => undefined);
    expect(reached).toBe(false);
  });
});
