// The Open Inference Protocol adapter: the caller's classic columns sent as input tensors (datatypes from the
// model's metadata, read once a minute, else from the entry), global parameters as request parameters, output
// tensors read back as classic columns; the model's metadata also describes the service (swagger.json, portal).
// Scores only: BES calls are refused.
import type { Backend, BackendTarget, CallOptions, ScoreAnswer, ScoreRequest } from '../port.js';
import type { ServiceSchema, ColumnSpec } from '../../contracts/service-schema.js';
import { GatewayError } from '../../errors.js';
import { TtlCache } from '../../ttl-cache.js';
import { keyCredential, withCredential, type BackendKeys } from '../keys.js';
import { callerTable, classicAnswer, echoColumns, typedColumns, typedParameters } from '../columns.js';
import { jsonOf, transportsByUrl, type BackendAnswer, type Method } from '../transport.js';
import { refuseBatch } from '../online-only.js';
import type { OipConfig } from './config.js';
import { ModelMetadata, columnTypeOf, datatypeOf, inferBody, inferError, outputColumns, type TensorMetadata } from './wire.js';

type Target = BackendTarget<OipConfig>;
const JSON_TYPE = 'application/json; charset=utf-8';
const METADATA_CACHE_MS = 60_000;

export interface OipBackendOptions {
  /** Timeout of a metadata or readiness read. */
  documentTimeoutMs?: number;
}

export class OipBackend implements Backend<OipConfig> {
  readonly #keys: BackendKeys;
  readonly #documentTimeoutMs: number;
  readonly #transport = transportsByUrl();
  readonly #metadata = new TtlCache<ModelMetadata | null>(METADATA_CACHE_MS);

  constructor(keys: BackendKeys, options: OipBackendOptions = {}) {
    this.#keys = keys;
    this.#documentTimeoutMs = options.documentTimeoutMs ?? 3_000;
  }

  async score(target: Target, request: ScoreRequest, options: CallOptions & { timeoutMs: number }): Promise<ScoreAnswer> {
    const { backend } = target;
    const inputs = await this.#inputs(backend);
    const declared = Object.fromEntries(inputs.map((t) => [t.name, columnTypeOf(t.datatype)]));
    const table = callerTable(request.parsed, backend.input);
    const columns = typedColumns(table, declared, backend.input);
    const parameters = typedParameters(request.parsed.GlobalParameters, backend.params);
    const body = inferBody(inputs, columns, table.rows, parameters);
    const answer = await this.#send(backend, 'POST', `${modelPath(backend)}/infer`, body, options.timeoutMs);
    if (answer.status !== 200) throw inferError(answer);
    const out = [...echoColumns(table, backend.echo, declared), ...outputColumns(jsonOf(answer), table.rows)];
    return { status: 200, contentType: JSON_TYPE, body: classicAnswer(backend.output, out, table.rows, request.format, request.details ?? true), elapsedMs: answer.elapsedMs };
  }

  // Online scoring only: every BES call is refused with a clear 400.
  readonly submit = refuseBatch;
  readonly start = refuseBatch;
  readonly status = refuseBatch;
  readonly cancel = refuseBatch;

  /** The model's metadata as the service's schema: its input tensors as columns, its outputs after the echoed ones. */
  async document(target: Target): Promise<ServiceSchema | undefined> {
    const { backend } = target;
    const metadata = await this.#readMetadata(backend);
    if (!metadata) return undefined;
    const spec = (t: TensorMetadata): ColumnSpec => ({ type: columnTypeOf(t.datatype), format: t.datatype.toLowerCase() });
    const outputs: Record<string, ColumnSpec> = {};
    for (const name of backend.echo) {
      const input = metadata.inputs.find((t) => t.name === name);
      outputs[name] = input ? spec(input) : { type: 'string' };
    }
    for (const t of metadata.outputs) {
      const width = t.shape.length === 2 && t.shape[1]! > 1 ? t.shape[1]! : 0;
      if (width === 0) outputs[t.name] = spec(t);
      else for (let k = 0; k < width; k++) outputs[`${t.name}.${k}`] = spec(t);
    }
    return {
      title: metadata.name,
      inputs: { [backend.input]: { columns: Object.fromEntries(metadata.inputs.map((t) => [t.name, spec(t)])) } },
      outputs: { [backend.output]: { columns: outputs } },
      globalParameters: Object.fromEntries(Object.entries(backend.params).map(([name, type]) => [name, { type }])),
    };
  }

  /** Ready when the server says the model is (GET …/ready answers 200). */
  async ready(target: Target, options: CallOptions = {}): Promise<void> {
    const answer = await this.#send(target.backend, 'GET', `${modelPath(target.backend)}/ready`, undefined, options.timeoutMs ?? this.#documentTimeoutMs);
    if (answer.status !== 200) throw new Error(`model not ready (HTTP ${answer.status})`);
  }

  /** The model's input tensors: its metadata's, else the entry's declared columns. */
  async #inputs(backend: OipConfig): Promise<TensorMetadata[]> {
    const metadata = await this.#readMetadata(backend);
    if (metadata && metadata.inputs.length > 0) return metadata.inputs;
    if (backend.columns) return Object.entries(backend.columns).map(([name, type]) => ({ name, datatype: datatypeOf(type), shape: [-1] }));
    const message = `The inference server published no metadata for model '${backend.model}', and the catalogue entry declares no columns.`;
    throw new GatewayError('BackendError', message, {
      details: [{ code: 'BackendError', message }, { code: 'BackendModelNotFound', target: 'backend.model', message: 'is the model served under this name (and version)?' }],
    });
  }

  #readMetadata(backend: OipConfig): Promise<ModelMetadata | null> {
    return this.#metadata.get(JSON.stringify(backend), async () => {
      const answer = await this.#send(backend, 'GET', modelPath(backend), undefined, this.#documentTimeoutMs).catch(() => undefined);
      const parsed = answer?.status === 200 ? ModelMetadata.safeParse(jsonOf(answer)) : undefined;
      return parsed?.success ? parsed.data : null;
    });
  }

  #send(backend: OipConfig, method: Method, path: string, body: Buffer | undefined, timeoutMs: number): Promise<BackendAnswer> {
    const transport = this.#transport(backend.baseUrl);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    const send = (extra: Record<string, string>) => transport.send(method, `${transport.basePath}${path}`, { ...headers, ...extra }, body, timeoutMs);
    return backend.keySecretName ? withCredential(keyCredential(this.#keys, backend.keySecretName), (key) => send({ authorization: `Bearer ${key}` })) : send({});
  }
}

function modelPath(backend: OipConfig): string {
  const model = `/v2/models/${encodeURIComponent(backend.model)}`;
  return backend.version ? `${model}/versions/${encodeURIComponent(backend.version)}` : model;
}
