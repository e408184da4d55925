// The Azure ML online adapter against the endpoint's documented behaviour: the endpoint stand-in (this file's own,
// in-process, so the test can rotate its keys and make it fail) in front of the real Azure ML inference server
// (the shared one, running the project's score.py deployments), plus two small upstreams standing for a model
// container that crashes (500) and one that hangs. Key rotation in Key Vault and token expiry are picked up without
// a restart; every documented error status (401, 404, 408, 424, 429, 500, 503) reaches the caller in the classic
// shape with the cause in `details`; the caller's trace id reaches the endpoint.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelServersMissing, useStack } from './helpers/stack.js';
import { expectClassicBody } from './helpers/classic.js';
import { setVaultSecret } from './helpers/faults.js';
import { waitFor } from './helpers/wait.js';
import { startAzureMlOnlineStandIn, type AzureMlOnlineStandIn } from '../../src/local/azureml-online-standin.js';
import { newKey } from '../../src/lib/auth/keys.js';

const missing = modelServersMissing('azureml-online-endpoint');
const BODY = { Inputs: { input1: { ColumnNames: ['Col2'], Values: [['This is a good day']] } }, GlobalParameters: { 'Hashing bitsize': 3 } };
const MAPPING = { columns: { Col2: 'string' }, params: { 'Hashing bitsize': 'integer', 'N-grams': 'integer' }, echo: ['Col2'], predictions: [{ name: 'Col2_HashingFeature', type: 'integer' }] };

