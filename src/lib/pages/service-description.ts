// What a service page shows, read from the service's own Swagger 2.0 document: what it does, its input and output
// tables, its global parameters, the execute URL and the example body. Shared like code-samples.ts: the services pages'
// scripts carry describeService's source text (Function.prototype.toString) and the tests import it, so it is
// self-contained (no imports, no module-level names inside) and written in syntax every supported browser runs.

export interface ServiceColumn { name: string; type: string; description?: string }
export interface ServiceTable { name: string; columns: ServiceColumn[]; open: boolean }
export interface ServiceParameter { name: string; type: string; default?: unknown; minimum?: number; maximum?: number; description?: string }

export interface ServiceDescription {
  title: string;
  description: string;
  /** The execute URL the samples call: scheme, host and base path from the document, then its execute path. */
  url: string;
  /** The same, without scheme and host (what the page's own "Try it" calls: same origin). */
  path: string;
  /** The header the subscription key goes in. */
  keyHeader: string;
  /** The document's example request body (row objects, format=swagger). */
  body: unknown;
  inputs: ServiceTable[];
  outputs: ServiceTable[];
  parameters: ServiceParameter[];
}

/** Reads a service's Swagger 2.0 document (…/services/{svc}/swagger.json); `origin` stands in for a missing host. */
export function describeService(serviceDocument: unknown, origin: string): ServiceDescription {
  type Json = Record<string, any>;
  const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
  const doc: Json = isObject(serviceDocument) ? serviceDocument : {};
  const definitions: Json = isObject(doc.definitions) ? doc.definitions : {};
  const deref = (v: unknown): unknown => {
    if (isObject(v) && typeof v.$ref === 'string' && v.$ref.startsWith('#/definitions/')) return definitions[v.$ref.slice('#/definitions/'.length)];
    return v;
  };
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const typeOf = (spec: Json): string => {
    const type = text(spec.type) ?? 'any';
    const format = text(spec.format);
    return format && format !== type ? `${type} (${format})` : type;
  };
  const tables = (container: string): ServiceTable[] => {
    const listed = deref(definitions[container]);
    const ports: Json = isObject(listed) && isObject(listed.properties) ? listed.properties : {};
    return Object.keys(ports).map((name) => {
      const item = deref(isObject(ports[name]) ? ports[name].items : undefined);
      const properties: Json = isObject(item) && isObject(item.properties) ? item.properties : {};
      const columns = Object.keys(properties).filter((c) => isObject(properties[c])).map((c) => {
        const description = text(properties[c].description);
        return description ? { name: c, type: typeOf(properties[c]), description } : { name: c, type: typeOf(properties[c]) };
      });
      return { name, columns, open: columns.length === 0 };
    });
  };
  const exampleValue = (spec: Json): unknown => {
    if (spec.example !== undefined) return spec.example;
    if (Array.isArray(spec.enum) && spec.enum.length > 0) return spec.enum[0];
    return spec.type === 'string' ? 'value' : spec.type === 'boolean' ? false : 0;
  };
  const inputs = tables('ExecutionInputs');
  const outputs = tables('ExecutionOutputs');
  const globals = deref(definitions.GlobalParameters);
  const globalProperties: Json = isObject(globals) && isObject(globals.properties) ? globals.properties : {};
  const parameters = Object.keys(globalProperties).filter((n) => isObject(globalProperties[n])).map((name) => {
    const spec = globalProperties[name] as Json;
    const parameter: ServiceParameter = { name, type: typeOf(spec) };
    if (spec.default !== undefined) parameter.default = spec.default;
    if (typeof spec.minimum === 'number') parameter.minimum = spec.minimum;
    if (typeof spec.maximum === 'number') parameter.maximum = spec.maximum;
    if (text(spec.description)) parameter.description = spec.description;
    return parameter;
  });
  const request = deref(definitions.ExecutionRequest);
  const body = isObject(request) && isObject(request.example) ? request.example : {
    Inputs: Object.fromEntries(inputs.map((t) => {
      const properties: Json = {};
      for (const c of t.columns) properties[c.name] = exampleValue({ type: c.type.split(' ')[0] });
      return [t.name, [properties]];
    })),
    GlobalParameters: {},
  };
  const paths: Json = isObject(doc.paths) ? doc.paths : {};
  const executePath = Object.keys(paths).find((p) => isObject(paths[p]) && isObject(paths[p].post) && paths[p].post.operationId === 'execute')
    ?? '/execute?api-version=2.0&format=swagger';
  const schemes: unknown[] = Array.isArray(doc.schemes) ? doc.schemes : [];
  const scheme = schemes.includes('https') ? 'https' : text(schemes[0]) ?? origin.split(':')[0];
  const basePath = text(doc.basePath) ?? '';
  const security: Json = isObject(doc.securityDefinitions) ? doc.securityDefinitions : {};
  const keyScheme = Object.values(security).find((s) => isObject(s) && s.type === 'apiKey' && s.in === 'header' && s.name !== 'Authorization');
  const info: Json = isObject(doc.info) ? doc.info : {};
  return {
    title: text(info.title) ?? basePath,
    description: text(info.description) ?? '',
    url: text(doc.host) ? `${scheme}://${doc.host}${basePath}${executePath}` : `${origin}${basePath}${executePath}`,
    path: `${basePath}${executePath}`,
    keyHeader: isObject(keyScheme) && text(keyScheme.name) ? keyScheme.name : 'Ocp-Apim-Subscription-Key',
    body,
    inputs,
    outputs,
    parameters,
  };
}
