// Assembles the OpenAPI 3.1 document served at /openapi.json and read by the developer portal, from the operations
// it is given (the app's operations table): each one's path is its route (data-plane routes under the URL suffix),
// its operationId its name, and the rest its own entry, written with the kit.
import { components } from './components.js';
import { createKit, type OpenApiKit, type ServiceExample } from './kit.js';
import { dataPlaneSchemas, managementSchemas } from './schemas.js';
import type { Json } from './schema.js';

export const PRODUCT_NAME = 'ml-facade';

/** An operation as the document needs it. */
export interface DocumentedOperation {
  name: string;
  methods: readonly string[];
  /** The served path template, URL suffix included, without a leading slash. */
  path: string;
  openapi: (kit: OpenApiKit) => Json;
}

const DESCRIPTION = [
  'Score with machine-learning web services through the classic Azure ML (Studio classic) API, version 2.0:',
  '**RRS** answers a few rows now; **BES** runs a batch job over a file.',
  '',
  'Every call needs your subscription key. Click **Authorize**, enter it once (header, query or Bearer: one is enough),',
  'and every "Try it out" call sends it.',
].join('\n');

const TAGS: Json[] = [
  { name: 'RRS', description: 'Request-response scoring.' },
  { name: 'BES', description: 'Batch jobs: submit, start, poll the status, download the results.' },
  { name: 'BES inputs', description: 'Put a job\'s input file where the facade can read it.' },
  { name: 'My subscription', description: 'Your own subscription with your own key: limits and what is left, usage, recent calls, jobs, a new key. These calls never count against your rate limit or quota.' },
  { name: 'Management', description: 'Administration (admin key required).' },
];

/**
 * Who reads the document: `all` (tools, the owner) gets every operation; `subscriber` (the developer portal) gets the
 * data plane and My subscription only, without the management API, its admin-key scheme or the schemas only it uses.
 */
export type Audience = 'all' | 'subscriber';
export const AUDIENCES: readonly Audience[] = ['all', 'subscriber'];
const MANAGEMENT_PATH = 'manage/';

export function buildOpenApiDocument(operations: readonly DocumentedOperation[], example?: ServiceExample, audience: Audience = 'all'): Json {
  const kit = createKit(example);
  const paths: Record<string, Json> = {};
  const forSubscriber = audience === 'subscriber';
  for (const operation of operations) {
    if (forSubscriber && operation.path.startsWith(MANAGEMENT_PATH)) continue;
    const item = (paths[`/${operation.path}`] ??= {});
    for (const method of operation.methods) item[method.toLowerCase()] = { operationId: operation.name, ...operation.openapi(kit) };
  }
  const shared = components({ ...dataPlaneSchemas(), ...managementSchemas() }) as Json & { securitySchemes: Json; schemas: Json };
  if (forSubscriber) {
    delete shared.securitySchemes.adminKey;
    pruneUnusedSchemas(paths, shared);
  }
  return {
    openapi: '3.1.0',
    info: { title: `${PRODUCT_NAME} — classic Azure ML web services`, version: '2.0', description: DESCRIPTION },
    tags: forSubscriber ? TAGS.filter((tag) => tag.name !== 'Management') : TAGS,
    paths,
    components: shared,
  };
}

/** Drops component schemas nothing in the paths refers to, directly or through other schemas. */
function pruneUnusedSchemas(paths: Json, shared: Json & { schemas: Json }): void {
  const schemas = shared.schemas;
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      const name = key === '$ref' && typeof inner === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(inner)?.[1] : undefined;
      if (name !== undefined) {
        if (!used.has(name)) { used.add(name); visit(schemas[name]); }
      } else visit(inner);
    }
  };
  visit(paths);
  visit(shared.responses);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}
