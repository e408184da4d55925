// Finds what the Functions host would load for a project: the entry files named by package.json "main"
// (a glob like dist/src/functions/*.js), host.json's route prefix, and local.settings.json values.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: string }).code === 'ENOENT';
}

/** `*` matches any run of characters except a path separator; `?` one character. */
function globToRegex(pattern: string): RegExp {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/\\\\]*').replace(/\?/g, '[^/\\\\]');
  return new RegExp(`^${source}$`);
}

/** Expands a relative path whose segments may contain `*` / `?` (no `**`), sorted for a stable load order. */
async function expandGlob(root: string, pattern: string): Promise<string[]> {
  let current = [root];
  for (const segment of pattern.split(/[\\/]+/).filter((s) => s && s !== '.')) {
    const next: string[] = [];
    for (const dir of current) {
      if (!/[*?]/.test(segment)) {
        next.push(path.join(dir, segment));
        continue;
      }
      const re = globToRegex(segment);
      const names = await readdir(dir).catch((err: unknown) => (isNotFound(err) ? [] : Promise.reject(err)));
      for (const name of names.sort()) if (re.test(name)) next.push(path.join(dir, name));
    }
    current = next;
  }
  return current;
}

/** Absolute paths of the app's entry files, from package.json "main" (default index.js, like the worker). */
export async function resolveAppModules(projectRoot: string): Promise<string[]> {
  const pkg = (await readJson(path.join(projectRoot, 'package.json'))) as { main?: unknown };
  const main = typeof pkg.main === 'string' && pkg.main ? pkg.main : 'index.js';
  const files = /[*?]/.test(main) ? await expandGlob(projectRoot, main) : [path.resolve(projectRoot, main)];
  const found = files.filter((f) => /\.[cm]?js$/.test(f));
  if (found.length === 0) {
    throw new Error(`No entry files match package.json "main" ("${main}") under ${projectRoot}; build the app first (npm run build).`);
  }
  return found;
}

/** host.json `extensions.http.routePrefix`; "api" when unset, as in the real host. */
export async function readRoutePrefix(projectRoot: string): Promise<string> {
  try {
    const host = (await readJson(path.join(projectRoot, 'host.json'))) as { extensions?: { http?: { routePrefix?: unknown } } };
    const prefix = host.extensions?.http?.routePrefix;
    return typeof prefix === 'string' ? prefix : 'api';
  } catch (err) {
    if (isNotFound(err)) return 'api';
    throw err;
  }
}

/**
 * Copies local.settings.json "Values" into `env` without overriding what is already set, as Core Tools
 * does. Returns the names it set (never the values: they may be secrets).
 */
export async function loadLocalSettings(projectRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  let settings: { Values?: Record<string, unknown> };
  try {
    settings = (await readJson(path.join(projectRoot, 'local.settings.json'))) as typeof settings;
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const applied: string[] = [];
  for (const [name, value] of Object.entries(settings.Values ?? {})) {
    if (env[name] === undefined && value !== undefined && value !== null) {
      env[name] = String(value);
      applied.push(name);
    }
  }
  return applied;
}
