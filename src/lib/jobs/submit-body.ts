// Builds the classic submit body the facade sends to the backend from the one the app sent: pass-through
// inputs (ConnectionString + RelativeLocation, for unchanged classic clients) go as they are; inputs the facade
// holds are resolved to the caller's own blobs; outputs are redirected to the facade's staging area so the
// results can be copied into its results container.
import { GatewayError } from '../errors.js';
import type { BesSubmitRequest, BlobReference } from '../contracts/bes.js';
import { blobHostOf, hostAllowed } from '../blobs/allowed-storage.js';

export interface BlobLocation {
  connectionString: string;
  relativeLocation: string;
}

export interface SubmitBlobs {
  ownInput(subscriptionId: string, relativeLocation: string): Promise<BlobLocation>;
  stagingOutput(jobId: string, outputName: string): Promise<BlobLocation>;
}

interface ClassicLocation {
  ConnectionString: string;
  RelativeLocation: string;
}

const classic = (l: BlobLocation): ClassicLocation => ({ ConnectionString: l.connectionString, RelativeLocation: l.relativeLocation });

/** Exactly one of Inputs (classic) or Input (older clients), as the classic service demands. */
export function inputsOf(request: BesSubmitRequest): Record<string, BlobReference> {
  if (request.Inputs && request.Input) {
    throw new GatewayError('RequestBodyInvalid', 'Send either "Inputs" or "Input", not both.', {
      details: [{ code: 'RequestBodyInvalid', target: 'Input', message: '"Input" and "Inputs" are mutually exclusive' }],
    });
  }
  const inputs = request.Inputs ?? (request.Input ? { input1: request.Input } : undefined);
  if (!inputs || Object.keys(inputs).length === 0) {
    throw new GatewayError('BatchJobInputsNotSpecified', 'The job has no inputs.', {
      details: [{ code: 'BatchJobInputsNotSpecified', target: 'Inputs', message: 'at least one input is required' }],
    });
  }
  return inputs;
}

function checkPassThrough(connectionString: string, field: string, allowedHosts: readonly string[]): void {
  const host = blobHostOf(connectionString);
  if (!host || !hostAllowed(host, allowedHosts)) {
    throw new GatewayError(host ? 'StorageHostNotAllowed' : 'InvalidConnectionString', 'The connection string does not name an allowed storage account.', {
      details: [{ code: host ? 'StorageHostNotAllowed' : 'InvalidConnectionString', target: field, message: host ? `storage endpoint ${host} is not allowed` : 'not a usable storage connection string' }],
    });
  }
}

export async function buildBackendSubmit(
  request: BesSubmitRequest,
  subscriptionId: string,
  jobId: string,
  blobs: SubmitBlobs,
  allowedHosts: readonly string[],
): Promise<{ Inputs: Record<string, ClassicLocation>; Outputs?: Record<string, ClassicLocation>; GlobalParameters: Record<string, unknown> }> {
  const inputs: Record<string, ClassicLocation> = {};
  const field = request.Inputs ? 'Inputs' : 'Input';
  for (const [name, ref] of Object.entries(inputsOf(request))) {
    if (ref.ConnectionString) {
      checkPassThrough(ref.ConnectionString, field === 'Inputs' ? `Inputs.${name}.ConnectionString` : 'Input.ConnectionString', allowedHosts);
      inputs[name] = { ConnectionString: ref.ConnectionString, RelativeLocation: ref.RelativeLocation };
    } else {
      inputs[name] = classic(await blobs.ownInput(subscriptionId, ref.RelativeLocation));
    }
  }
  const body: { Inputs: Record<string, ClassicLocation>; Outputs?: Record<string, ClassicLocation>; GlobalParameters: Record<string, unknown> } = {
    Inputs: inputs,
    GlobalParameters: request.GlobalParameters ?? {},
  };
  const outputNames = Object.keys(request.Outputs ?? {});
  // Whatever the app asked for, outputs land in the facade's staging area; the app reads them from the
  // results container. Without Outputs the backend writes its default location and the facade copies from there.
  if (outputNames.length > 0) {
    body.Outputs = {};
    for (const name of outputNames) body.Outputs[name] = classic(await blobs.stagingOutput(jobId, name));
  }
  return body;
}
