// /openapi.json from the app as the local host serves it (no storage needed): a valid OpenAPI 3 document that
// documents every data-plane route the app registers (read from the host's listening line, not a hand list),
// with the URL suffix, the three key schemes, the one error schema and schemas generated from the zod contracts.
// The same process, started with CORS_ALLOWED_ORIGINS, checks preflights and the CORS grant on answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { z } from 'zod';
import { Validator } from '@seriousme/openapi-schema-validator';
import { listeningLine, startChild, type RunningChild } from '../../src/local/stack/child.js';
import { compiledEntry, findProjectRoot } from '../../src/local/stack/project.js';
import { RRS_EXAMPLE_REQUEST, RrsTableRequest } from '../../src/lib/contracts/rrs.js';
import { RRS_EXAMPLE_RESPONSE, RrsTableResponse } from '../../src/lib/contracts/responses.js';
import { BesSubmitRequest } from '../../src/lib/contracts/bes.js';

interface Listening {
  url: string;
  functions: { name: string; trigger: string; route?: string; methods?: string[] }[];
}
type Operation = { operationId: string; security: Record<string, string[]>[]; responses: Record<string, { $ref?: string }>; requestBody?: any; parameters: any[] };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: any };

const SUFFIX = 'azureml-demo';
const ORIGIN = 'https://app.example.com';
let host: RunningChild<Listening>;
let doc: Doc;

beforeAll(async () => {
  const root = findProjectRoot();
  host = await startChild<Listening>({
    name: 'facade',
    script: compiledEntry(root, 'local/functions-host-main'),
    cwd: root,
    // No storage, no Key Vault: the document must not need them. The poller is kept quiet.
    env: { PATH: process.env.PATH ?? '', PORT: '0', URL_SUFFIX: SUFFIX, CORS_ALLOWED_ORIGINS: ORIGIN, BES_POLL_SCHEDULE: '0 0 0 1 1 *' },
    ready: listeningLine,
  });
  doc = (await (await request(`${host.info.url}/openapi.json`)).body.json()) as Doc;
}, 30_000);
afterAll(async () => {
  await host?.stop();
});

