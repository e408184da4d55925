// Which Azure credential the app uses, chosen once from the environment (Key Vault and backend tokens alike).
import type { TokenCredential } from '@azure/identity';
import { runningInAzure } from '../platform.js';

type IdentityModule = typeof import('@azure/identity');

/**
 * Managed identity whenever the platform (or the local stand-in) provides one: deterministic, no probing of
 * developer credentials in production. Otherwise DefaultAzureCredential, so a developer signed in with
 * `az login` can read a real vault. AZURE_CLIENT_ID selects a user-assigned identity.
 */
export function chooseCredential(identity: IdentityModule, maxRetries: number): TokenCredential {
  const clientId = process.env.AZURE_CLIENT_ID || undefined;
  const retryOptions = { maxRetries, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 };
  const hasManagedIdentity =
    Boolean(process.env.IDENTITY_ENDPOINT && process.env.IDENTITY_HEADER) || Boolean(process.env.MSI_ENDPOINT) || runningInAzure();
  return hasManagedIdentity
    ? new identity.ManagedIdentityCredential({ clientId, retryOptions })
    : new identity.DefaultAzureCredential({ managedIdentityClientId: clientId, retryOptions });
}

