// The azureml-online kind: its catalogue configuration and how its adapter is built (listed in backends/kinds.ts).
import type { AdapterDeps, BackendKindDefinition } from '../kind.js';
import { AzureMlOnlineBackend } from './adapter.js';
import { AzureMlOnlineConfig } from './config.js';

export const azureMlOnlineKind = {
  config: AzureMlOnlineConfig,
  families: ['rrs'],
  create: (deps: AdapterDeps) => new AzureMlOnlineBackend(deps.keys, deps.tokens),
} satisfies BackendKindDefinition<typeof AzureMlOnlineConfig>;
