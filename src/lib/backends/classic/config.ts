// A catalogue entry's backend of kind "classic": a web service that speaks the Azure ML Studio (classic) API
// itself (the reference service, a classic service still running, another facade).
import { z } from 'zod';
import { PathSegment, SecretName } from '../../contracts/names.js';

export const ClassicBackendConfig = z.object({
  kind: z.literal('classic'),
  baseUrl: z.url({ protocol: /^https?$/ }).max(2048),
  workspace: PathSegment,
  service: PathSegment,
  /** Name (never value) of the Key Vault secret that holds the backend's API key. */
  apiKeySecretName: SecretName,
  timeoutMs: z.number().int().min(100).max(220_000).optional(),
});
export type ClassicBackendConfig = z.infer<typeof ClassicBackendConfig>;
