// Reads secrets (backend API keys, the admin key) from Azure Key Vault with the real SecretClient and a managed
// identity. The SDKs are imported on first use so that importing the app stays cheap on a cold start.

import type { TokenCredential } from '@azure/identity';
import type { SecretClient } from '@azure/keyvault-secrets';
import { GatewayError } from '../errors.js';
import { isLoopbackHost, runningInAzure } from '../platform.js';
import { chooseCredential } from './azure-credential.js';

export interface KeyVaultSecretSourceOptions {
  /** Overrides the credential chosen from the environment (see chooseCredential). */
  credential?: TokenCredential;
  /** SDK retries per call; kept small so a Key Vault outage fails fast and the cache's grace takes over. */
  maxRetries?: number;
  /** Upper bound for one getSecret, token acquisition included. */
  timeoutMs?: number;
}

export interface SecretSource {
  getSecret(name: string): Promise<string>;
}

/** A deployment mistake that must stop the app rather than be retried. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** Validates the vault URL up front so a misconfiguration surfaces at startup, not on the first call. */
function checkVaultUrl(vaultUrl: string, customCredential: boolean): { loopback: boolean; insecure: boolean } {
  let url: URL;
  try {
    url = new URL(vaultUrl);
  } catch {
    throw new ConfigurationError(`Key Vault URL '${vaultUrl}' is not a valid URL`);
  }
  const loopback = isLoopbackHost(url.hostname);
  const insecure = url.protocol === 'http:';
  if (url.protocol !== 'https:' && !insecure) {
    throw new ConfigurationError(`Key Vault URL must use https, got '${url.protocol}'`);
  }
  // Plain HTTP would expose the bearer token and the secret values on the wire; only a loopback stand-in may use it.
  if (insecure && (!loopback || runningInAzure())) {
    throw new ConfigurationError(
      runningInAzure()
        ? 'Key Vault URL must use https when running in Azure (WEBSITE_INSTANCE_ID is set)'
        : `Key Vault URL '${url.origin}' uses http; only loopback hosts (127.0.0.0/8, localhost, [::1]) may`,
    );
  }
  if (loopback && !customCredential && !(process.env.IDENTITY_ENDPOINT && process.env.IDENTITY_HEADER)) {
    throw new ConfigurationError(
      'A loopback Key Vault URL needs IDENTITY_ENDPOINT and IDENTITY_HEADER (printed by the Key Vault stand-in)',
    );
  }
  return { loopback, insecure };
}

export function createKeyVaultSecretSource(vaultUrl: string, options: KeyVaultSecretSourceOptions = {}): SecretSource {
  const { loopback, insecure } = checkVaultUrl(vaultUrl, options.credential !== undefined);
  const maxRetries = options.maxRetries ?? 1;
  const timeoutMs = options.timeoutMs ?? 5_000;
  let client: Promise<SecretClient> | undefined;

  const getClient = (): Promise<SecretClient> => {
    client ??= (async () => {
      const [{ SecretClient }, identity] = await Promise.all([
        import('@azure/keyvault-secrets'),
        options.credential ? undefined : import('@azure/identity'),
      ]);
      const credential = options.credential ?? chooseCredential(identity!, maxRetries);
      return new SecretClient(vaultUrl, credential, {
        allowInsecureConnection: insecure,
        // The challenge names https://vault.azure.net, which a loopback host can never be a subdomain of.
        disableChallengeResourceVerification: loopback,
        retryOptions: { maxRetries, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 },
      });
    })();
    client.catch(() => {
      client = undefined; // a failed import is retried on the next call
    });
    return client;
  };

  return {
    async getSecret(name: string): Promise<string> {
      if (!SECRET_NAME.test(name)) {
        throw new GatewayError('KeyVaultUnavailable', `Backend secret name '${name}' is not a valid Key Vault secret name`);
      }
      let secret;
      try {
        const c = await getClient();
        secret = await c.getSecret(name, { abortSignal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw toGatewayError(name, err);
      }
      if (typeof secret.value !== 'string' || secret.value === '') {
        throw new GatewayError('KeyVaultUnavailable', `Backend secret '${name}' in Key Vault has no value`);
      }
      return secret.value;
    },
  };
}

/**
 * SDK errors carry the request (with its Authorization header) and sometimes the response; only a summary is
 * kept as the cause so that logging the GatewayError can never leak a token.
 */
function toGatewayError(name: string, err: unknown): GatewayError {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; statusCode?: unknown };
  const summary = new Error(`${String(e.name ?? 'Error')} code=${String(e.code ?? '-')} status=${String(e.statusCode ?? '-')}`);
  if (e.statusCode === 404 || e.code === 'SecretNotFound') {
    return new GatewayError('KeyVaultUnavailable', `Backend secret '${name}' was not found in Key Vault`, { cause: summary });
  }
  return new GatewayError('KeyVaultUnavailable', 'Key Vault is unavailable', { cause: summary });
}
