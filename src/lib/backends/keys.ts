// Backend API keys from Key Vault, for adapters whose backend takes a key: a 401 means the key was rotated, so
// the key is read afresh once and the call retried once. Still 401 → the owner must fix the key: 502, not the
// caller's fault.
import { GatewayError } from '../errors.js';

export interface BackendKeys {
  get(secretName: string): Promise<string>;
  refresh(secretName: string, staleValue?: string): Promise<string>;
}

export async function withBackendKey<A extends { status: number }>(
  keys: BackendKeys,
  secretName: string,
  call: (apiKey: string) => Promise<A>,
): Promise<A> {
  let key = await keys.get(secretName);
  let answer = await call(key);
  if (answer.status !== 401) return answer;
  key = await keys.refresh(secretName, key);
  answer = await call(key);
  if (answer.status === 401) {
    throw new GatewayError('BackendUnauthorized', "The backend rejected the facade's credentials; the service owner must update its API key in Key Vault.");
  }
  return answer;
}
