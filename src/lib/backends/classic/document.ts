// Reads a backend's published classic Swagger document into the service schema: input and output tables from
// ExecutionInputs / ExecutionOutputs (or the "<name>Item" definitions), global parameters from GlobalParameters.
// Anything unreadable is left out; a document that yields nothing is no schema (the catalogue's is used instead).
import { ServiceSchema, type ColumnSpec, type TableSpec } from '../../contracts/service-schema.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const TYPES = new Set(['string', 'integer', 'number', 'boolean']);

const COLUMN_KEYS = ['format', 'enum', 'description', 'example'] as const;
const PARAMETER_KEYS = [...COLUMN_KEYS, 'default', 'minimum', 'maximum'] as const;

function columnOf(value: unknown, keys: readonly string[]): ColumnSpec | undefined {
  if (!isObject(value) || typeof value.type !== 'string' || !TYPES.has(value.type)) return undefined;
  const spec: Record<string, unknown> = { type: value.type };
  for (const key of keys) if (value[key] !== undefined) spec[key] = value[key];
  return spec as ColumnSpec;
}

function tableOf(definition: unknown, keys: readonly string[] = COLUMN_KEYS): TableSpec | undefined {
  if (!isObject(definition) || !isObject(definition.properties)) return undefined;
  const columns: Record<string, ColumnSpec> = {};
  for (const [name, value] of Object.entries(definition.properties)) {
    const column = columnOf(value, keys);
    if (column) columns[name] = column;
  }
  return { columns };
}

function refName(value: unknown): string | undefined {
  const ref = isObject(value) && isObject(value.items) ? value.items.$ref : undefined;
  return typeof ref === 'string' && ref.startsWith('#/definitions/') ? ref.slice('#/definitions/'.length) : undefined;
}

function portsOf(definitions: Json, container: string, prefix: string): Record<string, TableSpec> | undefined {
  const ports: Record<string, TableSpec> = {};
  const listed = isObject(definitions[container]) ? definitions[container].properties : undefined;
  if (isObject(listed)) {
    for (const [name, value] of Object.entries(listed)) {
      const table = tableOf(definitions[refName(value) ?? `${name}Item`]);
      if (table) ports[name] = table;
    }
  } else {
    for (const [key, value] of Object.entries(definitions)) {
      const match = new RegExp(`^(${prefix}\\w*)Item$`).exec(key);
      const table = match ? tableOf(value) : undefined;
      if (match && table) ports[match[1]!] = table;
    }
  }
  return Object.keys(ports).length > 0 ? ports : undefined;
}

export function schemaFromDocument(document: unknown): ServiceSchema | undefined {
  if (!isObject(document) || document.swagger !== '2.0' || !isObject(document.definitions)) return undefined;
  const definitions = document.definitions;
  const info = isObject(document.info) ? document.info : {};
  const parameters = isObject(definitions.GlobalParameters) ? tableOf(definitions.GlobalParameters, PARAMETER_KEYS)?.columns : undefined;
  const candidate = {
    title: typeof info.title === 'string' ? info.title.slice(0, 200) : undefined,
    description: typeof info.description === 'string' ? info.description.slice(0, 2000) : undefined,
    inputs: portsOf(definitions, 'ExecutionInputs', 'input'),
    outputs: portsOf(definitions, 'ExecutionOutputs', 'output'),
    globalParameters: parameters && Object.keys(parameters).length > 0 ? parameters : undefined,
  };
  if (!candidate.inputs && !candidate.outputs) return undefined;
  const parsed = ServiceSchema.safeParse(JSON.parse(JSON.stringify(candidate)));
  return parsed.success ? parsed.data : undefined;
}