const dataPlane = () => host.info.functions.filter((f) => f.trigger === 'http' && f.route?.startsWith(`/${SUFFIX}/`));

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has a subscriber view for the developer portal: every operation but the management API, valid, no admin key scheme', async () => {
    const res = await request(`${host.info.url}/openapi.json?audience=subscriber`);
    expect(res.statusCode).toBe(200);
    const view = (await res.body.json()) as Doc;
    const validator = new Validator();
    const result = await validator.validate(structuredClone(view));
    expect(result.errors ?? []).toEqual([]);
    const paths = Object.keys(view.paths);
    expect(paths.filter((p) => p.startsWith('/manage/'))).toEqual([]);
    expect(paths.sort()).toEqual(Object.keys(doc.paths).filter((p) => !p.startsWith('/manage/')).sort());
    expect(Object.keys(view.components.securitySchemes)).not.toContain('adminKey');
    expect(JSON.stringify(view)).not.toMatch(/x-admin-key|"Management"/);
    for (const name of Object.keys(view.components.schemas)) expect(JSON.stringify(view)).toContain(`#/components/schemas/${name}`);
  });

  it('refuses an unknown audience with a 400 naming it', async () => {
    const res = await request(`${host.info.url}/openapi.json?audience=admins`);
    expect(res.statusCode).toBe(400);
    const body = (await res.body.json()) as { error: { details: { target: string }[] } };
    expect(body.error.details[0]!.target).toBe('audience');
  });

  it('documents every data-plane route the app registers, under the URL suffix, and no other', () => {
    const registered = dataPlane();
    expect(registered.map((f) => f.name)).toEqual(expect.arrayContaining(['rrsExecute', 'besSubmit', 'besList', 'besStart', 'besStatus', 'besCancel', 'besDownload', 'besUploadInput', 'besInputSas']));
    for (const fn of registered) {
      for (const method of fn.methods ?? []) {
        expect(doc.paths[fn.route!]?.[method.toLowerCase()]?.operationId, `${method} ${fn.route}`).toBe(fn.name);
      }
    }
    const documented = Object.keys(doc.paths).filter((p) => !p.startsWith('/manage/'));
    expect(documented.every((p) => p.startsWith(`/${SUFFIX}/workspaces/`))).toBe(true);
    expect(new Set(documented)).toEqual(new Set(registered.map((f) => f.route)));
  });

  it('documents exactly the management operations the app registers (the dashboard page aside), each with the admin key', () => {
    const manage = host.info.functions.filter((f) => f.route?.startsWith('/manage/') && !f.route.startsWith('/manage/dashboard'));
    for (const fn of manage) expect(doc.paths[fn.route!]?.[fn.methods![0]!.toLowerCase()]?.operationId, fn.route).toBe(fn.name);
    const byRoute = new Map(host.info.functions.map((f) => [`${f.route} ${f.methods?.join()}`, f.name]));
    for (const [path, item] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/manage/'))) {
      for (const [method, op] of Object.entries(item)) {
        expect(byRoute.get(`${path} ${method.toUpperCase()}`), `${method} ${path}`).toBe(op.operationId);
        expect(op.security).toEqual([{ adminKey: [] }]);
      }
    }
  });

  it('accepts the subscription key in the header, the query or as a Bearer token, and shares one error schema', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      subscriptionKeyHeader: { type: 'apiKey', in: 'header', name: 'Ocp-Apim-Subscription-Key' },
      subscriptionKeyQuery: { type: 'apiKey', in: 'query', name: 'subscription-key' },
      subscriptionKeyBearer: { type: 'http', scheme: 'bearer' },
      adminKey: { type: 'apiKey', in: 'header', name: 'x-admin-key' },
    });
    // The service documents are anonymous, as classic services published them; every other operation needs a key.
    const anonymous = ['serviceSwagger', 'serviceApiDocument'];
    for (const fn of dataPlane().filter((f) => anonymous.includes(f.name))) {
      const op = doc.paths[fn.route!]![fn.methods![0]!.toLowerCase()]!;
      expect(op.security).toEqual([]);
      expect(op.responses['404']?.$ref).toBe('#/components/responses/NotFound');
    }
    for (const fn of dataPlane().filter((f) => !anonymous.includes(f.name))) {
      const op = doc.paths[fn.route!]![fn.methods![0]!.toLowerCase()]!;
      expect(op.security.map((s) => Object.keys(s)[0])).toEqual(['subscriptionKeyHeader', 'subscriptionKeyQuery', 'subscriptionKeyBearer']);
      for (const status of ['400', '401', '403', '404', '429', '502', '504']) expect(op.responses[status]?.$ref, `${fn.name} ${status}`).toMatch(/^#\/components\/responses\//);
    }
    const errorSchemas = new Set(Object.values(doc.components.responses).map((r: any) => r.content['application/json'].schema.$ref));
    expect([...errorSchemas]).toEqual(['#/components/schemas/ClassicError']);
    expect(doc.components.responses.TooManyRequests.headers['Retry-After']).toBeDefined();
  });

  it('takes its schemas from the zod contracts, with the README example prefilled', () => {
    const generated = (schema: z.ZodType, io: 'input' | 'output') => {
      const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
      return rest;
    };
    expect(doc.components.schemas.RrsTableRequest).toEqual(generated(RrsTableRequest, 'output'));
    expect(doc.components.schemas.BesSubmitRequest).toEqual(generated(BesSubmitRequest, 'input'));
    const execute = doc.paths[`/${SUFFIX}/workspaces/{workspace}/services/{service}/execute`]!.post!;
    const example = execute.requestBody.content['application/json'].examples.table.value;
    expect(example).toEqual(RRS_EXAMPLE_REQUEST);
    expect(RrsTableRequest.safeParse(example).success).toBe(true);
    expect(RrsTableResponse.safeParse(RRS_EXAMPLE_RESPONSE).success).toBe(true);
    expect(execute.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:workspace', 'path:service', 'query:api-version', 'query:details', 'query:format']);
    const upload = doc.paths[`/${SUFFIX}/workspaces/{workspace}/services/{service}/inputs`]!.post!;
    expect(Object.keys(upload.requestBody.content)).toEqual(['text/csv']);
    expect(upload.parameters.map((p: { name: string }) => p.name)).toContain('name');
  });
});

