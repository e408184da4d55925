// A catalogue entry's backend of kind "oip": a model on a server that speaks the Open Inference Protocol (KServe v2:
// KServe, NVIDIA Triton, Seldon MLServer, OpenVINO Model Server). Each classic column becomes the input tensor of the
// same name (datatype from the model's metadata, else from `columns`); global parameters become request parameters.
import { z } from 'zod';
import { SecretName } from '../../contracts/names.js';
import { ColumnMapping } from '../columns.js';

const ModelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'letters, digits, ".", "_" and "-"');

export const OipConfig = z
  .object({
    kind: z.literal('oip'),
    /** The server's base URL (the /v2 paths are added). */
    baseUrl: z.url({ protocol: /^https?$/ }).max(2048),
    model: ModelName,
    version: ModelName.optional(),
    /** A key in Key Vault sent as `Authorization: Bearer` (a server behind a gateway that wants one); none by default. */
    keySecretName: SecretName.optional(),
    timeoutMs: z.number().int().min(100).max(220_000).optional(),
    ...ColumnMapping,
  })
  .superRefine((config, ctx) => {
    config.echo.forEach((name, i) => {
      if (config.columns && !Object.hasOwn(config.columns, name)) ctx.addIssue({ code: 'custom', path: ['echo', i], message: `'${name}' is not one of the columns` });
    });
  });
export type OipConfig = z.infer<typeof OipConfig>;
