// RRS Execute of the reference service's SimpleFeatureHashingExperiment: validates a classic request (table or
// swagger format, zod), scores its Col2 texts with Feature Hashing and builds the classic response body.
import { z } from 'zod';
import { badArgument, issuesToDetails, type ErrorDetail } from './errors.js';
import { DEFAULT_BITS, DEFAULT_NGRAMS, MAX_BITS, MAX_NGRAMS, featureHash } from './feature-hashing.js';

export const INPUT_NAME = 'input1';
export const OUTPUT_NAME = 'output1';
export const TEXT_COLUMN = 'Col2';
const BITS_PARAM = 'Hashing bitsize';
const NGRAMS_PARAM = 'N-grams';

const Cell = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'must be a string, number, boolean or null' });
const TableInput = z.object({ ColumnNames: z.array(z.string()), Values: z.array(z.array(Cell)) });
const SwaggerInput = z.array(z.record(z.string(), Cell));
const Envelope = z.object({
  Inputs: z.record(z.string(), z.unknown()),
  GlobalParameters: z.record(z.string(), z.unknown()).nullish(),
});

function integerParameter(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  // Classic clients send global parameters as strings as often as numbers.
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
}
const Parameters = z.object({
  [BITS_PARAM]: integerParameter(1, MAX_BITS).optional(),
  [NGRAMS_PARAM]: integerParameter(1, MAX_NGRAMS).optional(),
});

export interface RrsQueryOptions {
  details: boolean;
  swagger: boolean;
}

export interface RrsRequest {
  texts: string[];
  bits: number;
  ngrams: number;
}

/** `query` has lower-cased names (see queryObject). api-version is the server's concern, checked before this. */
export function parseRrsQuery(query: Readonly<Record<string, string>>): RrsQueryOptions {
  const details = query['details'];
  const format = query['format'];
  const problems: ErrorDetail[] = [];
  if (details !== undefined && !/^(true|false)$/i.test(details)) {
    problems.push({ code: 'InvalidQueryParameter', target: 'details', message: 'details must be true or false' });
  }
  if (format !== undefined && format.toLowerCase() !== 'swagger') {
    problems.push({ code: 'InvalidQueryParameter', target: 'format', message: 'format must be swagger when given' });
  }
  if (problems.length > 0) throw badArgument('Invalid query parameter.', problems);
  return { details: details === undefined || details.toLowerCase() === 'true', swagger: format !== undefined };
}

function parseOr<T>(schema: z.ZodType<T>, value: unknown, detailCode: string, root: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw badArgument('Invalid argument provided.', issuesToDetails(result.error.issues, detailCode, root));
}

function cellText(cell: string | number | boolean | null | undefined): string {
  return typeof cell === 'string' ? cell : cell === null || cell === undefined ? '' : String(cell);
}

function tableTexts(input: unknown): string[] {
  const table = parseOr(TableInput, input, 'RequestBodyInvalid', `Inputs.${INPUT_NAME}`);
  const column = table.ColumnNames.indexOf(TEXT_COLUMN);
  if (column < 0) {
    throw badArgument(`Input '${INPUT_NAME}' has no column '${TEXT_COLUMN}'.`, [
      { code: 'InputParseError', target: `Inputs.${INPUT_NAME}.${TEXT_COLUMN}`, message: `column '${TEXT_COLUMN}' is required` },
    ]);
  }
  const width = table.ColumnNames.length;
  const problems: ErrorDetail[] = [];
  table.Values.forEach((row, i) => {
    if (row.length !== width) {
      const message = `row has ${row.length} values but ColumnNames has ${width}`;
      problems.push({ code: 'InputParseError', target: `Inputs.${INPUT_NAME}.Values[${i}]`, message });
    }
  });
  if (problems.length > 0) throw badArgument('Parsing of input vector failed.', problems);
  return table.Values.map((row) => cellText(row[column]));
}

