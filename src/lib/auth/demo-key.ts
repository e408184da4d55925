// Interim caller check until subscriptions exist: the single demo subscription key from the settings,
// held only as a digest and compared in constant time.
import type { KeyVerifier } from '../gateway/policies/authenticate.js';
import { digestsEqual, hashKey } from './subscription-key.js';

export function demoKeyVerifier(demoKey: string | undefined): KeyVerifier {
  const expected = demoKey ? hashKey(demoKey) : undefined;
  return async function verifyDemoKey(key) {
    if (!expected || !digestsEqual(hashKey(key), expected)) return undefined;
    return { subscriptionId: 'demo', subscriptionName: 'demo', productId: 'unlimited' };
  };
}
