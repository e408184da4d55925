// The host's default log sink: one JSON line per record, warnings and errors to stderr, the rest to
// stdout; lines are batched per event-loop turn so a busy gateway makes few write calls.
import type { HostLogger, LogLevel, LogRecord } from './types.js';

const LEVEL_RANK: Record<LogLevel, number> = {
  trace: 0, debug: 1, information: 2, warning: 3, error: 4, critical: 5, none: 6,
};

export function levelRank(level: LogLevel): number {
  return LEVEL_RANK[level] ?? LEVEL_RANK.information;
}

/** Parses a level name as host.json / AzureFunctionsJobHost__logging__logLevel__default spell it. */
export function parseLogLevel(text: string | undefined, fallback: LogLevel = 'information'): LogLevel {
  const t = text?.trim().toLowerCase();
  if (!t) return fallback;
  if (t === 'info') return 'information';
  if (t === 'warn') return 'warning';
  return t in LEVEL_RANK ? (t as LogLevel) : fallback;
}

/**
 * Name, message and stack frames of a thrown value, for error lines. A SyntaxError's message is withheld:
 * JSON.parse quotes the text it failed on, which would put request bodies into the logs.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `Non-error value thrown (${typeof err})`;
  const message = err instanceof SyntaxError ? 'details withheld (a parse error may quote the request body)' : err.message;
  const frames = (err.stack ?? '').split('\n').filter((line) => line.startsWith('    at ')).join('\n');
  return `${err.name}: ${message}${frames ? `\n${frames}` : ''}`;
}

export interface JsonLoggerOptions {
  minLevel?: LogLevel;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface JsonLogger extends HostLogger {
  readonly minLevel: LogLevel;
  /** Writes what is batched now; call before exit. */
  flush(): void;
}

export function createJsonLogger(options: JsonLoggerOptions = {}): JsonLogger {
  const minLevel = options.minLevel ?? 'information';
  const minRank = levelRank(minLevel);
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let out = '';
  let err = '';
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (out) stdout.write(out);
    if (err) stderr.write(err);
    out = '';
    err = '';
  };

  const log = (record: LogRecord): void => {
    const rank = levelRank(record.level);
    if (rank < minRank) return;
    const line = JSON.stringify({
      level: record.level,
      function: record.function,
      invocationId: record.invocationId,
      message: record.message,
    }) + '\n';
    if (rank >= LEVEL_RANK.warning) err += line;
    else out += line;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return Object.assign(log, { minLevel, flush });
}
