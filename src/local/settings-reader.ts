// How the local stand-ins read their environment: each bad setting one line naming it (zod's first issue, with
// where in a JSON value), never the value itself — a setting may hold a key.
import { z } from 'zod';
import { portSetting } from './env.js';

const wholeNumber = (min: number, max: number) =>
  z.string().regex(/^\d{1,9}$/, { error: `must be a whole number from ${min} to ${max}` }).transform(Number).pipe(z.number().min(min).max(max));

export function settingsReader(env: NodeJS.ProcessEnv) {
  const errors: string[] = [];
  const setting = <T>(name: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
    errors.push(`${name}${where}: ${issue?.message ?? 'invalid'}`);
    return undefined;
  };
  /** A JSON setting, parsed; undefined (and, when required, an error) when missing or not JSON. */
  const json = (name: string, required = true): unknown => {
    const text = env[name];
    if (!text) {
      if (required) errors.push(`${name} is required`);
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      errors.push(`${name} is not valid JSON`); // the parser's message could quote a key
      return undefined;
    }
  };
  const optional = (name: string, min: number, max: number): number | undefined => (env[name] ? setting(name, wholeNumber(min, max), env[name]) : undefined);
  const port = (name: string): number => {
    try {
      return portSetting(env, name, 0);
    } catch (err) {
      errors.push((err as Error).message);
      return 0;
    }
  };
  return { errors, setting, json, optional, port };
}
