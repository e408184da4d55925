// Process entry for the Azure ML batch endpoint STAND-IN (azureml-batch-standin.ts): the invoke plane and the ARM
// Jobs API on one loopback port, running jobs through models/batch-runtime/driver.py. Prints one JSON line
// {"event":"listening","url":...} when ready; stops on SIGTERM or SIGINT (killing running drivers). A bad setting
// stops it with one JSON error line per setting; the signing key never reaches stdout or stderr.
//   AML_BATCH_PORT                 port on 127.0.0.1 (default 0: any free port)
//   AML_BATCH_PYTHON               required: the Python that runs the driver and the scoring scripts
//   AML_BATCH_DRIVER               the batch runtime stand-in (default: models/batch-runtime/driver.py of the project)
//   AML_BATCH_DEPLOYMENTS_JSON     required, deployment name -> {scoringScript, codeDir?, miniBatchSize?, env?}, e.g.
//                                  {"classic":{"scoringScript":"models/feature-hashing/azureml/batch/score.py",
//                                  "env":{"FEATURE_HASHING_OUTPUT":"rows"}}}
//   AML_BATCH_DEFAULT_DEPLOYMENT   required: the endpoint's default deployment (one of the above)
//   AML_BATCH_SIGNING_KEY          required (≥ 32 characters): the Key Vault stand-in's KEYVAULT_SIGNING_KEY, so its
//                                  identity endpoint's https://ml.azure.com and https://management.azure.com tokens
//                                  are accepted
//   AML_BATCH_WORKSPACE_JSON       required: {"subscriptionId":"...","resourceGroup":"...","workspace":"..."}
//   AML_BATCH_STEP_MS              time per job state step, 1 to 600000 (default 20)
//   AML_BATCH_CANCEL_DELAY_MS      time in CancelRequested, 0 to 600000 (default 200)

import path from 'node:path';
import { z } from 'zod';
import { startAzureMlBatchStandIn, type AzureMlBatchStandInOptions } from './azureml-batch-standin.js';
import { DEPLOYMENT_NAME_RE } from './azureml-online-wire.js';
import { runStandIn } from './env.js';
import { settingsReader } from './settings-reader.js';
import { findProjectRoot } from './stack/project.js';

const Deployments = z
  .record(
    z.string(), // names are checked below (zod would only say "Invalid key in record")
    z.strictObject({
      scoringScript: z.string({ error: 'scoringScript must be a path' }).min(1),
      codeDir: z.string().min(1).optional(),
      miniBatchSize: z.int({ error: 'miniBatchSize must be a whole number' }).min(1).max(100_000).optional(),
      env: z.record(z.string(), z.string({ error: 'env values must be strings' })).optional(),
    }),
  )
  .refine((d) => Object.keys(d).length > 0, { error: 'at least one deployment is required' });
const Workspace = z.strictObject({
  subscriptionId: z.string({ error: 'subscriptionId is required' }).regex(/^[^/?#\s]{1,90}$/, { error: 'must be a path segment' }),
  resourceGroup: z.string({ error: 'resourceGroup is required' }).regex(/^[^/?#\s]{1,90}$/, { error: 'must be a path segment' }),
  workspace: z.string({ error: 'workspace is required' }).regex(/^[^/?#\s]{1,90}$/, { error: 'must be a path segment' }),
});
/** The settings, or one line per bad setting (never quoting the signing key). */
function readSettings(env: NodeJS.ProcessEnv): { settings?: AzureMlBatchStandInOptions; errors: string[] } {
  const { errors, setting, json, optional, port: portOf } = settingsReader(env);
  const port = portOf('AML_BATCH_PORT');
  const python = env.AML_BATCH_PYTHON || undefined;
  if (!python) errors.push('AML_BATCH_PYTHON is required');
  let driver = env.AML_BATCH_DRIVER || '';
  if (!driver) {
    try {
      driver = path.join(findProjectRoot(), 'models', 'batch-runtime', 'driver.py');
    } catch {
      errors.push('AML_BATCH_DRIVER is required outside the project (no models/batch-runtime/driver.py found)');
    }
  }
  const rawDeployments = json('AML_BATCH_DEPLOYMENTS_JSON');
  const deployments = rawDeployments === undefined ? undefined : setting('AML_BATCH_DEPLOYMENTS_JSON', Deployments, rawDeployments);
  const badName = deployments && Object.keys(deployments).find((name) => !DEPLOYMENT_NAME_RE.test(name));
  if (badName !== undefined) errors.push(`AML_BATCH_DEPLOYMENTS_JSON: deployment name '${badName.slice(0, 40)}' must be 3-32 letters, digits or '-', starting with a letter`);
  const defaultDeployment = env.AML_BATCH_DEFAULT_DEPLOYMENT || undefined;
  if (!defaultDeployment) errors.push('AML_BATCH_DEFAULT_DEPLOYMENT is required');
  else if (deployments && !Object.hasOwn(deployments, defaultDeployment)) errors.push('AML_BATCH_DEFAULT_DEPLOYMENT must name one of AML_BATCH_DEPLOYMENTS_JSON');
  const signingKey = env.AML_BATCH_SIGNING_KEY ?? '';
  if (signingKey.length < 32) errors.push('AML_BATCH_SIGNING_KEY is required and must be at least 32 characters');
  const rawWorkspace = json('AML_BATCH_WORKSPACE_JSON');
  const workspace = rawWorkspace === undefined ? undefined : setting('AML_BATCH_WORKSPACE_JSON', Workspace, rawWorkspace);
  const stepMs = optional('AML_BATCH_STEP_MS', 1, 600_000);
  const cancelDelayMs = optional('AML_BATCH_CANCEL_DELAY_MS', 0, 600_000);

  if (errors.length > 0 || !python || !driver || !deployments || !defaultDeployment || !workspace) return { errors };
  return { settings: { port, python, driver, deployments, defaultDeployment, signingKey, workspace, stepMs, cancelDelayMs }, errors };
}

runStandIn(readSettings, startAzureMlBatchStandIn);
