// Starts the whole local stack: Azurite, the Key Vault stand-in, the reference ML web service and the
// facade (the app's own registered functions served by the local Functions host), each its own process,
// then seeds the demo catalogue entry and keys. Used by `npm start` and by the integration tests.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEV_ACCOUNT, azuriteConnectionString, startAzurite, type AzuriteInfo, type AzuriteOptions, type StorageAccount } from './azurite.js';
import { ensureLoopbackCert } from './loopback-cert.js';
import { request } from 'undici';
import type { CatalogueEntry } from '../../lib/catalogue/entry.js';
import { listeningLine, startChild, type RunningChild } from './child.js';
import { compiledEntry, findProjectRoot } from './project.js';
import { putSecrets } from './vault-secrets.js';
import { createStores } from '../../lib/app/stores.js';
import { newKey } from '../../lib/auth/keys.js';
import { findModelPython, prepareModelPython, startModelServers, type ModelServers } from './model-servers.js';
import { DEMO_BATCH_DEPLOYMENTS, DEMO_BATCH_WORKSPACE, DEMO_SERVICES, DEMO_WORKSPACE, demoModelEntries } from './demo-entries.js';
import type { DemoSubscription, StackKeys } from './state.js';

export interface StackOptions {
  /** Facade port; 0 picks a free one. */
  port?: number;
  echo?: boolean;
  /** Extra app settings for the facade process. */
  facadeEnv?: NodeJS.ProcessEnv;
  /** Extra settings for the reference service (e.g. REFERENCE_BES_ROW_DELAY_MS in tests). */
  referenceEnv?: NodeJS.ProcessEnv;
  /** Extra settings for the Key Vault stand-in (e.g. KEYVAULT_SIGNING_KEY so a restart accepts old tokens). */
  keyVaultEnv?: NodeJS.ProcessEnv;
  /** Azurite on disk and/or fixed ports, so fault tests can stop and restart it (default: in memory, free ports). */
  azurite?: Pick<AzuriteOptions, 'persistLocation' | 'ports'>;
  /** Processes started elsewhere (the test suite's shared ones) that this stack uses instead of starting its own. */
  shared?: SharedServices;
  /**
   * The demo service on the real model servers too (Azure ML online, OIP): 'required' fails without them,
   * 'optional' goes on without (saying why in `modelsMissing`), 'off' (default) starts none.
   */
  models?: 'required' | 'optional' | 'off';
  /**
   * How the facade reaches its storage: 'key' (default, a connection string) or 'identity' (STACK_STORAGE_AUTH=identity:
   * Azurite on HTTPS with OAuth, the facade given service URIs and the managed identity, no account key at all).
   */
  storageAuth?: 'key' | 'identity';
  /** Where the stack works (Azurite's directory, identity mode's certificate); default <project>/.local. */
  stateDir?: string;
  /** Keys to use instead of new ones (`npm start` passes the saved ones, so keys survive restarts). */
  keys?: Partial<StackKeys>;
  /** The demo subscription of an earlier start on the same storage: reused when it is still there with this key. */
  demoSubscription?: DemoSubscription;
}

/** What a stack needs to know of processes it shares with other stacks; each part is optional. */
export interface SharedServices {
  /** An emulator started elsewhere, and an account on it for this stack alone (its tables and blobs are its own);
   *  `cert` when it serves HTTPS with OAuth (identity mode), the certificate to trust. */
  azurite?: { blob: string; queue: string; table: string; account: StorageAccount; clientConnectionString: string; cert?: string };
  /** A Key Vault stand-in started elsewhere; this stack's secrets get names starting with `secretPrefix`. */
  keyVault?: { url: string; identityEndpoint: string; identityHeader: string; signingKey: string; secretPrefix: string };
  /** Model servers started elsewhere. */
  models?: Omit<ModelServers, 'children'>;
  /** A reference service started elsewhere, and its API key. */
  reference?: { url: string; apiKey: string };
}

