// Plans a job from the classic submit body an app sent: the job its backend gets (in the port's terms, the
// classic contract's), and where each output ends. Every location is validated here, at submit, so a malformed one is a 400 naming the field and
// never a job that fails later:
// - pass-through inputs (ConnectionString + RelativeLocation, unchanged classic clients) go to the backend as the
//   canonical string the one parser rebuilt, after the host passed the allow-list;
// - inputs the facade holds go as a connection string scoped to that one blob, read-only;
// - every output is written by the backend to the facade's staging area (a SAS for that one blob) and copied by
//   the facade to where it ends: the blob the caller named (its connection string kept sealed), else the
//   facade's results container. So the backend never holds a key of the facade's or of the caller's output
//   account, and a result lands complete or not at all, whatever the backend does.
import { GatewayError, type ErrorCode } from '../errors.js';
import type { BesSubmitRequest, BlobReference } from '../contracts/bes.js';
import { OutputName } from '../contracts/bes-inputs.js';
import { hostAllowed } from '../blobs/allowed-storage.js';
import { parseBlobPath } from '../blobs/locations.js';
import type { BlobLocation } from '../blobs/facade-blobs.js';
import { insecureEndpointProblem } from '../blobs/blob-sdk.js';
import { canonicalConnectionString, parseConnectionString } from '../storage/connection-string.js';
import type { Sealer } from '../secrets/sealer.js';
import type { BackendJobRequest, BlobAccess } from '../backends/port.js';
import type { OutputTarget } from './job-record.js';

export interface SubmitBlobs {
  ownInput(subscriptionId: string, relativeLocation: string, field: string, expiresOn: Date): Promise<BlobLocation>;
  stagingOutput(jobId: string, outputName: string, expiresOn: Date): Promise<BlobLocation>;
  /** The column names of an input file's header row, or undefined when it cannot be read as CSV. */
  inputHeader?(input: BlobAccess): Promise<string[] | undefined>;
}

export interface SubmitPlan {
  /** The job as its backend gets it (the port's terms: the classic contract, every blob one the backend may reach). */
  backendBody: BackendJobRequest;
  outputs: Record<string, OutputTarget>;
}

export interface PlanOptions {
  subscriptionId: string;
  jobId: string;
  blobs: SubmitBlobs;
  sealer: Sealer;
  /** Host patterns a pass-through connection string may point at. */
  allowedHosts: readonly string[];
  /** Outputs the backend writes when the caller names none (the service's declared outputs, else output1). */
  defaultOutputs: readonly string[];
  /** Until when the SAS the backend gets for the job's blobs holds: the job must start and end before it. */
  backendSasExpiresOn: Date;
}

const classic = (l: BlobLocation): BlobAccess => ({ ConnectionString: l.connectionString, RelativeLocation: l.relativeLocation });

function invalid(code: ErrorCode, target: string, message: string): GatewayError {
  return new GatewayError(code, 'The request body is invalid.', { details: [{ code, target, message }] });
}

/** The context a sealed credential is bound to: it opens for this job's output and no other. */
export const sealContext = (jobId: string, outputName: string): string => `${jobId}/${outputName}`;

/** Exactly one of Inputs (classic) or Input (older clients), as the classic service demands. */
export function inputsOf(request: BesSubmitRequest): Record<string, BlobReference> {
  if (request.Inputs && request.Input) {
    throw invalid('RequestBodyInvalid', 'Input', '"Input" and "Inputs" are mutually exclusive');
  }
  const inputs = request.Inputs ?? (request.Input ? { input1: request.Input } : undefined);
  if (!inputs || Object.keys(inputs).length === 0) {
    throw new GatewayError('BatchJobInputsNotSpecified', 'The job has no inputs.', { target: 'Inputs' });
  }
  return inputs;
}

/** A caller's own blob: connection string parsed once, host on the allow-list, location /container/blob. */
function passThrough(ref: BlobReference, field: string, allowedHosts: readonly string[]) {
  const parsed = parseConnectionString(ref.ConnectionString ?? '');
  if (!parsed.ok) throw invalid('InvalidConnectionString', `${field}.ConnectionString`, parsed.problem);
  if (!hostAllowed(parsed.value.blobHost, allowedHosts)) {
    throw invalid('StorageHostNotAllowed', `${field}.ConnectionString`, `storage endpoint ${parsed.value.blobHost} is not allowed`);
  }
  const insecure = insecureEndpointProblem(parsed.value.blobEndpoint);
  if (insecure) throw invalid('StorageHostNotAllowed', `${field}.ConnectionString`, `the blob endpoint ${insecure}`);
  const path = parseBlobPath(ref.RelativeLocation ?? '');
  if (typeof path === 'string') throw invalid('InvalidBlob', `${field}.RelativeLocation`, path);
  return { connection: parsed.value, path };
}

function checkOutputName(name: string): void {
  const parsed = OutputName.safeParse(name);
  if (!parsed.success) throw invalid('InvalidOutputNames', `Outputs.${name.slice(0, 64)}`, parsed.error.issues[0]?.message ?? 'invalid output name');
}

export async function planSubmit(request: BesSubmitRequest, options: PlanOptions): Promise<SubmitPlan> {
  const { blobs, allowedHosts, backendSasExpiresOn: expiresOn } = options;
  const inputs: Record<string, BlobAccess> = {};
  const single = !request.Inputs;
  for (const [name, ref] of Object.entries(inputsOf(request))) {
    const field = single ? 'Input' : `Inputs.${name}`;
    if (ref.ConnectionString) {
      const { connection, path } = passThrough(ref, field, allowedHosts);
      inputs[name] = { ConnectionString: canonicalConnectionString(connection), RelativeLocation: `/${path.container}/${path.blob}` };
    } else {
      inputs[name] = classic(await blobs.ownInput(options.subscriptionId, ref.RelativeLocation ?? '', `${field}.RelativeLocation`, expiresOn));
    }
  }

  const named = Object.entries(request.Outputs ?? {});
  const wanted = named.length > 0 ? named : options.defaultOutputs.map((name) => [name, undefined] as const);
  const outputs: Record<string, OutputTarget> = {};
  const backendOutputs: Record<string, BlobAccess> = {};
  for (const [name, ref] of wanted) {
    checkOutputName(name);
    if (ref?.ConnectionString) {
      const { connection, path } = passThrough(ref as BlobReference, `Outputs.${name}`, allowedHosts);
      const sealedConnection = await options.sealer.seal(canonicalConnectionString(connection), sealContext(options.jobId, name));
      outputs[name] = { kind: 'caller', blobEndpoint: connection.blobEndpoint, container: path.container, blob: path.blob, sealedConnection };
    } else {
      outputs[name] = { kind: 'facade' };
    }
    backendOutputs[name] = classic(await blobs.stagingOutput(options.jobId, name, expiresOn));
  }
  return {
    backendBody: { Inputs: inputs, Outputs: backendOutputs, GlobalParameters: request.GlobalParameters ?? {} },
    outputs,
  };
}
