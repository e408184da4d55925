// A catalogue entry's backend of kind "azureml-online": an Azure ML managed online endpoint (or anything that
// answers like one), called at its scoring URI. Its request format says what its deployment's scoring script
// takes: "mlflow" (the MLflow `input_data` split, which the facade builds from the classic body with the columns
// and types declared here) or "classic" (the classic body as the caller sent it, for a score.py that speaks it).
import { z } from 'zod';
import { SecretName } from '../../contracts/names.js';
import { ColumnMapping, ColumnType } from '../columns.js';

/** Audience of Azure ML endpoint tokens. */
export const AZUREML_SCOPE = 'https://ml.azure.com/.default';

const Auth = z.discriminatedUnion('mode', [
  /** An endpoint key, kept in Key Vault under this name. */
  z.object({ mode: z.literal('key'), keySecretName: SecretName }),
  /** An Entra token of the facade's managed identity (the endpoint's auth_mode aad_token). */
  z.object({ mode: z.literal('aad_token'), scope: z.url({ protocol: /^https$/ }).max(200).default(AZUREML_SCOPE) }),
]);

const Prediction = z.object({ name: z.string().min(1).max(128), type: ColumnType });

export const AzureMlOnlineConfig = z
  .object({
    kind: z.literal('azureml-online'),
    /** The endpoint's scoring URI (https://<endpoint>.<region>.inference.ml.azure.com/score); /score is added when missing. */
    baseUrl: z.url({ protocol: /^https?$/ }).max(2048),
    /** Pins a deployment (the azureml-model-deployment header); without it the endpoint's traffic rules choose. */
    deployment: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'a deployment name: letters, digits and "-", at most 32').optional(),
    auth: Auth,
    requestFormat: z.enum(['mlflow', 'classic']),
    timeoutMs: z.number().int().min(100).max(180_000).optional(),
    ...ColumnMapping,
    /** mlflow: the prediction columns of the answer, in order; a prediction that is a list of k values becomes name.0 … name.k-1. */
    predictions: z.array(Prediction).min(1).max(100).optional(),
  })
  .superRefine((config, ctx) => {
    if (config.requestFormat !== 'mlflow') return;
    if (!config.columns || Object.keys(config.columns).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'the mlflow format needs the model input columns and their types' });
    }
    if (!config.predictions) ctx.addIssue({ code: 'custom', path: ['predictions'], message: 'the mlflow format needs the prediction columns' });
    config.echo.forEach((name, i) => {
      if (config.columns && !Object.hasOwn(config.columns, name)) ctx.addIssue({ code: 'custom', path: ['echo', i], message: `'${name}' is not one of the columns` });
    });
  });
export type AzureMlOnlineConfig = z.infer<typeof AzureMlOnlineConfig>;