export interface StackInfo {
  facadeUrl: string;
  adminKey: string;
  demo: {
    workspace: string;
    service: string;
    subscriptionKey: string;
    /** A second account on the emulator, standing for a classic client's own storage (the facade holds no key of it). */
    clientStorageConnectionString: string;
  };
  storageConnectionString: string;
}

export interface Stack extends StackInfo {
  /** `signingKey` signs the identity endpoint's tokens: a stand-in that checks them (Azure ML's) is given it. */
  keyVault: VaultInfo;
  /** The demo service on the real model servers, when they run: the Azure ML endpoint stand-in in front of the
   *  Azure ML inference server, and MLServer; `keySecretName` holds the endpoint key in Key Vault. */
  models?: { azuremlUrl: string; oipUrl: string; batchUrl: string; servers: Omit<ModelServers, 'children'>; keySecretName: string; endpointKey: string };
  /** Why the model servers are not running (models: 'optional' on a machine without them). */
  modelsMissing?: string;
  backend: { url: string; workspace: string; service: string; apiKey: string; secretName: string };
  /** The value of the Key Vault secret that seals client credentials (for pollers run in-process by tests). */
  credentialKey: string;
  /** The environment a facade process of this stack runs with (for starting more instances). */
  facadeEnv: NodeJS.ProcessEnv;
  /** The app settings alone, as .local/stack.json records them for `npm run facade`. */
  facadeSettings: Record<string, string>;
  children: RunningChild<unknown>[];
  /** The keys this stack uses (the generated ones, or those given in options.keys), for saving. */
  keys: StackKeys;
  /** The demo subscription (reused or new). */
  demoSubscription: DemoSubscription;
  stop(): Promise<void>;
}

export const DEMO = { workspace: DEMO_WORKSPACE, service: DEMO_SERVICES.classic, secretName: 'demo-backend-key', azuremlSecretName: 'demo-azureml-key' } as const;
export { DEMO_SERVICES };
/** The Key Vault secret that keys the sealing of client credentials kept with jobs. */
const CREDENTIAL_KEY_SECRET = 'facade-credential-key';
export const REFERENCE_IDS = { workspace: 'ref-workspace', service: 'feature-hashing' } as const;


