// Names in URLs: a workspace, a service, a backend's ids. One rule, so a name the catalogue could never hold is
// refused before it reaches storage or a backend.
import { z } from 'zod';

export const PathSegment = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only');

/** The name (never the value) of a Key Vault secret. */
export const SecretName = z.string().regex(/^[0-9A-Za-z-]{1,127}$/, 'a Key Vault secret name');
