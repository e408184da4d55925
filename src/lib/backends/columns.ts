// Classic rows ↔ model columns, for the adapters whose backends do not speak the classic contract (Azure ML online,
// Open Inference Protocol): a classic RRS body (table or swagger format) read into typed columns, the caller's
// global parameters checked against the ones the entry declares, and model outputs written back as the classic
// answer (table or swagger, values as strings, ColumnTypes from the declared types). Every caller mistake is a 400
// naming the field; every malformed model answer a 502.
import { z } from 'zod';
import { GatewayError, type ErrorDetail } from '../errors.js';
import type { Cell, RrsRequestBody } from '../contracts/rrs.js';

/** A column's type, in the service schema's (Swagger's) words. */
export const ColumnType = z.enum(['string', 'integer', 'number', 'boolean']);
export type ColumnType = z.infer<typeof ColumnType>;

/** The classic ColumnTypes name of each type (what `details=true` answers carry). */
const CLASSIC_TYPE: Record<ColumnType, string> = { string: 'String', integer: 'Int32', number: 'Double', boolean: 'Boolean' };

const Name = z.string().min(1).max(128);
const PortName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'input and output names are letters, digits, _ and -');

/** How an entry's classic input and output map onto a model's columns (shared by the translating kinds). */
export const ColumnMapping = {
  /** The classic input the caller sends (default input1) and the output the answer names (default output1). */
  input: PortName.default('input1'),
  output: PortName.default('output1'),
  /** The model's input columns, in the order it takes them, with the types values are coerced to. */
  columns: z.record(Name, ColumnType).refine((c) => Object.keys(c).length <= 1000, 'at most 1000 columns').optional(),
  /** The global parameters the model takes (as the classic names them) and their types; any other is refused. */
  params: z.record(Name, ColumnType).refine((p) => Object.keys(p).length <= 100, 'at most 100 parameters').default({}),
  /** Input columns repeated in the answer before the predictions, as classic experiments returned them. */
  echo: z.array(Name).max(1000).default([]),
};

/** One column of an answer: its name, classic type and one value per row. */
export interface AnswerColumn {
  name: string;
  classicType: string;
  values: unknown[];
}

export interface CallerTable {
  /** Column name → its values, one per row, as the caller sent them. */
  columns: Map<string, Cell[]>;
  rows: number;
  /** Where a value sits, for error targets: (row, column) → "Inputs.input1.Values[3][0]". */
  target(row: number, column: string): string;
}

const MAX_PROBLEMS = 20;

const article = (type: ColumnType) => (type === 'integer' ? 'an integer' : `a ${type}`);

/** The caller's one input, by name; any other input name is refused. */
export function callerTable(body: RrsRequestBody, inputName: string): CallerTable {
  const names = Object.keys(body.Inputs);
  const wrong = names.filter((n) => n !== inputName);
  if (wrong.length > 0 || !names.includes(inputName)) {
    const details: ErrorDetail[] = wrong.map((n) => ({ code: 'InvalidInputNames', target: `Inputs.${n}`, message: `unknown input '${n}'; the only input is '${inputName}'` }));
    if (!names.includes(inputName)) details.push({ code: 'InvalidInputNames', target: `Inputs.${inputName}`, message: `input '${inputName}' is required` });
    throw new GatewayError('InvalidInputNames', 'Invalid input names.', { details });
  }
  const input = body.Inputs[inputName]!;
  const columns = new Map<string, Cell[]>();
  if (Array.isArray(input)) {
    input.forEach((record, row) => {
      for (const [name, value] of Object.entries(record)) {
        let values = columns.get(name);
        if (!values) columns.set(name, (values = new Array<Cell>(input.length).fill(null)));
        values[row] = value;
      }
    });
    return { columns, rows: input.length, target: (row, column) => `Inputs.${inputName}[${row}].${column}` };
  }
  input.ColumnNames.forEach((name, index) => columns.set(name, input.Values.map((row) => row[index] ?? null)));
  const index = (column: string) => input.ColumnNames.indexOf(column);
  return { columns, rows: input.Values.length, target: (row, column) => `Inputs.${inputName}.Values[${row}][${index(column)}]` };
}

/** A value as the declared type, or undefined when it is not one. Classic clients send numbers as strings. */
export function coerce(value: Cell, type: ColumnType): string | number | boolean | null | undefined {
  if (value === null) return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : String(value);
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN;
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
      return undefined;
  }
}

/** The declared columns' values, coerced, in declared order; a missing column or a value of the wrong type is a 400. */
export function typedColumns(table: CallerTable, declared: Readonly<Record<string, ColumnType>>, inputName: string): Map<string, unknown[]> {
  const problems: ErrorDetail[] = [];
  const out = new Map<string, unknown[]>();
  for (const [name, type] of Object.entries(declared)) {
    const given = table.columns.get(name);
    if (!given) {
      problems.push({ code: 'InputParseError', target: `Inputs.${inputName}.${name}`, message: `column '${name}' is required` });
      continue;
    }
    out.set(name, given.map((value, row) => {
      const typed = coerce(value, type);
      if (typed === undefined && problems.length < MAX_PROBLEMS) {
        problems.push({ code: 'InputParseError', target: table.target(row, name), message: `'${String(value).slice(0, 50)}' is not ${article(type)}` });
      }
      return typed;
    }));
  }
  if (problems.length > 0) throw new GatewayError('InputParseError', 'Parsing of input vector failed.', { details: problems.slice(0, MAX_PROBLEMS) });
  return out;
}

