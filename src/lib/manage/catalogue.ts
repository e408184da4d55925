// Management operations on the catalogue: list, get, and put a {workspace, service} → backend entry.
import { GatewayError } from '../errors.js';
import { CatalogueEntrySchema, MAX_ENTRY_CHARACTERS } from '../catalogue/entry.js';
import { PathSegment } from '../contracts/names.js';
import { readJson, type ManageOperation } from './handler.js';

const EntryBody = CatalogueEntrySchema.omit({ workspace: true, service: true }).strict();

export const listCatalogue: ManageOperation = async (_request, parts) => ({ status: 200, body: await parts.catalogue.list() });

export const getCatalogueEntry: ManageOperation = async (request, parts) => {
  const { workspace = '', service = '' } = request.params;
  const valid = PathSegment.safeParse(workspace).success && PathSegment.safeParse(service).success;
  const entry = valid ? await parts.catalogue.get(workspace, service) : undefined;
  if (!entry) throw new GatewayError('WebServiceNotFound', `Web service "${service}" was not found in workspace "${workspace}".`);
  return { status: 200, body: entry };
};

export const putCatalogueEntry: ManageOperation = async (request, parts) => {
  const body = await readJson(request, EntryBody);
  if (JSON.stringify(body).length > MAX_ENTRY_CHARACTERS) {
    throw new GatewayError('RequestBodyInvalid', `The entry is too large: at most ${MAX_ENTRY_CHARACTERS} characters as JSON (a schema with fewer or shorter columns fits).`, { target: 'schema' });
  }
  const parsed = CatalogueEntrySchema.safeParse({ ...body, workspace: request.params.workspace, service: request.params.service });
  if (!parsed.success) {
    throw new GatewayError('InvalidPathParameter', 'The workspace or service name is invalid.', {
      details: parsed.error.issues.map((i) => ({ code: 'InvalidPathParameter', target: String(i.path[0] ?? 'path'), message: i.message })),
    });
  }
  const entry = await parts.catalogue.put(parsed.data);
  return { status: 200, body: entry, audit: { target: `catalogue/${parsed.data.workspace}/${parsed.data.service}`, details: { backend: entry.backend.kind, products: entry.products } } };
};
