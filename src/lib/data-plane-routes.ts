// The data-plane operations' names, methods and routes, written once: the triggers register from this table and
// the fallback (handlers/fallback.ts) matches the paths the host's routing cannot (doubled slashes) against the
// same table. Loaded at cold start, so it imports nothing heavy.
export interface DataPlaneRoute {
  /** The function's name, also the export of the handler module that serves it (handlers/data-plane.ts, handlers/documents.ts). */
  name: DataPlaneOperationName;
  method: 'GET' | 'POST' | 'DELETE';
  /** Relative to the URL suffix. */
  route: string;
}

const SERVICE = 'workspaces/{workspace}/services/{service}';
const JOBS = `${SERVICE}/jobs`;

export const DATA_PLANE_ROUTES = [
  { name: 'rrsExecute', method: 'POST', route: `${SERVICE}/execute` },
  { name: 'besUploadInput', method: 'POST', route: `${SERVICE}/inputs` },
  { name: 'besInputSas', method: 'POST', route: `${SERVICE}/inputs/sas` },
  { name: 'besSubmit', method: 'POST', route: JOBS },
  { name: 'besList', method: 'GET', route: JOBS },
  { name: 'besStart', method: 'POST', route: `${JOBS}/{jobId}/start` },
  { name: 'besStatus', method: 'GET', route: `${JOBS}/{jobId}` },
  { name: 'besCancel', method: 'DELETE', route: `${JOBS}/{jobId}` },
  { name: 'besDownload', method: 'GET', route: `${JOBS}/{jobId}/results/{output}` },
  // Anonymous, as classic services published them: the service's Swagger 2.0 document and its API help document.
  { name: 'serviceSwagger', method: 'GET', route: `${SERVICE}/swagger.json` },
  { name: 'serviceApiDocument', method: 'GET', route: `${SERVICE}/apidocument` },
] as const satisfies readonly { name: string; method: string; route: string }[];

export type DataPlaneOperationName = (typeof DATA_PLANE_ROUTES)[number]['name'];

export function dataPlaneRoute(name: DataPlaneOperationName): DataPlaneRoute {
  return DATA_PLANE_ROUTES.find((r) => r.name === name)!;
}

/**
 * Matches a request path (without the URL suffix) against the table: literal segments case-insensitively, as the
 * host's routing does, `{name}` segments as parameters. Empty segments (from doubled slashes) are ignored.
 */
export function matchDataPlane(method: string, path: string): { route: DataPlaneRoute; params: Record<string, string> } | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  for (const route of DATA_PLANE_ROUTES) {
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
