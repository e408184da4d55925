// The batch half of the port for kinds that score online only: every BES call is refused with a clear 400, so a
// classic BES client learns at once that this service has no batch side (issue: batch endpoints are their own kind).
import { GatewayError } from '../errors.js';

export function batchNotSupported(kind: string): GatewayError {
  return new GatewayError('BatchNotSupported', `This service runs on a backend of kind '${kind}', which scores request-response calls only; it takes no batch jobs.`);
}

/** The port's batch methods for such a kind: each refuses with that 400. */
export function refuseBatch(target: { backend: { kind: string } }): Promise<never> {
  return Promise.reject(batchNotSupported(target.backend.kind));
}
