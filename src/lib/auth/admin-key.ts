// The management API's credential: header x-admin-key, checked against the admin key held in Key Vault
// (read through the secret cache, compared as SHA-256 digests in constant time). Never anonymous.
import type { HttpRequest } from '@azure/functions';
import { GatewayError } from '../errors.js';
import { digestsEqual, hashKey } from './subscription-key.js';
import { clientAddress } from './client-address.js';
import type { FailedAuthLimiter } from './failed-auth-limiter.js';

export const ADMIN_KEY_HEADER = 'x-admin-key';

export interface SecretReader {
  get(name: string): Promise<string>;
}

export async function requireAdmin(request: HttpRequest, secrets: SecretReader, secretName: string, failures?: FailedAuthLimiter): Promise<void> {
  const address = clientAddress(request);
  failures?.check(address);
  const presented = request.headers.get(ADMIN_KEY_HEADER);
  if (!presented) {
    failures?.recordFailure(address);
    throw new GatewayError('AdminKeyUnauthorized', `The management API requires the admin key in the ${ADMIN_KEY_HEADER} header.`);
  }
  const expected = await secrets.get(secretName);
  if (!digestsEqual(hashKey(presented), hashKey(expected))) {
    failures?.recordFailure(address);
    throw new GatewayError('AdminKeyUnauthorized', 'The admin key is not valid.');
  }
}
