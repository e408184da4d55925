import { describe, expect, it } from 'vitest';
import { compose, type Policy } from '../../src/lib/gateway/compose.js';
import type { GatewayContext } from '../../src/lib/gateway/context.js';

const ctx = () => ({}) as GatewayContext;

describe('compose', () => {
  it('runs policies in order, each around the rest of the pipeline', async () => {
    const trace: string[] = [];
    const named = (name: string): Policy => async (_c, next) => {
      trace.push(`${name}:before`);
      await next();
      trace.push(`${name}:after`);
    };
    await compose([named('a'), named('b'), named('c')])(ctx());
    expect(trace).toEqual(['a:before', 'b:before', 'c:before', 'c:after', 'b:after', 'a:after']);
  });

  it('stops when a policy does not call next', async () => {
    const trace: string[] = [];
    await compose([
      async () => void trace.push('gate'),
      async () => void trace.push('never'),
    ])(ctx());
    expect(trace).toEqual(['gate']);
  });

  it('propagates a thrown error, sync or async, to the caller', async () => {
    await expect(compose([async () => { throw new Error('async'); }])(ctx())).rejects.toThrow('async');
    const syncThrow = (() => { throw new Error('sync'); }) as unknown as Policy;
    await expect(compose([syncThrow])(ctx())).rejects.toThrow('sync');
  });

  it('rejects a policy calling next twice', async () => {
    await expect(compose([async (_c, next) => { await next(); await next(); }])(ctx())).rejects.toThrow(/more than once/);
  });
});