export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const root = findProjectRoot();
  const workDir = options.stateDir ?? path.join(root, '.local');
  mkdirSync(workDir, { recursive: true });
  const echo = options.echo ?? false;
  const shared = options.shared ?? {};
  const children: RunningChild<unknown>[] = [];
  const stop = async () => {
    await Promise.all(children.reverse().map((c) => c.stop()));
  };
  try {
    const given = options.keys ?? {};
    const backendKey = shared.reference?.apiKey ?? given.backend ?? newKey();
    const adminKey = given.admin ?? newKey();
    const prefix = shared.keyVault?.secretPrefix ?? '';
    const names = { backend: `${prefix}${DEMO.secretName}`, admin: `${prefix}facade-admin-key`, credential: `${prefix}${CREDENTIAL_KEY_SECRET}`, azureml: `${prefix}${DEMO.azuremlSecretName}` };
    const endpointKey = given.endpoint ?? newKey();
    const secrets = { [names.backend]: backendKey, [names.admin]: adminKey, [names.credential]: given.credential ?? newKey(), [names.azureml]: endpointKey };
    const signingKey = shared.keyVault?.signingKey ?? given.signing ?? newKey();
    const models = await modelServers(options.models ?? 'off', shared.models, echo);
    children.push(...(models.children ?? []));

    const identity = options.storageAuth === 'identity';
    if (identity && shared.azurite && !shared.azurite.cert) throw new Error('identity mode needs an Azurite on HTTPS with OAuth');
    const cert = !identity ? undefined : shared.azurite?.cert ? { cert: shared.azurite.cert, key: '' } : ensureLoopbackCert(path.join(workDir, 'certs'));
    const started = await Promise.allSettled([
      shared.azurite ? undefined : startAzurite({ echo, location: workDir, ...options.azurite, ...(cert ? { https: cert } : {}) }),
      shared.keyVault ? putSecrets(shared.keyVault, secrets).then(() => undefined) : startChild<VaultInfo>({
        name: 'keyvault',
        script: compiledEntry(root, 'local/keyvault-main'),
        env: { ...process.env, KEYVAULT_PORT: '0', KEYVAULT_SECRETS_JSON: JSON.stringify(secrets), KEYVAULT_SIGNING_KEY: signingKey, ...options.keyVaultEnv },
        ready: listeningLine,
        echo,
      }),
      models.servers ? startAzureMlFront(root, models.servers, endpointKey, echo) : undefined,
      models.servers ? startAzureMlBatch(root, models.servers.python, signingKey, echo, cert?.cert) : undefined,
      shared.reference ? undefined : startChild<{ url: string }>({
        name: 'reference',
        script: compiledEntry(root, 'reference/main'),
        env: {
          ...process.env, REFERENCE_API_KEY: backendKey, REFERENCE_PORT: '0', REFERENCE_WORKSPACE: REFERENCE_IDS.workspace, REFERENCE_SERVICE: REFERENCE_IDS.service,
          // The backend reads and writes job blobs on the emulator through SAS URLs: it trusts its certificate too.
          ...(cert ? { NODE_EXTRA_CA_CERTS: cert.cert } : {}),
          ...options.referenceEnv,
        },
        ready: listeningLine,
        echo,
      }),
    ]);
    for (const result of started) if (result.status === 'fulfilled' && result.value) children.push(result.value as RunningChild<unknown>);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [azurite, vault, front, batch, reference] = started.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
      RunningChild<AzuriteInfo> | undefined,
      RunningChild<Omit<VaultInfo, 'signingKey'>> | undefined,
      RunningChild<{ url: string }> | undefined,
      RunningChild<{ url: string }> | undefined,
      RunningChild<{ url: string }> | undefined,
    ];
    const storage = shared.azurite ? azuriteConnectionString(shared.azurite, shared.azurite.account.name, shared.azurite.account.key) : azurite!.info.connectionString;
    const clientStorage = shared.azurite?.clientConnectionString ?? azurite!.info.clientConnectionString;
    const vaultInfo: VaultInfo = shared.keyVault
      ? { url: shared.keyVault.url, identityEndpoint: shared.keyVault.identityEndpoint, identityHeader: shared.keyVault.identityHeader, signingKey }
      : { ...vault!.info, signingKey };
    const referenceUrl = shared.reference?.url ?? reference!.info.url;

    const onModels = models.servers && front && batch
      ? { azuremlUrl: front.info.url, oipUrl: models.servers.oip, batchUrl: batch.info.url, servers: models.servers, keySecretName: names.azureml, endpointKey }
      : undefined;
    const entries = demoEntries(referenceUrl, names.backend, onModels);
    // With keys the stack seeds storage itself before the facade starts; in identity mode it holds no trust for the
    // emulator's certificate, so it seeds through the facade's management API, as an operator of a deployment would.
    const seeded = identity ? undefined : await seed(storage, entries, options.demoSubscription);

    const storageSettings: Record<string, string> = identity
      ? identityStorageSettings(shared.azurite ?? azurite!.info, shared.azurite?.account.name ?? DEV_ACCOUNT, cert!.cert)
      : { AzureWebJobsStorage: storage };
    const facadeSettings: Record<string, string> = {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      ...storageSettings,
      KEY_VAULT_URL: vaultInfo.url,
      IDENTITY_ENDPOINT: vaultInfo.identityEndpoint,
      IDENTITY_HEADER: vaultInfo.identityHeader,
      ADMIN_KEY_SECRET_NAME: names.admin,
      CREDENTIAL_KEY_SECRET_NAME: names.credential,
    };
    const facadeEnv: NodeJS.ProcessEnv = { ...process.env, ...facadeSettings, ...options.facadeEnv };
    const facade = await startFacade(facadeEnv, options.port ?? 7071, echo);
    children.push(facade);
    const demoSubscription = seeded ?? (await seedViaApi(facade.info.url, adminKey, entries, options.demoSubscription));

    return {
      facadeUrl: facade.info.url,
      adminKey,
      demo: { workspace: DEMO.workspace, service: DEMO.service, subscriptionKey: demoSubscription.primaryKey, clientStorageConnectionString: clientStorage },
      storageConnectionString: storage,
      keyVault: vaultInfo,
      backend: { url: referenceUrl, ...REFERENCE_IDS, apiKey: backendKey, secretName: names.backend },
      credentialKey: secrets[names.credential]!,
      ...(onModels ? { models: onModels } : {}),
      ...(models.missing ? { modelsMissing: models.missing } : {}),
      facadeEnv,
      facadeSettings,
      children,
      keys: { admin: adminKey, credential: secrets[names.credential]!, backend: backendKey, endpoint: endpointKey, signing: signingKey },
      demoSubscription,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

type VaultInfo = { url: string; identityEndpoint: string; identityHeader: string; signingKey: string };

/** The model servers this stack uses: shared ones, its own, or none (with why). */
async function modelServers(
  mode: NonNullable<StackOptions['models']>,
  shared: SharedServices['models'],
  echo: boolean,
): Promise<{ servers?: Omit<ModelServers, 'children'>; children?: RunningChild<unknown>[]; missing?: string }> {
  if (mode === 'off') return {};
  if (shared) return { servers: shared };
  const root = findProjectRoot();
  const found = mode === 'optional' ? prepareModelPython(root, (line) => console.log(line)) : findModelPython(root);
  if (!found.python) {
    if (mode === 'required') throw new Error(`the model servers cannot start: ${found.missing}`);
    return { missing: found.missing };
  }
  const { children, ...servers } = await startModelServers(root, found.python, { echo });
  return { servers, children };
}

/** The Azure ML batch endpoint stand-in, running the batch deployment of the reference model with this Python. */
function startAzureMlBatch(root: string, python: string, signingKey: string, echo: boolean, trust?: string): Promise<RunningChild<{ url: string }>> {
  return startChild<{ url: string }>({
    name: 'azureml-batch-endpoint',
    script: compiledEntry(root, 'local/azureml-batch-main'),
    env: {
      ...process.env,
      AML_BATCH_PORT: '0',
      AML_BATCH_PYTHON: python,
      AML_BATCH_DEPLOYMENTS_JSON: JSON.stringify(DEMO_BATCH_DEPLOYMENTS(root)),
      AML_BATCH_DEFAULT_DEPLOYMENT: 'predictions',
      AML_BATCH_SIGNING_KEY: signingKey,
      AML_BATCH_WORKSPACE_JSON: JSON.stringify(DEMO_BATCH_WORKSPACE),
      // It reads inputs and writes outputs on the emulator through SAS URLs (HTTPS in identity mode).
      ...(trust ? { NODE_EXTRA_CA_CERTS: trust } : {}),
    },
    ready: listeningLine,
    echo,
  });
}

/** The Azure ML online endpoint stand-in in front of the inference server's two deployments (mlflow takes the traffic). */
function startAzureMlFront(root: string, servers: Omit<ModelServers, 'children'>, endpointKey: string, echo: boolean): Promise<RunningChild<{ url: string }>> {
  const deployments = { mlflow: { upstream: servers.azureml.mlflow, traffic: 100 }, classic: { upstream: servers.azureml.classic, traffic: 0 } };
  return startChild<{ url: string }>({
    name: 'azureml-endpoint',
    script: compiledEntry(root, 'local/azureml-online-main'),
    env: { ...process.env, AML_STANDIN_PORT: '0', AML_STANDIN_DEPLOYMENTS_JSON: JSON.stringify(deployments), AML_STANDIN_AUTH_MODE: 'key', AML_STANDIN_KEYS_JSON: JSON.stringify([endpointKey, newKey()]) },
    ready: listeningLine,
    echo,
  });
}

/** One more facade process with a stack's settings, as a scaled-out instance would be. */
export function startFacade(env: NodeJS.ProcessEnv, port: number, echo = false): Promise<RunningChild<{ url: string }>> {
  const root = findProjectRoot();
  return startChild<{ url: string }>({
    name: 'facade',
    script: compiledEntry(root, 'local/functions-host-main'),
    cwd: root,
    env: { ...env, PORT: String(port) },
    ready: listeningLine,
    echo,
  });
}

/** Every demo catalogue entry: the classic one, and one per kind when the model servers run. */
function demoEntries(backendUrl: string, secretName: string, models: Stack['models']): CatalogueEntry[] {
  const classic: CatalogueEntry = {
    workspace: DEMO.workspace,
    service: DEMO.service,
    backend: { kind: 'classic', baseUrl: backendUrl, ...REFERENCE_IDS, apiKeySecretName: secretName, timeoutMs: 30_000 },
    products: [],
  };
  return [classic, ...(models ? demoModelEntries(models) : [])];
}

/** The demo entries and the demo subscription (on unlimited), straight into storage: `reuse` when that subscription
 *  is still there and its primary key still opens it, else a new one. */
async function seed(storage: string, entries: readonly CatalogueEntry[], reuse?: DemoSubscription): Promise<DemoSubscription> {
  const { catalogue, subscriptions } = createStores(storage);
  for (const entry of entries) await catalogue.put(entry);
  if (reuse && (await subscriptions.verify(reuse.primaryKey))?.subscriptionId === reuse.id) return reuse;
  const demo = await subscriptions.create('demo', 'unlimited');
  return { id: demo.id, primaryKey: demo.primaryKey };
}

/** The same through the management API of a running facade. */
async function seedViaApi(facadeUrl: string, adminKey: string, entries: readonly CatalogueEntry[], reuse?: DemoSubscription): Promise<DemoSubscription> {
  const call = async (method: 'PUT' | 'POST', route: string, body: unknown): Promise<Record<string, unknown>> => {
    const res = await request(`${facadeUrl}/manage/${route}`, { method, headers: { 'x-admin-key': adminKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await res.body.json()) as Record<string, unknown>;
    if (res.statusCode >= 300) throw new Error(`seeding ${route}: HTTP ${res.statusCode} ${JSON.stringify(answer).slice(0, 300)}`);
    return answer;
  };
  for (const { workspace, service, backend, products } of entries) await call('PUT', `catalogue/${workspace}/${service}`, { backend, products });
  if (reuse) {
    const res = await request(`${facadeUrl}/manage/subscriptions/${encodeURIComponent(reuse.id)}`, { headers: { 'x-admin-key': adminKey } });
    await res.body.dump();
    if (res.statusCode === 200) return reuse;
  }
  const created = await call('POST', 'subscriptions', { name: 'demo', productId: 'unlimited' });
  return { id: String(created.id), primaryKey: String(created.primaryKey) };
}

/** The facade's storage settings in identity mode: service URIs and the managed identity, as Functions names them. */
function identityStorageSettings(azurite: { blob: string; queue: string; table: string }, account: string, cert: string): Record<string, string> {
  return {
    AzureWebJobsStorage__blobServiceUri: `${azurite.blob}/${account}`,
    AzureWebJobsStorage__queueServiceUri: `${azurite.queue}/${account}`,
    AzureWebJobsStorage__tableServiceUri: `${azurite.table}/${account}`,
    AzureWebJobsStorage__credential: 'managedidentity',
    // The emulator's self-signed certificate, trusted by the facade's process (Node reads this at start).
    NODE_EXTRA_CA_CERTS: cert,
  };
}
