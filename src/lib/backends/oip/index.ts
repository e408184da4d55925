// The oip kind (Open Inference Protocol v2): its catalogue configuration and how its adapter is built (backends/kinds.ts).
import type { AdapterDeps, BackendKindDefinition } from '../kind.js';
import { OipBackend } from './adapter.js';
import { OipConfig } from './config.js';

export const oipKind = {
  config: OipConfig,
  families: ['rrs'],
  create: (deps: AdapterDeps) => new OipBackend(deps.keys, { documentTimeoutMs: deps.documentTimeoutMs }),
} satisfies BackendKindDefinition<typeof OipConfig>;
