// Assembles the OpenAPI 3.1 document served at /openapi.json and read by the developer portal. Routes go
// through the same routeWithSuffix the triggers use, so an API URL suffix shows in every data-plane path.
import { routeWithSuffix } from '../settings.js';
import { components } from './components.js';
import { DATA_PLANE_SCHEMAS, dataPlanePaths, type ServiceExample } from './data-plane.js';
import { MANAGEMENT_SCHEMAS, managementPaths } from './management.js';
import type { Json } from './schema.js';

export const PRODUCT_NAME = 'ml-facade';

export interface DocumentOptions {
  /** Prefills the workspace and service parameters (e.g. the first catalogue entry). */
  example?: ServiceExample | undefined;
  /** The URL suffix reader; defaults to the app settings, as for the triggers. */
  route?: (route: string) => string;
  includeManagement?: boolean;
}

const DESCRIPTION = [
  'Score with machine-learning web services through the classic Azure ML (Studio classic) API, version 2.0:',
  '**RRS** answers a few rows now; **BES** runs a batch job over a file.',
  '',
  'Every call needs your subscription key. Click **Authorize**, enter it once (header, query or Bearer: one is enough),',
  'and every "Try it out" call sends it.',
].join('\n');

export function buildOpenApiDocument(options: DocumentOptions = {}): Json {
  const route = options.route ?? ((r: string) => routeWithSuffix(r));
  const includeManagement = options.includeManagement ?? true;
  const tags: Json[] = [
    { name: 'RRS', description: 'Request-response scoring.' },
    { name: 'BES', description: 'Batch jobs: submit, start, poll the status, download the results.' },
    { name: 'BES inputs', description: 'Put a job\'s input file where the facade can read it.' },
  ];
  if (includeManagement) tags.push({ name: 'Management', description: 'Administration (admin key required).' });
  return {
    openapi: '3.1.0',
    info: { title: `${PRODUCT_NAME} — classic Azure ML web services`, version: '2.0', description: DESCRIPTION },
    tags,
    paths: { ...dataPlanePaths(route, options.example), ...(includeManagement ? managementPaths() : {}) },
    components: components({ ...DATA_PLANE_SCHEMAS(), ...(includeManagement ? MANAGEMENT_SCHEMAS() : {}) }),
  };
}
