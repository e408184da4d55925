// The Azure ML online endpoint adapter: the caller's classic body sent to the endpoint's scoring URI as its
// deployment takes it (the MLflow split, or the classic body itself), with the endpoint key from Key Vault or the
// facade's Entra token (either read afresh once on a 401), the deployment header and the caller's trace id; the
// answer mapped back to the classic shape the caller asked for (wire.ts). Scores only: BES calls are refused.
import type { Backend, BackendTarget, CallOptions, ScoreAnswer, ScoreRequest } from '../port.js';
import type { ServiceSchema } from '../../contracts/service-schema.js';
import { keyCredential, tokenCredential, withCredential, type BackendKeys, type BackendTokens, type RenewableCredential } from '../keys.js';
import { callerTable, classicAnswer, echoColumns, predictionColumns, typedColumns, typedParameters, type AnswerColumn } from '../columns.js';
import { jsonOf, probeOrigin, transportsByUrl, type BackendAnswer } from '../transport.js';
import { refuseBatch } from '../online-only.js';
import type { AzureMlOnlineConfig } from './config.js';
import { CLIENT_REQUEST_ID_HEADER, DEPLOYMENT_HEADER, clientRequestId, endpointError, mlflowBody, predictionsOf, reshapeClassicAnswer } from './wire.js';
import { invalidModelAnswer } from '../columns.js';

type Target = BackendTarget<AzureMlOnlineConfig>;
const JSON_TYPE = 'application/json; charset=utf-8';
const DOCUMENT_TIMEOUT_MS = 3_000;

export class AzureMlOnlineBackend implements Backend<AzureMlOnlineConfig> {
  readonly #keys: BackendKeys;
  readonly #tokens: BackendTokens;
  readonly #transport = transportsByUrl();

  constructor(keys: BackendKeys, tokens: BackendTokens) {
    this.#keys = keys;
    this.#tokens = tokens;
  }

  async score(target: Target, request: ScoreRequest, options: CallOptions & { timeoutMs: number }): Promise<ScoreAnswer> {
    const { backend } = target;
    const mlflow = backend.requestFormat === 'mlflow' ? prepareMlflow(backend, request) : undefined;
    // The classic format forwards the caller's bytes: re-serialising would cost time and could change them.
    const body = mlflow?.body ?? request.body;
    const answer = await this.#post(backend, body, options);
    if (answer.status !== 200) throw endpointError(answer);
    const json = jsonOf(answer);
    const out = mlflow
      ? classicAnswer(backend.output, [...mlflow.echo, ...mlflowPredictions(json, mlflow.rows, backend)], mlflow.rows, request.format, request.details ?? true)
      : reshapeClassicAnswer(json, request.format, request.details ?? true);
    return { status: 200, contentType: JSON_TYPE, body: out, elapsedMs: answer.elapsedMs };
  }

  // Online scoring only: every BES call is refused with a clear 400.
  readonly submit = refuseBatch;
  readonly start = refuseBatch;
  readonly status = refuseBatch;
  readonly cancel = refuseBatch;

  /** An online endpoint publishes no classic document: an mlflow entry's mapping describes the service. */
  /** Any answer of the server proves it reachable; the call's status is not the point here. */
  ready(target: Target, options: CallOptions = {}): Promise<void> {
    return probeOrigin(target.backend.baseUrl, options.timeoutMs ?? DOCUMENT_TIMEOUT_MS);
  }

  async document(target: Target): Promise<ServiceSchema | undefined> {
    const { backend } = target;
    if (backend.requestFormat !== 'mlflow' || !backend.columns) return undefined;
    const columns = Object.fromEntries(Object.entries(backend.columns).map(([name, type]) => [name, { type }]));
    const outputs = Object.fromEntries([
      ...backend.echo.map((name) => [name, { type: backend.columns![name]! }] as const),
      ...(backend.predictions ?? []).map((p) => [p.name, { type: p.type }] as const),
    ]);
    const globalParameters = Object.fromEntries(Object.entries(backend.params).map(([name, type]) => [name, { type }]));
    return { inputs: { [backend.input]: { columns } }, outputs: { [backend.output]: { columns: outputs } }, globalParameters };
  }

  #post(backend: AzureMlOnlineConfig, body: Buffer, options: CallOptions & { timeoutMs: number }): Promise<BackendAnswer> {
    const transport = this.#transport(backend.baseUrl);
    const path = /\/score$/.test(transport.basePath) ? transport.basePath : `${transport.basePath}/score`;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (backend.deployment) headers[DEPLOYMENT_HEADER] = backend.deployment;
    const traceId = clientRequestId(options.requestId);
    if (traceId) headers[CLIENT_REQUEST_ID_HEADER] = traceId;
    return withCredential(this.#credential(backend), (secret) => transport.send('POST', path, { ...headers, authorization: `Bearer ${secret}` }, body, options.timeoutMs));
  }

  #credential(backend: AzureMlOnlineConfig): RenewableCredential {
    return backend.auth.mode === 'key' ? keyCredential(this.#keys, backend.auth.keySecretName) : tokenCredential(this.#tokens, backend.auth.scope);
  }
}

/** The MLflow body of a classic call, and what the answer needs from it (rows, echoed columns). */
function prepareMlflow(backend: AzureMlOnlineConfig, request: ScoreRequest): { body: Buffer; rows: number; echo: AnswerColumn[] } {
  const table = callerTable(request.parsed, backend.input);
  const declared = backend.columns ?? {};
  const columns = typedColumns(table, declared, backend.input);
  const params = typedParameters(request.parsed.GlobalParameters, backend.params);
  return { body: mlflowBody(columns, table.rows, params), rows: table.rows, echo: echoColumns(table, backend.echo, declared) };
}

function mlflowPredictions(json: unknown, rows: number, backend: AzureMlOnlineConfig): AnswerColumn[] {
  const predictions = predictionsOf(json);
  if (!predictions) throw invalidModelAnswer('an MLflow answer is a JSON array or {"predictions": [...]}');
  return predictionColumns(predictions, rows, backend.predictions ?? []);
}
