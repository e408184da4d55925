// Runs the gateway's policies in order, koa/hono style: each policy may act before and after the rest
// of the pipeline by awaiting next(). Adding a policy means writing one file and listing it once.
import type { GatewayContext } from './context.js';

export type Next = () => Promise<void>;
export type Policy = (ctx: GatewayContext, next: Next) => Promise<void>;

export function compose(policies: readonly Policy[]): (ctx: GatewayContext) => Promise<void> {
  for (const policy of policies) {
    if (typeof policy !== 'function') throw new TypeError('every policy must be a function');
  }
  return function pipeline(ctx: GatewayContext): Promise<void> {
    let lastIndex = -1;
    function dispatch(index: number): Promise<void> {
      if (index <= lastIndex) return Promise.reject(new Error('next() called more than once in one policy'));
      lastIndex = index;
      const policy = policies[index];
      if (!policy) return Promise.resolve();
      try {
        return policy(ctx, () => dispatch(index + 1));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return dispatch(0);
  };
}
