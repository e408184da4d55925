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

/** A valid admin key is always accepted; missing or wrong ones count toward the address's failed-key limit (429 past it). */
export async function requireAdmin(request: HttpRequest, secrets: SecretReader, secretName: string, failures?: FailedAuthLimiter): Promise<void> {
  const refuse = (error: GatewayError): never => {
    if (failures) failures.refuse(clientAddress(request), error);
    throw error;
  };
  const presented = request.headers.get(ADMIN_KEY_HEADER);
  if (!presented) refuse(new GatewayError('AdminKeyUnauthorized', `The management API requires the admin key in the ${ADMIN_KEY_HEADER} header.`));
  const expected = await secrets.get(secretName);
  if (!digestsEqual(hashKey(presented!), hashKey(expected))) refuse(new GatewayError('AdminKeyUnauthorized', 'The admin key is not valid.'));
}
