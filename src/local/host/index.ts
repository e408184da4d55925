// Local Azure Functions host: loads the compiled app with the `@azure/functions-core` shim installed, so
// the app's own app.http / app.timer registrations are the one route table, and serves them over node:http.
//
//   const host = await startFunctionsHost({ port: 0, routePrefix: await readRoutePrefix(root),
//                                           appModules: await resolveAppModules(root) });
//   host.url; host.functions; await host.runTimer('jobPoller'); await host.close();
//
// One host per process: the registry is process-wide, as it is in the worker.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { installCoreShim } from './core-shim.js';
import { createRequestListener } from './http-dispatch.js';
import { answerMalformedRequest } from './http-response.js';
import { Invoker } from './invoker.js';
import { createJsonLogger, describeError, levelRank, parseLogLevel } from './logger.js';
import { parseSchedule } from './ncrontab.js';
import { joinRoutePrefix, Router, type RouteEntry } from './router.js';
import { resolveSettings } from './settings.js';
import { TimerScheduler, type TimerEntry } from './timers.js';
import type { FunctionInfo, HostLogger, LogLevel, RegisteredFunction } from './types.js';

export { resolveAppModules, readRoutePrefix, loadLocalSettings } from './app-loader.js';
export { installCoreShim } from './core-shim.js';
export { createJsonLogger } from './logger.js';
export type { FunctionInfo, HostLogger, LogLevel, LogRecord, RegisteredFunction } from './types.js';

export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

export interface FunctionsHostOptions {
  /** 0 picks a free port. */
  port: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** host.json extensions.http.routePrefix; default "api" like the real host. */
  routePrefix?: string;
  /** Absolute paths of the compiled app's entry files, imported in order. */
  appModules: readonly string[];
  /** App settings for `%NAME%` in routes and schedules and for host settings; default process.env. */
  env?: Record<string, string | undefined>;
  /** Default: JSON lines on stdout/stderr. */
  logger?: HostLogger;
  /** Lower levels are dropped; default AzureFunctionsJobHost__logging__logLevel__default or information. */
  logLevel?: LogLevel;
  /** Default FUNCTIONS_REQUEST_BODY_SIZE_LIMIT or 100 MiB; larger bodies get 413. */
  maxRequestBodyBytes?: number;
  /** false: timers never fire on their own (tests drive them with runTimer). Default true. */
  timers?: boolean;
  /** How long close() waits for requests in flight; default 10 s. */
  shutdownGraceMs?: number;
  /** Passed to appStart hooks; default the current directory. */
  functionAppDirectory?: string;
}

export interface FunctionsHost {
  /** e.g. http://127.0.0.1:7071 (no trailing slash, no route prefix). */
  url: string;
  port: number;
  routePrefix: string;
  /** What the app registered; `route` is the resolved URL path template, e.g. "/api/items/{id}". */
  functions: FunctionInfo[];
  server: Server;
  /** Runs a timer function now (after a run in progress); rejects with the handler's error. */
  runTimer(name: string): Promise<void>;
  /** Stops timers and the server, waits for work in flight, runs appTerminate hooks. Idempotent. */
  close(): Promise<void>;
}

function positive(text: string | undefined): number | undefined {
  const n = Number(text);
  return text && Number.isFinite(n) && n > 0 ? n : undefined;
}