describe('portal and dashboard files', () => {
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await request(`${host.info.url}${path}`, { headers });
    const body = await res.body.text();
    return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), etag: res.headers.etag as string | undefined, csp: res.headers['content-security-policy'], body };
  };

  it('serves the pages with security headers and their files with the right content types', async () => {
    const portal = await get('/portal');
    expect(portal).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(portal.csp).toContain("script-src 'self'");
    expect(portal.body).toContain('/portal/swagger-ui-bundle.js');
    const dashboard = await get('/manage/dashboard');
    expect(dashboard).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    for (const [path, type] of [
      ['/portal/swagger-ui-bundle.js', 'text/javascript'], ['/portal/swagger-ui.css', 'text/css'], ['/portal/portal-init.js', 'text/javascript'],
      ['/portal/favicon-32x32.png', 'image/png'], ['/manage/dashboard/chart.umd.min.js', 'text/javascript'], ['/manage/dashboard/dashboard.js', 'text/javascript'],
    ]) {
      const file = await get(path!);
      expect(file.status, path).toBe(200);
      expect(file.type.startsWith(type!), path).toBe(true);
    }
  });

  it('GET / is a landing page pointing to the portal, the dashboard, the OpenAPI document and health; other unknown paths stay 404', async () => {
    const landing = await get('/');
    expect(landing).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(landing.csp).toContain("frame-ancestors 'none'");
    for (const href of ['/portal', '/manage/dashboard', '/openapi.json', '/health']) expect(landing.body).toContain(`href="${href}"`);
    expect((await get('/no-such-page')).status).toBe(404);
  });

  it('answers 304 for a file the browser has', async () => {
    const first = await get('/portal/swagger-ui.css');
    const again = await request(`${host.info.url}/portal/swagger-ui.css`, { headers: { 'if-none-match': first.etag! } });
    await again.body.dump();
    expect(again.statusCode).toBe(304);
  });

  it('serves nothing but those files: no traversal, no other package file, no sample page', async () => {
    for (const path of ['/portal/..%2Fpackage.json', '/portal/%2e%2e%2f%2e%2e%2fpackage.json', '/portal/package.json', '/portal/index.html',
      '/portal/swagger-initializer.js', '/manage/dashboard/..%2F..%2Fhost.json', '/manage/dashboard/chart.js', '/portal/dashboard.js']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
    }
    expect((await get('/portal/a/b')).status).toBe(404);
  });
});

describe('CORS (CORS_ALLOWED_ORIGINS set)', () => {
  const execute = () => `${host.info.url}/${SUFFIX}/workspaces/w/services/s/execute?api-version=2.0`;
  const preflight = (url: string, origin: string) =>
    request(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,ocp-apim-subscription-key' } });

  it('answers a preflight for the data plane from an allowed origin', async () => {
    const res = await preflight(execute(), ORIGIN);
    await res.body.dump();
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-headers']).toBe('content-type,ocp-apim-subscription-key');
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
  });

  it('refuses other origins and the management API', async () => {
    for (const [url, origin] of [[execute(), 'https://evil.example.net'], [`${host.info.url}/manage/products`, ORIGIN]] as const) {
      const res = await preflight(url, origin);
      expect(res.statusCode).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(await res.body.json()).toMatchObject({ error: { code: 'Forbidden', details: [{ code: 'CorsNotAllowed' }] } });
    }
  });

  it('grants the answers themselves and exposes the request id, and the catch-all shadows no GET route', async () => {
    const res = await request(`${host.info.url}/openapi.json`, { headers: { origin: ORIGIN } });
    await res.body.dump();
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(String(res.headers['access-control-expose-headers'])).toContain('x-ms-request-id');
    const portal = await request(`${host.info.url}/portal`);
    expect(portal.statusCode).toBe(200);
    expect(portal.headers['access-control-allow-origin']).toBeUndefined();
    await portal.body.dump();
  });
});
