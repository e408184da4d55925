// The demo service (Feature Hashing) as catalogue entries on the new kinds of backend, each answering exactly as the
// classic one: the Azure ML online endpoint's MLflow deployment and classic-body deployment, and MLServer over OIP.
// What a user writes to move a classic model (README: "Moving a classic model to Azure ML").
import type { CatalogueEntry } from '../../lib/catalogue/entry.js';
import path from 'node:path';
import { OIP_MODEL } from './model-servers.js';

export const DEMO_WORKSPACE = 'demo-workspace';
/** The demo service's names on each kind of backend. */
export const DEMO_SERVICES = {
  classic: 'feature-hashing', azuremlMlflow: 'feature-hashing-aml', azuremlClassic: 'feature-hashing-aml-classic', oip: 'feature-hashing-oip', azuremlBatch: 'feature-hashing-batch',
} as const;

/** The batch endpoint's workspace, as the stand-in and the entry name it. */
export const DEMO_BATCH_WORKSPACE = { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'local', workspace: 'local' } as const;

/** The batch deployments of the reference model: one writes predictions only (as MLflow ones do), one whole rows. */
export function DEMO_BATCH_DEPLOYMENTS(root: string): Record<string, { scoringScript: string; env: Record<string, string> }> {
  const scoringScript = path.join(root, 'models', 'feature-hashing', 'azureml', 'batch', 'score.py');
  return {
    predictions: { scoringScript, env: { FEATURE_HASHING_OUTPUT: 'predictions' } },
    rows: { scoringScript, env: { FEATURE_HASHING_OUTPUT: 'rows' } },
  };
}

/** The demo's batch entry on a batch endpoint at `url` (both planes), with a deployment and what it writes. */
export function batchEntryBackend(url: string, deployment: 'predictions' | 'rows') {
  const { subscriptionId, resourceGroup, workspace } = DEMO_BATCH_WORKSPACE;
  return {
    kind: 'azureml-batch' as const, baseUrl: `${url}/jobs`, managementUrl: url, deployment, workspace: { subscriptionId, resourceGroup, name: workspace },
    apiVersion: '2024-04-01', inputName: 'input_data', outputName: 'score', output: deployment,
    echo: ['Col2'], predictions: [{ name: 'Col2_HashingFeature', type: 'integer' as const }],
  };
}

/** The classic global parameters of Feature Hashing, which both model servers take under the same names. */
const PARAMS = { 'Hashing bitsize': 'integer', 'N-grams': 'integer' } as const;

export function demoModelEntries(models: { azuremlUrl: string; oipUrl: string; batchUrl: string; keySecretName: string }): CatalogueEntry[] {
  const { azuremlUrl, oipUrl, batchUrl, keySecretName } = models;
  const common = { workspace: DEMO_WORKSPACE, products: [] };
  return [
    {
      ...common,
      service: DEMO_SERVICES.azuremlMlflow,
      backend: {
        kind: 'azureml-online', baseUrl: `${azuremlUrl}/score`, deployment: 'mlflow', auth: { mode: 'key', keySecretName }, requestFormat: 'mlflow',
        input: 'input1', output: 'output1', columns: { Col2: 'string' }, params: { ...PARAMS }, echo: ['Col2'],
        predictions: [{ name: 'Col2_HashingFeature', type: 'integer' }],
      },
    },
    {
      ...common,
      service: DEMO_SERVICES.azuremlClassic,
      backend: {
        kind: 'azureml-online', baseUrl: `${azuremlUrl}/score`, deployment: 'classic', auth: { mode: 'key', keySecretName }, requestFormat: 'classic',
        input: 'input1', output: 'output1', params: {}, echo: [],
      },
    },
    {
      ...common,
      service: DEMO_SERVICES.oip,
      backend: { kind: 'oip', baseUrl: oipUrl, model: OIP_MODEL, input: 'input1', output: 'output1', params: { ...PARAMS }, echo: ['Col2'] },
    },
    { ...common, service: DEMO_SERVICES.azuremlBatch, backend: batchEntryBackend(batchUrl, 'predictions') },
  ];
}
