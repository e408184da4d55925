// The demo service (Feature Hashing) as catalogue entries on the new kinds of backend, each answering exactly as the
// classic one: the Azure ML online endpoint's MLflow deployment and classic-body deployment, and MLServer over OIP.
// What a user writes to move a classic model (README: "Moving a classic model to Azure ML").
import type { CatalogueEntry } from '../../lib/catalogue/entry.js';
import { OIP_MODEL } from './model-servers.js';

export const DEMO_WORKSPACE = 'demo-workspace';
/** The demo service's names on each kind of backend. */
export const DEMO_SERVICES = { classic: 'feature-hashing', azuremlMlflow: 'feature-hashing-aml', azuremlClassic: 'feature-hashing-aml-classic', oip: 'feature-hashing-oip' } as const;

/** The classic global parameters of Feature Hashing, which both model servers take under the same names. */
const PARAMS = { 'Hashing bitsize': 'integer', 'N-grams': 'integer' } as const;

export function demoModelEntries(azuremlUrl: string, oipUrl: string, keySecretName: string): CatalogueEntry[] {
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
  ];
}
