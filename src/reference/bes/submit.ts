// BES Submit body → a job spec: Inputs (or the older single Input), Outputs (defaulting into the input's
// container), RelativeLocation rules and GlobalParameters, each failure a classic 400 naming the field.
import { z } from 'zod';
import { badArgument, issuesToDetails, type ErrorDetail } from '../errors.js';
import { INPUT_NAME, OUTPUT_NAME, parseGlobalParameters } from '../rrs.js';
import { parseRelativeLocation, type BlobRef } from './storage.js';

export interface JobSpec {
  input: BlobRef;
  output: BlobRef;
  bits: number;
  ngrams: number;
}

const Envelope = z.object(
  {
    Input: z.unknown().optional(),
    Inputs: z.record(z.string(), z.unknown(), { error: 'must be an object of named inputs' }).nullish(),
    Outputs: z.record(z.string(), z.unknown(), { error: 'must be an object of named outputs' }).nullish(),
    GlobalParameters: z.record(z.string(), z.unknown(), { error: 'must be an object' }).nullish(),
  },
  { error: 'the body must be a JSON object' },
);

// Classic clients serialise every field of AzureBlobDataReference, so BaseLocation/SasBlobToken come as null.
const BlobReference = z.object(
  {
    ConnectionString: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
    RelativeLocation: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
    BaseLocation: z.string().nullish(),
    SasBlobToken: z.string().nullish(),
  },
  { error: 'must be an object with ConnectionString and RelativeLocation' },
);

function checkNames(given: Record<string, unknown>, expected: string, root: string, code: string): void {
  const wrong = Object.keys(given).filter((name) => name !== expected);
  const missing = !Object.hasOwn(given, expected);
  if (wrong.length === 0 && !missing) return;
  const what = root === 'Inputs' ? 'input' : 'output';
  const details: ErrorDetail[] = wrong.map((name) => ({
    code, target: `${root}.${name}`, message: `unknown ${what} '${name}'; the only ${what} is '${expected}'`,
  }));
  if (missing) details.push({ code, target: `${root}.${expected}`, message: `${what} '${expected}' is required` });
  throw badArgument(`Invalid ${what} names.`, details);
}

function blobRef(value: unknown, name: string, target: string): BlobRef {
  const parsed = BlobReference.safeParse(value);
  if (!parsed.success) throw badArgument('Invalid argument provided.', issuesToDetails(parsed.error.issues, 'RequestBodyInvalid', target));
  if (!parsed.data.ConnectionString.trim()) {
    throw badArgument('Invalid argument provided.', [{ code: 'RequestBodyInvalid', target: `${target}.ConnectionString`, message: 'must not be blank' }]);
  }
  const location = parseRelativeLocation(parsed.data.RelativeLocation);
  if (typeof location === 'string') {
    throw badArgument('Invalid blob location.', [{ code: 'InvalidBlob', target: `${target}.RelativeLocation`, message: location }]);
  }
  return { name, connectionString: parsed.data.ConnectionString, location };
}

/** Validates a parsed JSON body; `jobId` names the default output blob. Throws the classic 400. */
export function parseSubmit(body: unknown, jobId: string): JobSpec {
  const parsed = Envelope.safeParse(body);
  if (!parsed.success) throw badArgument('Invalid argument provided.', issuesToDetails(parsed.error.issues, 'RequestBodyInvalid'));
  const envelope = parsed.data;
  const hasInput = envelope.Input !== undefined && envelope.Input !== null;
  const hasInputs = envelope.Inputs !== undefined && envelope.Inputs !== null;
  if (hasInput && hasInputs) {
    throw badArgument('Specify either Input or Inputs, not both.', [
      { code: 'RequestBodyInvalid', target: 'Input', message: 'Input (older clients) and Inputs cannot both be given' },
    ]);
  }
  if (!hasInput && (!hasInputs || Object.keys(envelope.Inputs!).length === 0)) {
    throw badArgument('No batch job inputs were specified.', [
      { code: 'BatchJobInputsNotSpecified', target: 'Inputs', message: `Inputs.${INPUT_NAME} is required` },
    ]);
  }
  const { bits, ngrams } = parseGlobalParameters(envelope.GlobalParameters);
  let input: BlobRef;
  if (hasInput) input = blobRef(envelope.Input, INPUT_NAME, 'Input');
  else {
    checkNames(envelope.Inputs!, INPUT_NAME, 'Inputs', 'InvalidInputNames');
    input = blobRef(envelope.Inputs![INPUT_NAME], INPUT_NAME, `Inputs.${INPUT_NAME}`);
  }
  const outputs = envelope.Outputs ?? {};
  let output: BlobRef;
  if (Object.keys(outputs).length === 0) {
    // What the classic service did without Outputs: the result goes next to the input, under the job's id.
    output = { name: OUTPUT_NAME, connectionString: input.connectionString, location: { container: input.location.container, blob: `${jobId}/${OUTPUT_NAME}.csv` } };
  } else {
    checkNames(outputs, OUTPUT_NAME, 'Outputs', 'InvalidOutputNames');
    output = blobRef(outputs[OUTPUT_NAME], OUTPUT_NAME, `Outputs.${OUTPUT_NAME}`);
  }
  return { input, output, bits, ngrams };
}