export async function startFunctionsHost(options: FunctionsHostOptions): Promise<FunctionsHost> {
  const env = options.env ?? process.env;
  const logLevel = options.logLevel ?? parseLogLevel(env.AzureFunctionsJobHost__logging__logLevel__default);
  const logger = options.logger ?? createJsonLogger({ minLevel: logLevel });
  const minRank = levelRank(logLevel);
  const routePrefix = options.routePrefix ?? 'api';
  const maxBodyBytes = options.maxRequestBodyBytes ?? positive(env.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT) ?? DEFAULT_MAX_BODY_BYTES;
  const systemLog = (level: LogLevel, message: string): void => {
    if (levelRank(level) >= minRank) logger({ level, category: 'system', message });
  };

  const state = installCoreShim();
  state.systemLog = systemLog;
  for (const file of options.appModules) {
    try {
      await import(/* @vite-ignore */ pathToFileURL(file).href);
    } catch (err) {
      throw new Error(`Failed to load app entry file ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  if (state.functions.length === 0) {
    systemLog('warning', state.requested
      ? 'The app registered no functions.'
      : 'No functions registered and @azure/functions never asked for @azure/functions-core: was it used before the host installed its shim?');
  }

  const routes: RouteEntry<RegisteredFunction>[] = [];
  const timerEntries: TimerEntry[] = [];
  const functions: FunctionInfo[] = [];
  for (const fn of state.functions) {
    try {
      const info: FunctionInfo = { name: fn.name, trigger: fn.trigger };
      if (fn.trigger === 'http') {
        const template = joinRoutePrefix(routePrefix, resolveSettings(fn.route ?? fn.name, env));
        routes.push({ template, methods: fn.methods, target: fn });
        Object.assign(info, { route: `/${template}`, methods: fn.methods ?? [], authLevel: fn.authLevel });
      } else if (fn.trigger === 'timer') {
        const schedule = parseSchedule(resolveSettings(fn.schedule ?? '', env));
        // As in the host, useMonitor (scheduleStatus) defaults to on for schedules a minute apart or more.
        const first = schedule.next(new Date());
        const second = first && schedule.next(first);
        const useMonitor = fn.useMonitor ?? (second !== undefined && second.getTime() - first!.getTime() >= 60_000);
        timerEntries.push({ name: fn.name, schedule, runOnStartup: fn.runOnStartup === true, useMonitor });
        info.schedule = schedule.expression;
      } else {
        systemLog('warning', `Function "${fn.name}" has a ${fn.trigger} trigger, which the local host does not run.`);
      }
      const extras = Object.values(fn.bindings).filter((b) => b !== fn.triggerBinding && b.type !== 'http');
      if (extras.length > 0) systemLog('warning', `Function "${fn.name}": extra input/output bindings are ignored by the local host.`);
      functions.push(info);
    } catch (err) {
      throw new Error(`Function "${fn.name}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  const appHookData: Record<string, unknown> = {};
  const invoker = new Invoker(state, logger, logLevel, appHookData);
  const byName = new Map(state.functions.map((f) => [f.name.toLowerCase(), f]));
  const timers = new TimerScheduler(
    timerEntries,
    async (name, info) => {
      const fn = byName.get(name.toLowerCase())!;
      const context = invoker.createContext(fn);
      try {
        await invoker.invoke(fn, info, context);
      } catch (err) {
        invoker.systemLog('error', `Executed '${fn.name}' (Failed): ${describeError(err)}`, context);
        throw err;
      }
    },
    () => {}, // already logged above
  );

  const functionAppDirectory = options.functionAppDirectory ?? process.cwd();
  for (const hook of state.hooks.appStart) await hook({ hookData: {}, appHookData, functionAppDirectory });

  const listener = createRequestListener({
    router: new Router(routes),
    invoker,
    maxBodyBytes,
    defaultHost: `${options.host ?? '127.0.0.1'}:${options.port}`,
    runFunction: (name) => {
      if (!timers.has(name)) return false;
      timers.runNow(name).catch(() => {}); // the runner logged the failure
      return true;
    },
  });
  // No overall request timeout: uploads up to the body limit may take long (the app ends idle ones itself). Headers
  // must arrive within 30 s (then 408), and a socket silent for longer than Azure's 230 s front-end budget is closed.
  const server = createServer({ requestTimeout: 0, headersTimeout: 30_000 }, listener);
  server.keepAliveTimeout = 120_000;
  server.timeout = 240_000;
  server.on('clientError', answerMalformedRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  if (options.timers !== false) timers.start();

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await timers.stop();
    const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
    await closed;
    clearTimeout(grace);
    for (const hook of state.hooks.appTerminate) {
      try {
        await hook({ hookData: {}, appHookData });
      } catch (err) {
        systemLog('error', `appTerminate hook failed: ${describeError(err)}`);
      }
    }
    (logger as { flush?: () => void }).flush?.();
  };

  return {
    url: `http://${hostPart}:${address.port}`,
    port: address.port,
    routePrefix,
    functions,
    server,
    runTimer: (name) => timers.runNow(name),
    close: () => (closing ??= close()),
  };
}
