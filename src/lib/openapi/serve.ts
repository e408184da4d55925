// Serves the OpenAPI document: built once per minute per instance, with the first catalogued service as the
// example workspace/service so the portal's try-it is ready to send. Storage trouble only drops the example.
import type { HttpResponseInit } from '@azure/functions';
import { getRuntime } from '../runtime.js';
import { REQUEST_ID_HEADER } from '../http/respond.js';
import { buildOpenApiDocument } from './document.js';
import type { ServiceExample } from './data-plane.js';

const FRESH_MS = 60_000;
const RETRY_MS = 5_000;
const CATALOGUE_WAIT_MS = 2_000;

let cached: { body: string; until: number } | undefined;

async function firstService(): Promise<ServiceExample | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), CATALOGUE_WAIT_MS);
    timer.unref();
  });
  try {
    const listed = getRuntime().catalogue.list().then((entries) => {
      const first = [...entries].sort((a, b) => `${a.workspace}/${a.service}`.localeCompare(`${b.workspace}/${b.service}`))[0];
      return first && { workspace: first.workspace, service: first.service };
    });
    return await Promise.race([listed, timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

export async function openApiDocumentText(now = Date.now()): Promise<string> {
  if (cached && cached.until > now) return cached.body;
  const example = await firstService();
  const body = JSON.stringify(buildOpenApiDocument({ example }));
  cached = { body, until: now + (example ? FRESH_MS : RETRY_MS) };
  return body;
}

export async function openApiResponse(requestId: string): Promise<HttpResponseInit> {
  return {
    status: 200,
    body: await openApiDocumentText(),
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', [REQUEST_ID_HEADER]: requestId },
  };
}
