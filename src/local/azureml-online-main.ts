// Process entry for the Azure ML online endpoint STAND-IN (azureml-online-standin.ts), in front of real inference
// servers started by others. Prints one JSON line {"event":"listening","url":...} when ready; stops on SIGTERM or
// SIGINT. A bad setting stops it with one JSON error line per setting; keys never reach stdout or stderr.
//   AML_STANDIN_PORT                 port on 127.0.0.1 (default 0: any free port)
//   AML_STANDIN_DEPLOYMENTS_JSON     required, deployment name -> inference server, e.g.
//                                    {"mlflow":{"upstream":"http://127.0.0.1:5001","traffic":100},"classic":{"upstream":"http://127.0.0.1:5002"}}
//                                    (traffic: whole numbers adding up to 100, or all 0 so only azureml-model-deployment routes)
//   AML_STANDIN_AUTH_MODE            key (default) or aad_token
//   AML_STANDIN_KEYS_JSON            with key: ["primary","secondary"]
//   AML_STANDIN_SIGNING_KEY          with aad_token: the Key Vault stand-in's KEYVAULT_SIGNING_KEY (≥ 32 characters), so
//                                    its identity endpoint's https://ml.azure.com tokens are accepted
//   AML_STANDIN_REQUEST_TIMEOUT_MS   request_settings.request_timeout_ms, 1 to 180000 (default 5000)
//   AML_STANDIN_MAX_CONCURRENT_REQUESTS  in-flight requests before 429 (default 8)
//   AML_STANDIN_CONTROL_KEY          optional (≥ 16 characters): enables POST /_standin/keys with header
//                                    x-standin-control-key and body {"keys":["primary","secondary"]} -> 204, to rotate
//                                    the keys without a restart

import { z } from 'zod';
import { startAzureMlOnlineStandIn, type AzureMlAuth, type AzureMlOnlineStandInOptions } from './azureml-online-standin.js';
import { checkDeployments, MAX_REQUEST_TIMEOUT_MS } from './azureml-online-wire.js';
import { runStandIn } from './env.js';
import { settingsReader } from './settings-reader.js';

// Names are checked by checkDeployments (zod would only say "Invalid key in record").
const Deployments = z.record(
  z.string(),
  z.strictObject({
    upstream: z.url({ protocol: /^https?$/, error: 'upstream must be an http(s) URL' }),
    traffic: z.int({ error: 'traffic must be a whole number' }).min(0).max(100).optional(),
  }),
);
const Key = z.string({ error: 'keys must be strings' }).min(1, { error: 'keys must not be empty' });
const Keys = z.tuple([Key, Key], { error: 'must be a JSON array of two non-empty strings' });
type Settings = AzureMlOnlineStandInOptions;

/** The settings, or one line per bad setting (never quoting a key). */
function readSettings(env: NodeJS.ProcessEnv): { settings?: Settings; errors: string[] } {
  const { errors, setting, json, optional, port: portOf } = settingsReader(env);
  const port = portOf('AML_STANDIN_PORT');
  const rawDeployments = json('AML_STANDIN_DEPLOYMENTS_JSON', true);
  let deployments = rawDeployments === undefined ? undefined : setting('AML_STANDIN_DEPLOYMENTS_JSON', Deployments, rawDeployments);
  if (deployments) {
    try {
      checkDeployments(deployments);
    } catch (err) {
      errors.push(`AML_STANDIN_DEPLOYMENTS_JSON: ${(err as Error).message}`);
      deployments = undefined;
    }
  }
  const mode = setting('AML_STANDIN_AUTH_MODE', z.enum(['key', 'aad_token']), env.AML_STANDIN_AUTH_MODE || 'key');
  let auth: AzureMlAuth | undefined;
  if (mode === 'key') {
    const raw = json('AML_STANDIN_KEYS_JSON', true);
    const keys = raw === undefined ? undefined : setting('AML_STANDIN_KEYS_JSON', Keys, raw);
    if (keys) auth = { mode: 'key', keys };
  } else if (mode === 'aad_token') {
    const signingKey = env.AML_STANDIN_SIGNING_KEY ?? '';
    if (signingKey.length < 32) errors.push('AML_STANDIN_SIGNING_KEY is required with aad_token and must be at least 32 characters');
    else auth = { mode: 'aad_token', signingKey };
  }
  const requestTimeoutMs = optional('AML_STANDIN_REQUEST_TIMEOUT_MS', 1, MAX_REQUEST_TIMEOUT_MS);
  const maxConcurrentRequests = optional('AML_STANDIN_MAX_CONCURRENT_REQUESTS', 1, 10_000);
  const controlKey = env.AML_STANDIN_CONTROL_KEY || undefined;
  if (controlKey !== undefined && controlKey.length < 16) errors.push('AML_STANDIN_CONTROL_KEY must be at least 16 characters');

  if (errors.length > 0 || !deployments || !auth) return { errors };
  return { settings: { port, deployments, auth, requestTimeoutMs, maxConcurrentRequests, controlKey }, errors };
}

runStandIn(readSettings, startAzureMlOnlineStandIn);
