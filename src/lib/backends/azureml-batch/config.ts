// A catalogue entry's backend of kind "azureml-batch": a model deployment of an Azure ML batch endpoint, which runs
// classic BES jobs. Jobs are invoked at the endpoint's URI with an Entra token for https://ml.azure.com and followed
// (status, cancel) through the workspace's Jobs API on Azure Resource Manager with a token for
// https://management.azure.com. `output` says what the deployment writes per input row: its predictions only (as
// MLflow batch deployments do; joined back to the input rows in order) or whole result rows.
import { z } from 'zod';
import { ColumnType } from '../columns.js';

const ArmName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.()-]{0,89}$/, 'an Azure resource name');

export const AzureMlBatchConfig = z.object({
  kind: z.literal('azureml-batch'),
  /** The endpoint's invocation URI (https://<endpoint>.<region>.inference.ml.azure.com/jobs); /jobs is added when missing. */
  baseUrl: z.url({ protocol: /^https?$/ }).max(2048),
  deployment: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'a deployment name: letters, digits and "-", at most 32').optional(),
  /** The workspace whose Jobs API follows the jobs. */
  workspace: z.object({
    subscriptionId: z.string().regex(/^[0-9A-Fa-f-]{36}$/, 'a subscription id (a GUID)'),
    resourceGroup: ArmName,
    name: ArmName,
  }),
  /** Azure Resource Manager (the default), or a loopback stand-in. */
  managementUrl: z.url({ protocol: /^https?$/ }).max(2048).default('https://management.azure.com'),
  apiVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/).default('2024-04-01'),
  /** The names the deployment's input and output ports have (Azure ML's defaults). */
  inputName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/).default('input_data'),
  outputName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/).default('score'),
  /** What the deployment writes per input row: `predictions` (joined back to the input rows) or whole `rows`. */
  output: z.enum(['predictions', 'rows']),
  /** predictions: the input columns kept in the result (all when omitted); rows: the leading columns each row repeats. */
  echo: z.array(z.string().min(1).max(128)).max(1000).optional(),
  /** The prediction columns, in order; a prediction that spans k values becomes name.0 … name.k-1. */
  predictions: z.array(z.object({ name: z.string().min(1).max(128), type: ColumnType })).min(1).max(100),
  /** Deadline of one control call (invoke, status, cancel). */
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
});
export type AzureMlBatchConfig = z.infer<typeof AzureMlBatchConfig>;
