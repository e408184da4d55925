// The classic result of a batch endpoint job: the input rows with the prediction columns, in input order, as a CSV
// with a header row. The deployment's output file is JSON Lines (one JSON value per input row, in input order:
// append_row writes a returned string as it is, and JSON keeps texts with commas, quotes and line breaks intact).
// `predictions`: each line is the row's prediction, or [file, prediction] as MLflow batch deployments pair them;
// the prediction is joined back to its input row. `rows`: each line is a whole result row, taken as it is.
import { CsvError, CsvParser, csvLine } from '../../../common/csv.js';
import { GatewayError } from '../../errors.js';
import { predictionColumns, type AnswerColumn } from '../columns.js';
import type { AzureMlBatchConfig } from './config.js';

function invalidOutput(message: string): GatewayError {
  return new GatewayError('BackendOutputInvalid', `The batch job's output could not be read: ${message}.`);
}

function readInput(input: Buffer): { header: string[]; rows: string[][] } {
  const parser = new CsvParser();
  let records;
  try {
    records = [...parser.push(input.toString('utf8')), ...parser.end()];
  } catch (error) {
    if (error instanceof CsvError) throw new GatewayError('BackendOutputInvalid', `The job's input is not CSV: ${error.message}.`);
    throw error;
  }
  const [header, ...rows] = records.map((r) => r.fields);
  if (!header) throw new GatewayError('BackendOutputInvalid', "The job's input has no header row.");
  return { header, rows };
}

function readLines(output: Buffer): unknown[] {
  return output
    .toString('utf8')
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, n]) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw invalidOutput(`line ${n} is not JSON`);
      }
    });
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function toCsv(columns: readonly AnswerColumn[], rows: number): Buffer {
  let text = csvLine(columns.map((c) => c.name));
  for (let r = 0; r < rows; r++) text += csvLine(columns.map((c) => cell(c.values[r])));
  return Buffer.from(text);
}

/** The job's classic result, from its staged input and the deployment's output. */
export function composeResult(config: AzureMlBatchConfig, input: Buffer, output: Buffer): Buffer {
  const { header, rows } = readInput(input);
  const lines = readLines(output);
  if (lines.length !== rows.length) throw invalidOutput(`${lines.length} output lines for ${rows.length} input rows`);
  if (config.output === 'rows') {
    const width = lines.reduce<number>((w, line, i) => {
      if (!Array.isArray(line)) throw invalidOutput(`line ${i + 1} is not a row (a JSON array)`);
      if (i > 0 && line.length !== w) throw invalidOutput(`line ${i + 1} has ${line.length} values, not ${w}`);
      return line.length;
    }, 0);
    const echo = config.echo ?? [];
    const names = [...echo, ...predictionNames(config, width - echo.length)];
    if (rows.length > 0 && names.length !== width) throw invalidOutput(`rows of ${width} values for ${names.length} columns`);
    const columns = names.map((name, k) => ({ name, classicType: 'String', values: lines.map((line) => (line as unknown[])[k]) }));
    return toCsv(columns, rows.length);
  }
  const predictions = lines.map((line) => (Array.isArray(line) && line.length === 2 && typeof line[0] === 'string' ? line[1] : line));
  const kept = config.echo ?? header;
  const echoed = kept.map((name) => {
    const index = header.indexOf(name);
    if (index < 0) throw new GatewayError('BackendOutputInvalid', `The job's input has no column '${name}' to keep.`);
    return { name, classicType: 'String', values: rows.map((row) => row[index] ?? '') };
  });
  return toCsv([...echoed, ...predictionColumns(predictions, rows.length, config.predictions)], rows.length);
}

/** The declared prediction names for `width` values: one name spanning them all (name.0 …), or one per value. */
function predictionNames(config: AzureMlBatchConfig, width: number): string[] {
  const declared = config.predictions;
  if (declared.length === 1 && width !== 1) return Array.from({ length: width }, (_, k) => `${declared[0]!.name}.${k}`);
  return declared.map((p) => p.name);
}
