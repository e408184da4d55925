// Stand-in for `@azure/functions-core`, the module the Functions worker provides: with it installed,
// `app.http` / `app.timer` / hooks register for real instead of being skipped in "test mode".
import Module from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BindingInfo, FunctionHandler, HookCallback, HookName, LogLevel, RegisteredFunction } from './types.js';

export const CORE_MODULE_ID = '@azure/functions-core';

export interface CoreShimState {
  functions: RegisteredFunction[];
  hooks: Record<HookName, HookCallback[]>;
  programmingModel: unknown;
  /** Set once `@azure/functions` has required the shim: proof the app is not in test mode. */
  requested: boolean;
  /** Where the library's own log lines (workerSystemLog) go; the host points it at its logger. */
  systemLog: (level: LogLevel, message: string) => void;
}

interface ModuleInternals {
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
  _cache: Record<string, unknown>;
}

// One state per process, whichever copy of this file (src under vitest, dist under node) installs it.
const STATE_KEY = Symbol.for('ml-facade.functions-core-shim');
const HOOK_NAMES: readonly HookName[] = ['appStart', 'appTerminate', 'preInvocation', 'postInvocation', 'log'];

function disposable(list: unknown[], item: unknown): { dispose(): void } {
  return {
    dispose() {
      const i = list.indexOf(item);
      if (i >= 0) list.splice(i, 1);
    },
  };
}

function toRegistered(metadata: { name: string; bindings: Record<string, BindingInfo> }, handler: FunctionHandler): RegisteredFunction {
  const bindings = metadata.bindings;
  const triggerBinding = Object.values(bindings).find(
    (b) => b.direction === 'in' && typeof b.type === 'string' && b.type.toLowerCase().endsWith('trigger'),
  );
  if (!triggerBinding?.type) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
  const fn: RegisteredFunction = {
    name: metadata.name,
    trigger: triggerBinding.type.replace(/Trigger$/i, ''),
    triggerBinding,
    bindings,
    handler,
  };
  if (fn.trigger === 'http') {
    fn.route = typeof triggerBinding.route === 'string' ? triggerBinding.route : metadata.name;
    if (Array.isArray(triggerBinding.methods)) fn.methods = triggerBinding.methods.map((m) => String(m).toUpperCase());
    if (typeof triggerBinding.authLevel === 'string') fn.authLevel = triggerBinding.authLevel;
  } else if (fn.trigger === 'timer') {
    fn.schedule = String(triggerBinding.schedule ?? '');
    fn.runOnStartup = triggerBinding.runOnStartup === true;
    if (typeof triggerBinding.useMonitor === 'boolean') fn.useMonitor = triggerBinding.useMonitor;
  }
  return fn;
}

function createCoreApi(state: CoreShimState): Record<string, unknown> {
  return {
    version: '3.10.1',
    hostVersion: '4.1037.0',
    registerFunction(metadata: { name: string; bindings: Record<string, BindingInfo> }, handler: FunctionHandler) {
      // The real worker rejects duplicates too: a name identifies a function in logs and admin calls.
      if (state.functions.some((f) => f.name.toLowerCase() === metadata.name.toLowerCase())) {
        throw new Error(`A function with the name "${metadata.name}" has already been registered.`);
      }
      const fn = toRegistered(metadata, handler);
      state.functions.push(fn);
      return disposable(state.functions, fn);
    },
    registerHook(hookName: string, callback: HookCallback) {
      const list = state.hooks[hookName as HookName];
      if (!list) throw new RangeError(`Unrecognized hook "${hookName}"`);
      list.push(callback);
      return disposable(list, callback);
    },
    setProgrammingModel(model: unknown) {
      state.programmingModel = model;
    },
    getProgrammingModel() {
      return state.programmingModel;
    },
    // Its presence tells `app.setup({ enableHttpStream: true })` that the host supports streaming.
    log(level: LogLevel, _category: string, message: string) {
      state.systemLog(level, message);
    },
  };
}

/**
 * Makes `require('@azure/functions-core')` return the shim, for every later require in this process.
 * Idempotent. Must run before the app first calls `app.*` (the library caches a failed lookup forever).
 */
export function installCoreShim(): CoreShimState {
  const g = globalThis as Record<symbol, unknown>;
  const existing = g[STATE_KEY] as CoreShimState | undefined;
  if (existing) return existing;

  const state: CoreShimState = {
    functions: [],
    hooks: Object.fromEntries(HOOK_NAMES.map((h) => [h, []])) as unknown as Record<HookName, HookCallback[]>,
    programmingModel: undefined,
    requested: false,
    systemLog: () => {},
  };
  const api = createCoreApi(state);

  // A pre-loaded cache entry under a stable absolute name: Module._load finds it right after
  // resolution, so no file is read and no other loader internals are patched.
  const M = Module as unknown as ModuleInternals;
  const filename = fileURLToPath(new URL('./__azure-functions-core__.cjs', import.meta.url));
  const entry = new Module(filename);
  entry.filename = filename;
  entry.loaded = true;
  Object.defineProperty(entry, 'exports', {
    get() {
      state.requested = true;
      return api;
    },
    set() {},
  });
  M._cache[filename] = entry;

  const originalResolve = M._resolveFilename;
  M._resolveFilename = function resolveWithCoreShim(this: unknown, request: string, ...rest: unknown[]): string {
    if (request === CORE_MODULE_ID) return filename;
    return originalResolve.call(this, request, ...rest);
  };

  g[STATE_KEY] = state;
  return state;
}