describe.skipIf(Boolean(missing))('an Azure ML online endpoint behind the facade', () => {
  // Tokens live 2 s, so a test can see one expire; the file's own Key Vault stand-in issues them.
  const stack = useStack({ models: true, keyVaultEnv: { KEYVAULT_TOKEN_TTL_SECONDS: '2' } });
  const servers: http.Server[] = [];
  let keyed: AzureMlOnlineStandIn;
  let tokened: AzureMlOnlineStandIn;
  let keys = [newKey(), newKey()] as [string, string];
  let keyFetchedAt = 0;

  async function upstream(handler: http.RequestListener): Promise<string> {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function register(service: string, backend: Record<string, unknown>) {
    const res = await request(`${stack().facadeUrl}/manage/catalogue/${stack().demo.workspace}/${service}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-admin-key': stack().adminKey },
      body: JSON.stringify({ backend }),
    });
    expect(res.statusCode, await res.body.text()).toBe(200);
  }

  async function execute(service: string, body: unknown = BODY) {
    const { facadeUrl, demo } = stack();
    const res = await request(`${facadeUrl}/workspaces/${demo.workspace}/services/${service}/execute?api-version=2.0&details=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.subscriptionKey}` },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, headers: res.headers, json: (await res.body.json()) as any };
  }

  beforeAll(async () => {
    const { azureml } = stack().models!.servers;
    const crashing = await upstream((req, res) => req.resume().on('end', () => res.writeHead(500, 'Internal Server Error', { 'content-type': 'application/json' }).end('{"message":"boom in run()"}')));
    const hanging = await upstream((req) => req.resume()); // never answers
    const deployments = { mlflow: { upstream: azureml.mlflow, traffic: 100 }, classic: { upstream: azureml.classic }, crashing: { upstream: crashing }, hanging: { upstream: hanging } };
    keyed = await startAzureMlOnlineStandIn({ deployments, auth: { mode: 'key', keys }, requestTimeoutMs: 300 });
    tokened = await startAzureMlOnlineStandIn({ deployments, auth: { mode: 'aad_token', signingKey: stack().keyVault.signingKey } });
    await setVaultSecret(stack().keyVault, 'aml-endpoint-key', keys[0]);
    const base = { kind: 'azureml-online', requestFormat: 'mlflow', ...MAPPING };
    const keyAuth = { mode: 'key', keySecretName: 'aml-endpoint-key' };
    await register('aml-key', { ...base, baseUrl: `${keyed.url}/score`, auth: keyAuth });
    await register('aml-token', { ...base, baseUrl: tokened.url, auth: { mode: 'aad_token' } });
    await register('aml-classic', { kind: 'azureml-online', requestFormat: 'classic', baseUrl: `${keyed.url}/score`, deployment: 'classic', auth: keyAuth });
    await register('aml-crashing', { ...base, baseUrl: `${keyed.url}/score`, deployment: 'crashing', auth: keyAuth });
    await register('aml-hanging', { ...base, baseUrl: `${keyed.url}/score`, deployment: 'hanging', auth: keyAuth });
    await register('aml-no-deployment', { ...base, baseUrl: `${keyed.url}/score`, deployment: 'nosuch', auth: keyAuth });
    expect((await execute('aml-key')).status).toBe(200); // the facade now holds the key
    keyFetchedAt = Date.now();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([keyed?.close(), tokened?.close(), ...servers.map((s) => new Promise((r) => { s.closeAllConnections(); s.close(r); }))]);
  });

  it('scores with the endpoint key; the deployment header and the caller\'s trace id reach the endpoint', async () => {
    const answer = await execute('aml-key');
    expect(answer.status).toBe(200);
    expect(answer.json.Results.output1.value.Values).toEqual([['This is a good day', '1', '1', '2', '2', '0', '2', '0', '1']]);
    const call = keyed.log.at(-1)!;
    expect(call).toMatchObject({ status: 200, deployment: 'mlflow', authorization: 'key' });
    expect(call.clientRequestId).toBe(answer.headers['x-ms-request-id']);
  });

  it('a key rotated in Key Vault (and on the endpoint) is picked up without a restart: one 401, one refresh, 200', async () => {
    // The secret cache refreshes a name at most once a second: wait that out, as a real rotation would.
    await waitFor('a second since the key was read', () => (Date.now() - keyFetchedAt > 1_100 ? true : undefined), 3_000);
    keys = [newKey(), keys[0]];
    keyed.setKeys(keys[0], newKey()); // the old key no longer works anywhere
    await setVaultSecret(stack().keyVault, 'aml-endpoint-key', keys[0]);
    const before = keyed.log.length;
    const answer = await execute('aml-key');
    expect(answer.status).toBe(200);
    expect(keyed.log.slice(before).map((c) => c.status)).toEqual([401, 200]);
  });

  it('a key the endpoint refuses even fresh from Key Vault: 502 BackendUnauthorized, saying what to fix', async () => {
    await waitFor('a second since the key was read', () => (Date.now() - keyFetchedAt > 1_100 ? true : undefined), 3_000);
    keyed.setKeys(newKey(), newKey());
    try {
      const answer = await execute('aml-key');
      expect(answer.status).toBe(502);
      expectClassicBody(answer.json, 'BackendUnauthorized');
      expect(answer.json.error.message).toContain('Key Vault');
    } finally {
      keyed.setKeys(keys[0], keys[1]);
    }
  });

  it('scores with the managed identity\'s Entra token (audience https://ml.azure.com), and takes a new one when it expires', async () => {
    const first = await execute('aml-token');
    expect(first.status).toBe(200);
    const firstExp = tokened.log.at(-1)!.tokenExp!;
    expect(tokened.log.at(-1)).toMatchObject({ status: 200, authorization: 'token' });
    await waitFor('the first token to expire', () => (Date.now() / 1000 > firstExp + 0.2 ? true : undefined), 5_000);
    const second = await execute('aml-token');
    expect(second.status).toBe(200);
    expect(tokened.log.at(-1)!.tokenExp!).toBeGreaterThan(firstExp);
  });

  it('a classic-format deployment takes the classic body; the model\'s own 400 (a 424 from the endpoint) reaches the caller as a 400 naming the field', async () => {
    const ok = await execute('aml-classic');
    expect(ok.status).toBe(200);
    expect(ok.json.Results.output1.value.Values).toEqual([['This is a good day', '1', '1', '2', '2', '0', '2', '0', '1']]);
    const before = keyed.log.length;
    const bad = await execute('aml-classic', { Inputs: { input1: { ColumnNames: ['Other'], Values: [['x']] } }, GlobalParameters: {} });
    expect(keyed.log.slice(before).map((c) => c.status)).toEqual([424]);
    expect(bad.status).toBe(400);
    expectClassicBody(bad.json);
    expect(bad.json.error.details.map((d: any) => d.target)).toContain('Inputs.input1.Col2');
  });

  it('424 from a crashing model container → 502 with the model\'s status and reason in details', async () => {
    const answer = await execute('aml-crashing');
    expect(answer.status).toBe(502);
    expectClassicBody(answer.json, 'BackendModelError');
    expect(JSON.stringify(answer.json.error.details)).toMatch(/500/);
  });

  it('408 (request_timeout_ms exceeded) → 504; 404 (no such deployment) → 502; both say why', async () => {
    const timeout = await execute('aml-hanging');
    expect(timeout.status).toBe(504);
    expectClassicBody(timeout.json, 'BackendScoreTimeout');
    expect(JSON.stringify(timeout.json.error.details)).toContain('AzureML408');
    const none = await execute('aml-no-deployment');
    expect(none.status).toBe(502);
    expectClassicBody(none.json, 'BackendError');
    expect(none.json.error.details.map((d: any) => d.code)).toEqual(['BackendError', 'BackendDeploymentNotFound', 'AzureML404']);
  });

  it('429 and 503 → a retryable 429 with Retry-After; 500 → 502 with the endpoint\'s words', async () => {
    for (const status of [429, 503]) {
      keyed.failNext(status);
      const answer = await execute('aml-key');
      expect(answer.status, String(status)).toBe(429);
      expectClassicBody(answer.json, 'BackendBusy');
      expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    }
    keyed.failNext(500);
    const failed = await execute('aml-key');
    expect(failed.status).toBe(502);
    expectClassicBody(failed.json, 'BackendError');
    expect(JSON.stringify(failed.json.error.details)).toContain('AzureML500');
    expect((await execute('aml-key')).status).toBe(200);
  });
});
