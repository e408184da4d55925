// GET …/workspaces/me/services: the catalogue as the caller's product sees it. A service is listed when both sides
// allow it, as the gateway checks on every call (authorize: the product's services; route: the entry's products), and
// only with the operation families the caller may use on it. Nothing of the backend leaves (its URL, kind, key names):
// the kind only decides which families the service has at all.
import type { CatalogueEntry } from '../catalogue/entry.js';
import type { OperationFamily, Product } from '../contracts/products.js';
import { familiesOf } from '../backends/kinds.js';
import type { SelfCall, SelfResult } from './handler.js';

export interface MyServicesParts {
  catalogue: { list(): Promise<CatalogueEntry[]> };
  /** The data plane's URL suffix (URL_SUFFIX), which the service documents sit under. */
  urlSuffix: string;
}

export interface MyService {
  workspace: string;
  service: string;
  title?: string;
  description?: string;
  operations: OperationFamily[];
  /** The service's Swagger 2.0 document (anonymous). */
  swaggerUrl: string;
  /** The service's page in the subscriber's portal (what it does, its schemas, code samples). */
  helpUrl: string;
}

/** The services a product reaches, each with the families it may use there, sorted by workspace/service. */
export function servicesFor(product: Product, entries: readonly CatalogueEntry[], origin: string, urlSuffix: string): MyService[] {
  const named = product.services && new Set(product.services.map((s) => s.toLowerCase()));
  const base = `${origin}${urlSuffix ? `/${urlSuffix}` : ''}`;
  const listed: MyService[] = [];
  for (const entry of entries) {
    if (named && !named.has(`${entry.workspace}/${entry.service}`.toLowerCase())) continue;
    if (entry.products.length > 0 && !entry.products.includes(product.id)) continue;
    const served = familiesOf(entry.backend.kind);
    const operations = product.operations.filter((family) => served.includes(family));
    if (operations.length === 0) continue;
    const path = `${encodeURIComponent(entry.workspace)}/services/${encodeURIComponent(entry.service)}`;
    listed.push({
      workspace: entry.workspace,
      service: entry.service,
      ...(entry.schema?.title ? { title: entry.schema.title } : {}),
      ...(entry.schema?.description ? { description: entry.schema.description } : {}),
      operations: (['rrs', 'bes'] as const).filter((family) => operations.includes(family)),
      swaggerUrl: `${base}/workspaces/${path}/swagger.json`,
      helpUrl: `${origin}/portal/me/services/${encodeURIComponent(entry.workspace)}/${encodeURIComponent(entry.service)}`,
    });
  }
  return listed.sort((a, b) => `${a.workspace}/${a.service}`.localeCompare(`${b.workspace}/${b.service}`));
}

/** GET …/me/services: the services the caller's product allows (read from the catalogue; never spends a call). */
export async function readMyServices(call: SelfCall, parts: MyServicesParts): Promise<SelfResult> {
  const origin = new URL(call.request.url).origin;
  return { status: 200, body: servicesFor(call.product, await parts.catalogue.list(), origin, parts.urlSuffix) };
}
