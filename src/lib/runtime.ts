// The app's shared parts, created once per instance on first use (never at import: cold start matters
// and settings may be absent when the module is merely loaded). Triggers and policies get them from here.
import { getSettings, type Settings } from './settings.js';
import { getTableClient } from './storage/tables.js';
import { CatalogueStore } from './catalogue/catalogue-store.js';
import { ClassicWebServiceClient } from './backends/classic-client.js';
import { SecretCache } from './secrets/secret-cache.js';
import { createKeyVaultSecretSource } from './secrets/keyvault-source.js';

export const TABLES = { catalogue: 'catalogue' } as const;

export interface Runtime {
  settings: Settings;
  catalogue: CatalogueStore;
  secrets: SecretCache;
  /** Key Vault read directly, bypassing the cache (health checks). */
  vault: { getSecret(name: string): Promise<string> };
  clientFor(baseUrl: string): ClassicWebServiceClient;
}

let runtime: Runtime | undefined;

export function getRuntime(): Runtime {
  runtime ??= createRuntime(getSettings());
  return runtime;
}

function createRuntime(settings: Settings): Runtime {
  const clients = new Map<string, ClassicWebServiceClient>();
  const vault = createKeyVaultSecretSource(settings.keyVaultUrl);
  return {
    settings,
    vault,
    catalogue: new CatalogueStore(() => getTableClient(settings.storageConnectionString, TABLES.catalogue), {
      cacheMs: settings.catalogueCacheSeconds * 1000,
    }),
    secrets: new SecretCache((name) => vault.getSecret(name), {
      ttlMs: settings.secretCacheTtlSeconds * 1000,
      graceMs: settings.secretGraceSeconds * 1000,
    }),
    clientFor(baseUrl) {
      let client = clients.get(baseUrl);
      if (!client) {
        client = new ClassicWebServiceClient(baseUrl);
        clients.set(baseUrl, client);
      }
      return client;
    },
  };
}

/** For tests that rebuild the app's parts with other settings. */
export function resetRuntime(): void {
  runtime = undefined;
}
