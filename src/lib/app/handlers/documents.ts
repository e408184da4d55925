// The anonymous service documents: GET …/services/{svc}/swagger.json (the service's Swagger 2.0 document) and
// GET …/services/{svc}/apidocument (the API help document client libraries read for output names and types; the
// same document). Unknown services are the classic 404. Nothing here needs a key: classic services served them so.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { GatewayError } from '../../errors.js';
import { PathSegment } from '../../contracts/names.js';
import { REQUEST_ID_HEADER } from '../../http/respond.js';
import { buildServiceDocument } from '../../documents/service-document.js';
import type { HandlerContext, HttpHandlerFactory } from '../operations/operation.js';

const serveDocument: HttpHandlerFactory = ({ app, settings }: HandlerContext) =>
  async function serveServiceDocument(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const workspace = request.params.workspace ?? '';
    const service = request.params.service ?? '';
    const notFound = () => new GatewayError('WebServiceNotFound', `Web service "${service}" was not found in workspace "${workspace}".`, { target: 'service' });
    if (!PathSegment.safeParse(workspace).success || !PathSegment.safeParse(service).success) throw notFound();
    const { catalogue, documents } = app();
    const entry = await catalogue.get(workspace, service);
    if (!entry) throw notFound();
    const url = new URL(request.url);
    const document = buildServiceDocument(await documents.schemaFor(entry), {
      workspace: entry.workspace,
      service: entry.service,
      host: url.host,
      scheme: url.protocol === 'https:' ? 'https' : 'http',
      suffix: settings.urlSuffix,
    });
    return {
      status: 200,
      body: JSON.stringify(document),
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=60', [REQUEST_ID_HEADER]: context.invocationId },
    };
  };

export const serviceSwagger = serveDocument;
export const serviceApiDocument = serveDocument;
