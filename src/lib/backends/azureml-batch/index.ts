// The azureml-batch kind: its catalogue configuration and how its adapter is built (listed in backends/kinds.ts).
import type { AdapterDeps, BackendKindDefinition } from '../kind.js';
import { AzureMlBatchBackend } from './adapter.js';
import { AzureMlBatchConfig } from './config.js';

export const azureMlBatchKind = {
  config: AzureMlBatchConfig,
  families: ['bes'],
  create: (deps: AdapterDeps) => new AzureMlBatchBackend(deps.tokens, deps.batch, { timeoutMs: deps.controlTimeoutMs }),
} satisfies BackendKindDefinition<typeof AzureMlBatchConfig>;
