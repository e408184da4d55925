// Runs one invocation the way the Node.js worker does: a real InvocationContext whose log calls reach
// the host logger, preInvocation/postInvocation hooks around the handler, log hooks on user logs.
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import azureFunctions from '@azure/functions';
import type { EffectiveFunctionOptions, InvocationContext as Context } from '@azure/functions';
import type { CoreShimState } from './core-shim.js';
import { levelRank } from './logger.js';
import type { BindingInfo, HostLogger, LogLevel, RegisteredFunction } from './types.js';

// A CommonJS bundle: its classes are only reachable through the default export under Node's ESM loader.
const { InvocationContext } = azureFunctions;

function effectiveOptions(fn: RegisteredFunction): EffectiveFunctionOptions {
  const options: EffectiveFunctionOptions = { trigger: { type: '', name: '' }, extraInputs: [], extraOutputs: [] };
  for (const [name, b] of Object.entries(fn.bindings)) {
    const binding = { ...b, type: String(b.type), name } as BindingInfo & { type: string; name: string };
    if (b === fn.triggerBinding) options.trigger = binding;
    else if (name === '$return') options.return = binding;
    else if (b.direction === 'in') options.extraInputs.push(binding);
    else if (b.direction === 'out') options.extraOutputs.push(binding);
  }
  return options;
}

export class Invoker {
  readonly #state: CoreShimState;
  readonly #logger: HostLogger;
  readonly #minRank: number;
  readonly #appHookData: Record<string, unknown>;
  readonly #options = new WeakMap<RegisteredFunction, EffectiveFunctionOptions>();

  constructor(state: CoreShimState, logger: HostLogger, minLevel: LogLevel, appHookData: Record<string, unknown>) {
    this.#state = state;
    this.#logger = logger;
    this.#minRank = levelRank(minLevel);
    this.#appHookData = appHookData;
  }

  createContext(fn: RegisteredFunction): Context {
    let options = this.#options.get(fn);
    if (!options) this.#options.set(fn, (options = effectiveOptions(fn)));
    const invocationId = randomUUID();
    const context: Context = new InvocationContext({
      invocationId,
      functionName: fn.name,
      options,
      logHandler: (level, ...args) => this.#userLog(level as LogLevel, args, context),
    });
    return context;
  }

  /** Calls the handler with `(input, context)`; rejects with what the handler (or a hook) threw. */
  async invoke(fn: RegisteredFunction, input: unknown, context: Context): Promise<unknown> {
    const { preInvocation, postInvocation } = this.#state.hooks;
    if (preInvocation.length === 0 && postInvocation.length === 0) return fn.handler(input, context);

    const hookData: Record<string, unknown> = {};
    const pre = { hookData, appHookData: this.#appHookData, invocationContext: context, inputs: [input], functionCallback: fn.handler };
    for (const hook of preInvocation) await hook(pre);
    let result: unknown;
    let error: unknown;
    try {
      result = await pre.functionCallback(...pre.inputs, context);
    } catch (err) {
      error = err ?? new Error('The function threw a null or undefined value.');
    }
    const post = { hookData, appHookData: this.#appHookData, invocationContext: context, inputs: pre.inputs, result, error };
    for (const hook of postInvocation) await hook(post);
    // A postInvocation hook may clear or replace the error, exactly as with the worker.
    if (post.error !== undefined && post.error !== null) throw post.error;
    return post.result;
  }

  #userLog(level: LogLevel, args: unknown[], context: Context): void {
    const logHooks = this.#state.hooks.log;
    if (levelRank(level) < this.#minRank && logHooks.length === 0) return;
    let message = args.length === 1 && typeof args[0] === 'string' ? args[0] : format(...args);
    if (logHooks.length > 0) {
      const hc: Record<string, unknown> = { hookData: {}, level, message, category: 'user', invocationContext: context };
      for (const hook of logHooks) void hook(hc);
      level = hc.level as LogLevel;
      message = String(hc.message);
      if (levelRank(level) < this.#minRank) return;
    }
    this.#logger({ level, category: 'user', function: context.functionName, invocationId: context.invocationId, message });
  }

  /** For the host's own lines about an invocation (e.g. an unhandled error). */
  systemLog(level: LogLevel, message: string, context?: Context): void {
    if (levelRank(level) < this.#minRank) return;
    this.#logger({ level, category: 'system', function: context?.functionName, invocationId: context?.invocationId, message });
  }
}
