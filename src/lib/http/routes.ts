// Route templates as the Functions host reads them ("workspaces/{workspace}/services/{service}/execute"): putting
// a URL suffix in front, taking it off a request path, and matching a path against a list of routes the way the
// host does (literal segments case-insensitively, `{name}` segments as values), for paths its routing cannot
// serve (doubled slashes from classic clients that join a base URL ending in "/" with "/execute").

export interface RouteTemplate {
  method: string;
  /** Relative to the URL suffix. */
  route: string;
}

export function withSuffix(suffix: string, route: string): string {
  return suffix ? `${suffix}/${route}` : route;
}

/** The path without the URL suffix, or undefined when the suffix is set and absent. */
export function withoutSuffix(suffix: string, path: string): string | undefined {
  const expected = suffix.split('/').filter(Boolean);
  const segments = path.split('/').filter(Boolean);
  for (let i = 0; i < expected.length; i++) if (segments[i]?.toLowerCase() !== expected[i]!.toLowerCase()) return undefined;
  return segments.slice(expected.length).join('/');
}

/** The first route that matches; empty segments (doubled slashes) are ignored. */
export function matchRoute<R extends RouteTemplate>(routes: readonly R[], method: string, path: string): { route: R; params: Record<string, string> } | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  for (const route of routes) {
    if (route.method !== method.toUpperCase()) continue;
    const pattern = route.route.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = pattern.every((part, i) => {
      const actual = segments[i]!;
      if (part.startsWith('{')) {
        params[part.slice(1, -1)] = safeDecode(actual);
        return true;
      }
      return part.toLowerCase() === actual.toLowerCase();
    });
    if (matched) return { route, params };
  }
  return undefined;
}

/** Percent-decoded as the host decodes route values; an encoded slash stays encoded (it never splits a segment). */
function safeDecode(segment: string): string {
  try {
    return segment.split(/%2F/i).map((piece) => decodeURIComponent(piece)).join('%2F');
  } catch {
    return segment;
  }
}