function swaggerTexts(input: unknown): string[] {
  const rows = parseOr(SwaggerInput, input, 'RequestBodyInvalid', `Inputs.${INPUT_NAME}`);
  const problems: ErrorDetail[] = [];
  rows.forEach((row, i) => {
    if (!Object.hasOwn(row, TEXT_COLUMN)) {
      const target = `Inputs.${INPUT_NAME}[${i}].${TEXT_COLUMN}`;
      problems.push({ code: 'InputParseError', target, message: `column '${TEXT_COLUMN}' is required` });
    }
  });
  if (problems.length > 0) throw badArgument('Parsing of input vector failed.', problems);
  return rows.map((row) => cellText(row[TEXT_COLUMN]));
}

/** Validates a parsed JSON body; throws the classic 400 (a GatewayError) naming the offending field. */
export function parseRrsRequest(body: unknown, swagger: boolean): RrsRequest {
  const envelope = parseOr(Envelope, body, 'RequestBodyInvalid', '');
  const names = Object.keys(envelope.Inputs);
  const wrongNames = names.filter((name) => name !== INPUT_NAME);
  if (wrongNames.length > 0 || names.length === 0) {
    const details: ErrorDetail[] = wrongNames.map((name) => ({
      code: 'InvalidInputNames', target: `Inputs.${name}`, message: `unknown input '${name}'; the only input is '${INPUT_NAME}'`,
    }));
    if (!names.includes(INPUT_NAME)) {
      details.push({ code: 'InvalidInputNames', target: `Inputs.${INPUT_NAME}`, message: `input '${INPUT_NAME}' is required` });
    }
    throw badArgument('Invalid input names.', details);
  }
  const { bits, ngrams } = parseGlobalParameters(envelope.GlobalParameters);
  const input = envelope.Inputs[INPUT_NAME];
  return { texts: swagger ? swaggerTexts(input) : tableTexts(input), bits, ngrams };
}

/** "Hashing bitsize" and "N-grams" with their defaults; shared with BES submit. Throws the classic 400. */
export function parseGlobalParameters(globals: Readonly<Record<string, unknown>> | null | undefined): { bits: number; ngrams: number } {
  const given = globals ?? {};
  const unknown = Object.keys(given).filter((name) => name !== BITS_PARAM && name !== NGRAMS_PARAM);
  if (unknown.length > 0) {
    throw badArgument('Unknown global parameters.', unknown.map((name) => ({
      code: 'InvalidGlobalParameter', target: `GlobalParameters.${name}`, message: `unknown global parameter '${name}'`,
    })));
  }
  const parameters = parseOr(Parameters, given, 'InvalidGlobalParameter', 'GlobalParameters');
  return { bits: parameters[BITS_PARAM] ?? DEFAULT_BITS, ngrams: parameters[NGRAMS_PARAM] ?? DEFAULT_NGRAMS };
}

const headerCache = new Map<number, { names: string[]; types: string[] }>();
/** Output column names and types of the experiment (Col2 then 2^bits features); shared with BES. */
export function outputHeader(bits: number): { names: string[]; types: string[] } {
  let header = headerCache.get(bits);
  if (!header) {
    const names = [TEXT_COLUMN];
    const types = ['String'];
    for (let i = 0; i < 1 << bits; i++) {
      names.push(`${TEXT_COLUMN}_HashingFeature.${i}`);
      types.push('Int32');
    }
    header = { names, types };
    headerCache.set(bits, header);
  }
  return header;
}

/** Scores the rows and builds the classic 200 body. Values are strings, as the classic service returns them. */
export function scoreRrs(request: RrsRequest, options: RrsQueryOptions, startedAt: number): object {
  const { names, types } = outputHeader(request.bits);
  const hashOptions = { bits: request.bits, ngrams: request.ngrams };
  const rows = request.texts.map((text) => {
    const row = [text];
    for (const count of featureHash(text, hashOptions)) row.push(String(count));
    return row;
  });
  let output: unknown;
  if (options.swagger) {
    output = rows.map((row) => {
      const record: Record<string, string> = {};
      for (let i = 0; i < names.length; i++) record[names[i]!] = row[i]!;
      return record;
    });
  } else {
    const value = options.details ? { ColumnNames: names, ColumnTypes: types, Values: rows } : { ColumnNames: names, Values: rows };
    output = { type: 'table', value };
  }
  return {
    Results: { [OUTPUT_NAME]: output },
    ContainerAllocationDurationMs: 0,
    ExecutionDurationMs: Math.round(performance.now() - startedAt),
    IsWarmContainer: true,
  };
}
