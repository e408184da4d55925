// The classic kind: its catalogue configuration and how its adapter is built (listed in backends/kinds.ts).
import type { AdapterDeps, BackendKindDefinition } from '../kind.js';
import { ClassicBackend } from './adapter.js';
import { ClassicBackendConfig } from './config.js';

export const classicKind = {
  config: ClassicBackendConfig,
  families: ['rrs', 'bes'],
  create: (deps: AdapterDeps) => new ClassicBackend(deps.keys, { timeoutMs: deps.controlTimeoutMs, documentTimeoutMs: deps.documentTimeoutMs }),
} satisfies BackendKindDefinition<typeof ClassicBackendConfig>;
