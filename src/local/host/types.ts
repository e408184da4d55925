// Shapes shared by the local Functions host: what the core shim records for each registration,
// and the log record every part of the host writes through.

export type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';

export interface LogRecord {
  level: LogLevel;
  /** 'user' for context.log & co, 'system' for the host's and the library's own lines. */
  category: 'user' | 'system';
  function?: string | undefined;
  invocationId?: string | undefined;
  message: string;
}

export type HostLogger = (record: LogRecord) => void;

export type FunctionHandler = (...args: unknown[]) => unknown;

/** One binding as @azure/functions hands it to `registerFunction` (type, direction and trigger options). */
export interface BindingInfo {
  type?: string;
  direction?: string;
  [option: string]: unknown;
}

/** A function as the app registered it; `trigger` is the binding type without "Trigger" ("http", "timer", …). */
export interface RegisteredFunction {
  name: string;
  trigger: string;
  /** As written by the app, before `%SETTING%` resolution; http defaults to the function name. */
  route?: string;
  methods?: string[];
  authLevel?: string;
  schedule?: string;
  runOnStartup?: boolean;
  useMonitor?: boolean;
  triggerBinding: BindingInfo;
  bindings: Record<string, BindingInfo>;
  handler: FunctionHandler;
}

/** What the host reports about a function (no handler), e.g. in the "listening" line. */
export type FunctionInfo = Pick<RegisteredFunction, 'name' | 'trigger' | 'route' | 'methods' | 'authLevel' | 'schedule'>;

export type HookName = 'appStart' | 'appTerminate' | 'preInvocation' | 'postInvocation' | 'log';
export type HookCallback = (context: Record<string, unknown>) => void | Promise<void>;