/** The caller's global parameters as the model takes them: only declared ones, each of its type. */
export function typedParameters(globals: RrsRequestBody['GlobalParameters'], declared: Readonly<Record<string, ColumnType>>): Record<string, unknown> {
  const problems: ErrorDetail[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(globals ?? {})) {
    const type = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (!type) {
      const known = Object.keys(declared);
      const message = known.length > 0 ? `unknown global parameter '${name}'; this service takes ${known.map((k) => `'${k}'`).join(', ')}` : `unknown global parameter '${name}'; this service takes none`;
      problems.push({ code: 'InvalidGlobalParameter', target: `GlobalParameters.${name}`, message });
      continue;
    }
    const typed = coerce(value, type);
    if (typed === undefined) problems.push({ code: 'InvalidGlobalParameter', target: `GlobalParameters.${name}`, message: `must be ${article(type)}` });
    else out[name] = typed;
  }
  if (problems.length > 0) throw new GatewayError('InvalidGlobalParameter', 'Invalid global parameters.', { details: problems });
  return out;
}

/** The echoed input columns of an answer (values as the caller sent them, typed as declared, else String). */
export function echoColumns(table: CallerTable, echo: readonly string[], declared: Readonly<Record<string, ColumnType>> = {}): AnswerColumn[] {
  return echo.map((name) => ({
    name,
    classicType: CLASSIC_TYPE[declared[name] ?? 'string'],
    values: table.columns.get(name) ?? new Array(table.rows).fill(null),
  }));
}

export function classicTypeOf(type: ColumnType): string {
  return CLASSIC_TYPE[type];
}

function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The classic answer body: one output, as a table (ColumnTypes when `details`) or swagger records; values as strings. */
export function classicAnswer(output: string, columns: readonly AnswerColumn[], rows: number, format: 'table' | 'swagger', details: boolean): Buffer {
  const names = columns.map((c) => c.name);
  const values: (string | null)[][] = Array.from({ length: rows }, (_, row) => columns.map((c) => cellText(c.values[row])));
  let result: unknown;
  if (format === 'swagger') {
    result = values.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i]])));
  } else {
    const value = details ? { ColumnNames: names, ColumnTypes: columns.map((c) => c.classicType), Values: values } : { ColumnNames: names, Values: values };
    result = { type: 'table', value };
  }
  return Buffer.from(JSON.stringify({ Results: { [output]: result } }));
}

/** A model answer that does not have the shape its mapping expects: the backend's fault. */
export function invalidModelAnswer(message: string): GatewayError {
  return new GatewayError('BackendInvalidResponse', `The model's answer could not be read: ${message}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Prediction rows as the declared columns: a record per row (a DataFrame answer) gives each declared name's value;
 * one declared column takes a scalar per row, or a list of k values per row as name.0 … name.k-1; several declared
 * columns take a list of as many values per row, in order.
 */
export function predictionColumns(predictions: readonly unknown[], rows: number, declared: readonly { name: string; type: ColumnType }[]): AnswerColumn[] {
  if (predictions.length !== rows) throw invalidModelAnswer(`${predictions.length} predictions for ${rows} rows`);
  const column = (name: string, type: ColumnType, values: unknown[]): AnswerColumn => ({ name, classicType: classicTypeOf(type), values });
  if (rows === 0) return declared.map((d) => column(d.name, d.type, []));
  const first = predictions[0];
  if (isObject(first)) {
    return declared.map((d) => column(d.name, d.type, predictions.map((p, i) => {
      if (!isObject(p) || !Object.hasOwn(p, d.name)) throw invalidModelAnswer(`prediction ${i} has no '${d.name}'`);
      return p[d.name];
    })));
  }
  if (declared.length === 1) {
    const only = declared[0]!;
    if (!Array.isArray(first)) return [column(only.name, only.type, predictions.map((p) => (Array.isArray(p) || isObject(p) ? invalid('mixed prediction shapes') : p)))];
    const width = first.length;
    for (const [i, p] of predictions.entries()) if (!Array.isArray(p) || p.length !== width) throw invalidModelAnswer(`prediction ${i} is not a list of ${width} values`);
    return Array.from({ length: width }, (_, k) => column(`${only.name}.${k}`, only.type, predictions.map((p) => (p as unknown[])[k])));
  }
  return declared.map((d, k) => column(d.name, d.type, predictions.map((p, i) => {
    if (!Array.isArray(p) || p.length !== declared.length) throw invalidModelAnswer(`prediction ${i} is not a list of ${declared.length} values`);
    return p[k];
  })));
}

function invalid(message: string): never {
  throw invalidModelAnswer(message);
}

