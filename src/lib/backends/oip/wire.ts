// The Open Inference Protocol (v2) wire mapped to the facade's terms, in one place: model metadata, the infer
// request built from typed columns, output tensors read back as classic columns (a [rows, k] tensor X becomes
// X.0 … X.k-1, a [rows] or [rows, 1] tensor one column X), and error answers in the classic shape.
import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import { invalidModelAnswer, type AnswerColumn, type ColumnType } from '../columns.js';
import { headerValue, jsonOf, type BackendAnswer } from '../transport.js';

const Datatype = z.enum(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES']);
export type Datatype = z.infer<typeof Datatype>;
const TensorMetadata = z.object({ name: z.string().min(1).max(256), datatype: Datatype, shape: z.array(z.number().int()).max(8) });
export type TensorMetadata = z.infer<typeof TensorMetadata>;

export const ModelMetadata = z.object({
  name: z.string(),
  inputs: z.array(TensorMetadata).max(1000).default([]),
  outputs: z.array(TensorMetadata).max(1000).default([]),
});
export type ModelMetadata = z.infer<typeof ModelMetadata>;

const OutputTensor = z.object({
  name: z.string().min(1).max(256),
  shape: z.array(z.number().int().min(0)).min(1).max(8),
  datatype: Datatype,
  data: z.array(z.unknown()),
});
const InferAnswer = z.object({ outputs: z.array(OutputTensor).max(1000) });

/** The column type a datatype's values are coerced to. */
export function columnTypeOf(datatype: Datatype): ColumnType {
  if (datatype === 'BOOL') return 'boolean';
  if (datatype === 'BYTES') return 'string';
  return datatype.startsWith('FP') ? 'number' : 'integer';
}

/** The datatype of a declared column when the server publishes no metadata. */
export function datatypeOf(type: ColumnType): Datatype {
  return ({ string: 'BYTES', integer: 'INT64', number: 'FP64', boolean: 'BOOL' } as const)[type];
}

/** The classic ColumnTypes name of a tensor's datatype. */
function classicTypeOfDatatype(datatype: Datatype): string {
  if (datatype === 'BOOL') return 'Boolean';
  if (datatype === 'BYTES') return 'String';
  if (datatype.startsWith('FP')) return 'Double';
  return datatype === 'INT64' || datatype === 'UINT64' || datatype === 'UINT32' ? 'Int64' : 'Int32';
}

/** The infer request: one tensor per input column ([rows], or [rows, 1] where the model's shape has two dims). */
export function inferBody(inputs: readonly TensorMetadata[], columns: ReadonlyMap<string, unknown[]>, rows: number, parameters: Record<string, unknown>): Buffer {
  const tensors = inputs.map((input) => ({
    name: input.name,
    shape: input.shape.length === 2 ? [rows, 1] : [rows],
    datatype: input.datatype,
    data: columns.get(input.name) ?? [],
  }));
  const body: Record<string, unknown> = { inputs: tensors };
  if (Object.keys(parameters).length > 0) body.parameters = parameters;
  return Buffer.from(JSON.stringify(body));
}

function flatten(data: unknown[]): unknown[] {
  return data.some(Array.isArray) ? data.flat(Infinity as 1) : data;
}

/** The output tensors of an infer answer as classic columns, each tensor's first dimension the rows. */
export function outputColumns(body: unknown, rows: number): AnswerColumn[] {
  const parsed = InferAnswer.safeParse(body);
  if (!parsed.success) throw invalidModelAnswer('an inference answer has "outputs", each with name, shape, datatype and data');
  const columns: AnswerColumn[] = [];
  for (const tensor of parsed.data.outputs) {
    const data = flatten(tensor.data);
    const [first, ...rest] = tensor.shape;
    const width = rest.reduce((a, b) => a * b, 1);
    if (first !== rows || data.length !== rows * width) throw invalidModelAnswer(`output '${tensor.name}' has shape [${tensor.shape.join(', ')}] and ${data.length} values for ${rows} rows`);
    const classicType = classicTypeOfDatatype(tensor.datatype);
    if (width === 1) columns.push({ name: tensor.name, classicType, values: data });
    else for (let k = 0; k < width; k++) columns.push({ name: `${tensor.name}.${k}`, classicType, values: Array.from({ length: rows }, (_, r) => data[r * width + k]) });
  }
  return columns;
}

function messageOf(answer: BackendAnswer): string {
  const json = jsonOf(answer);
  const said = json && typeof json === 'object' && typeof (json as { error?: unknown }).error === 'string' ? (json as { error: string }).error : answer.body.toString('utf8', 0, Math.min(answer.body.length, 300));
  return said.replace(/[\r\n\t]+/g, ' ').slice(0, 300);
}

/** A non-200 answer (after the 401 refresh) as the facade's error; the server's own words in details. */
export function inferError(answer: BackendAnswer): GatewayError {
  const { status } = answer;
  const said = messageOf(answer);
  const fromServer = said ? [{ code: `OIP${status}`, target: 'backend', message: said }] : [];
  if (status === 400 || status === 422) {
    // The server judged the tensors built from the caller's values: the caller's to fix.
    return new GatewayError('ModelRejectedInput', `The model rejected the input: ${said || `HTTP ${status}`}`, { details: [{ code: 'ModelRejectedInput', message: said || `HTTP ${status}` }] });
  }
  if (status === 429 || status === 503) {
    const retryAfter = headerValue(answer.headers, 'retry-after');
    const seconds = retryAfter && /^\d{1,5}$/.test(retryAfter) ? retryAfter : '1';
    const message = `The inference server is busy (HTTP ${status}); retry after ${seconds} s.`;
    return new GatewayError('BackendBusy', message, { details: [{ code: 'BackendBusy', message }, ...fromServer], headers: { 'Retry-After': seconds } });
  }
  if (status === 504) {
    const message = 'The inference server timed out (HTTP 504).';
    return new GatewayError('BackendScoreTimeout', message, { details: [{ code: 'BackendScoreTimeout', message }, ...fromServer] });
  }
  const message = status === 404 ? 'The inference server does not serve this model (HTTP 404).' : `The inference server failed (HTTP ${status}).`;
  const notFound = status === 404 ? [{ code: 'BackendModelNotFound', target: 'backend.model', message: 'the catalogue entry names a model (or version) the server does not serve' }] : [];
  return new GatewayError('BackendError', message, { details: [{ code: 'BackendError', message }, ...notFound, ...fromServer] });
}
