// Matches a request (method + raw URL path) to one of the compiled routes, in ASP.NET precedence
// order. A route whose methods exclude the request's method does not match (404, as in the host).
import { compareTemplates, compileTemplate, type CompiledTemplate } from './route-template.js';

export interface RouteEntry<T> {
  /** Full template including the route prefix, e.g. `api/items/{id:int}`. */
  template: string;
  /** Upper-case; empty or undefined means any method. */
  methods?: readonly string[] | undefined;
  target: T;
}

export interface RouteMatch<T> {
  target: T;
  params: Record<string, string>;
}

interface CompiledRoute<T> extends CompiledTemplate {
  methods: ReadonlySet<string> | undefined;
  target: T;
}

/** `prefix` + `/` + `route`, as the host composes them; an empty prefix adds nothing. */
export function joinRoutePrefix(prefix: string, route: string): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  const r = route.replace(/^~?\/+/, '');
  return p ? (r ? `${p}/${r}` : p) : r;
}

const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

function decodeRun(run: string): string {
  try {
    // %2F stays encoded, as in ASP.NET: an encoded slash never splits a segment.
    return run.split(/%2F/i).map((piece) => decodeURIComponent(piece)).join('%2F');
  } catch {
    return run;
  }
}

/** The path part of a request target, without the leading and one trailing slash, percent-decoded. */
export function normalizeRequestPath(rawPath: string): string {
  let start = 0;
  let end = rawPath.length;
  if (rawPath.charCodeAt(0) === 47) start = 1;
  if (end > start && rawPath.charCodeAt(end - 1) === 47) end--;
  const path = start === 0 && end === rawPath.length ? rawPath : rawPath.slice(start, end);
  return path.includes('%') ? path.replace(ESCAPE_RUN, decodeRun) : path;
}

export class Router<T> {
  readonly #routes: CompiledRoute<T>[];

  constructor(entries: readonly RouteEntry<T>[]) {
    this.#routes = entries
      .map((e) => ({
        ...compileTemplate(e.template),
        methods: e.methods && e.methods.length > 0 ? new Set(e.methods.map((m) => m.toUpperCase())) : undefined,
        target: e.target,
      }))
      .sort(compareTemplates);
  }

  /** Templates in match order (most specific first). */
  get templates(): string[] {
    return this.#routes.map((r) => r.template);
  }

  /** `path` is already normalized (see normalizeRequestPath); `method` upper-case. */
  match(method: string, path: string): RouteMatch<T> | undefined {
    for (const route of this.#routes) {
      if (route.methods !== undefined && !route.methods.has(method)) continue;
      const m = route.regex.exec(path);
      if (m === null) continue;
      const params = matchParams(route, m);
      if (params) return { target: route.target, params };
    }
    return undefined;
  }
}

function matchParams(route: CompiledTemplate, m: RegExpExecArray): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  const specs = route.params;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    const value = m[i + 1] || spec.defaultValue;
    if (value === undefined) continue;
    for (const ok of spec.constraints) if (!ok(value)) return undefined;
    params[spec.name] = value;
  }
  return params;
}
