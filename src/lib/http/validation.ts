// Turns zod failures into the classic 400: code BadArgument with one detail per problem, naming the field.
import type { z } from 'zod';
import { GatewayError, type ErrorCode, type ErrorDetail } from '../errors.js';

function pathToTarget(path: readonly PropertyKey[], root: string): string {
  let target = root;
  for (const key of path) {
    if (typeof key === 'number') target += `[${key}]`;
    else target += target ? `.${String(key)}` : String(key);
  }
  return target;
}

export function issuesToDetails(issues: readonly z.core.$ZodIssue[], detailCode: ErrorCode, root = ''): ErrorDetail[] {
  return issues.slice(0, 20).map((issue) => ({
    code: detailCode,
    target: pathToTarget(issue.path, root) || root || 'body',
    message: issue.message,
  }));
}

/** Parses or throws a 400 whose details name each offending field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: { detailCode: ErrorCode; message: string; root?: string },
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new GatewayError(what.detailCode, what.message, { details: issuesToDetails(result.error.issues, what.detailCode, what.root) });
}

/** URLSearchParams → plain object; a repeated parameter keeps its first value, as the classic service did. */
export function queryObject(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of query) {
    const name = key.toLowerCase(); // the Functions host (ASP.NET) matches query names case-insensitively
    if (!(name in out)) out[name] = value;
  }
  return out;
}
