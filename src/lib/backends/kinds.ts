// The kinds of backend, each an adapter in its own folder (backends/<kind>/): the one place where a catalogue
// entry's `backend.kind` chooses one. Adding a kind is a new folder and one line in KINDS.
import { z } from 'zod';
import type { Backend, BackendTarget } from './port.js';
import type { AdapterDeps } from './kind.js';
import type { OperationFamily } from '../contracts/products.js';
import { classicKind } from './classic/index.js';
import { azureMlOnlineKind } from './azureml-online/index.js';
import { oipKind } from './oip/index.js';
import { azureMlBatchKind } from './azureml-batch/index.js';

const KINDS = [classicKind, azureMlOnlineKind, oipKind, azureMlBatchKind] as const;

type Kind = (typeof KINDS)[number];
type Configs = [Kind['config'], ...Kind['config'][]];

/** A catalogue entry's `backend`: the configuration of one of the kinds. */
export const BackendConfig = z.discriminatedUnion('kind', KINDS.map((k) => k.config) as unknown as Configs);
export type BackendConfig = z.infer<typeof BackendConfig>;

/** What a service on a backend of this kind serves (rrs, bes); none for a kind this build does not know. */
export function familiesOf(kind: string): readonly OperationFamily[] {
  return KINDS.find((k) => k.config.shape.kind.value === kind)?.families ?? [];
}

/** The adapter for an entry, chosen by its backend's kind. */
export type BackendFor = (target: BackendTarget<BackendConfig>) => Backend<BackendConfig>;

/** One adapter per kind, built on first use. */
export function createBackends(deps: AdapterDeps): BackendFor {
  const adapters = new Map<string, Backend<BackendConfig>>();
  return (target) => {
    const kind = target.backend.kind;
    let adapter = adapters.get(kind);
    if (!adapter) {
      const definition = KINDS.find((k) => k.config.shape.kind.value === kind);
      if (!definition) throw new Error(`no adapter for backend kind "${kind}"`);
      adapter = definition.create(deps) as Backend<BackendConfig>;
      adapters.set(kind, adapter);
    }
    return adapter;
  };
}
