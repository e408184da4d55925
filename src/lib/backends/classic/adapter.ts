// The classic adapter: a backend that speaks the Azure ML Studio (classic) web-service API itself. Its API key
// comes from Key Vault (refreshed once on a 401); RRS answers pass through as classic answers (checkRrsAnswer),
// BES control answers map to the port's types (wire.ts).
import type { Backend, BackendJobRequest, BackendJobStatus, BackendTarget, CallOptions, ScoreAnswer, ScoreRequest } from '../port.js';
import { withBackendKey, type BackendKeys } from '../keys.js';
import { ClassicWebServiceClient, type BackendAnswer } from './client.js';
import type { ClassicBackendConfig } from './config.js';
import type { ServiceSchema } from '../../contracts/service-schema.js';
import { schemaFromDocument } from './document.js';
import { checkControlAnswer, checkRrsAnswer, invalidAnswer, jsonOf, parseJobId, parseJobStatus } from './wire.js';
import { probeOrigin } from '../transport.js';

export interface ClassicBackendOptions {
  /** Timeout of one control call (submit, start, status, delete) when the call names none: these never score. */
  timeoutMs?: number;
  /** Timeout of a document read. */
  documentTimeoutMs?: number;
}

type Target = BackendTarget<ClassicBackendConfig>;

export class ClassicBackend implements Backend<ClassicBackendConfig> {
  readonly #keys: BackendKeys;
  readonly #timeoutMs: number;
  readonly #documentTimeoutMs: number;
  readonly #clients = new Map<string, ClassicWebServiceClient>();

  constructor(keys: BackendKeys, options: ClassicBackendOptions = {}) {
    this.#keys = keys;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#documentTimeoutMs = options.documentTimeoutMs ?? 3_000;
  }

  async score(target: Target, request: ScoreRequest, options: CallOptions & { timeoutMs: number }): Promise<ScoreAnswer> {
    const { backend } = target;
    const call = { timeoutMs: options.timeoutMs, details: request.details, swagger: request.format === 'swagger', requestId: options.requestId };
    // The caller's bytes are forwarded: re-serialising would cost time and could change what the caller sent.
    const answer = await this.#withKey(target, (client, key) => client.execute(backend.workspace, backend.service, key, request.body, call));
    const errorCode = checkRrsAnswer(answer);
    return errorCode === undefined ? answer : { ...answer, errorCode };
  }

  async submit(target: Target, job: BackendJobRequest, options: CallOptions = {}): Promise<string> {
    const { backend } = target;
    const answer = await this.#control(target, (c, key, t) => c.submitJob(backend.workspace, backend.service, key, job, t), options);
    const id = parseJobId(jsonOf(answer));
    if (!id) throw invalidAnswer('submit');
    return id;
  }

  async start(target: Target, backendJobId: string, options: CallOptions = {}): Promise<void> {
    const { backend } = target;
    await this.#control(target, (c, key, t) => c.startJob(backend.workspace, backend.service, key, backendJobId, t), options);
  }

  async status(target: Target, backendJobId: string, options: CallOptions = {}): Promise<BackendJobStatus | undefined> {
    const { backend } = target;
    const answer = await this.#control(target, (c, key, t) => c.getJob(backend.workspace, backend.service, key, backendJobId, t), options, [404]);
    if (answer.status === 404) return undefined;
    const status = parseJobStatus(jsonOf(answer));
    if (!status) throw invalidAnswer('status');
    return status;
  }

  async cancel(target: Target, backendJobId: string, options: CallOptions = {}): Promise<void> {
    const { backend } = target;
    await this.#control(target, (c, key, t) => c.deleteJob(backend.workspace, backend.service, key, backendJobId, t), options, [404]);
  }

  /** Any answer of the server proves it reachable; the call's status is not the point here. */
  ready(target: Target, options: CallOptions = {}): Promise<void> {
    return probeOrigin(target.backend.baseUrl, options.timeoutMs ?? this.#documentTimeoutMs);
  }

  async document(target: Target, options: CallOptions = {}): Promise<ServiceSchema | undefined> {
    const { backend } = target;
    const answer = await this.#client(backend.baseUrl).getDocument(backend.workspace, backend.service, options.timeoutMs ?? this.#documentTimeoutMs);
    return answer.status === 200 ? schemaFromDocument(jsonOf(answer)) : undefined;
  }

  #client(baseUrl: string): ClassicWebServiceClient {
    let client = this.#clients.get(baseUrl);
    if (!client) {
      client = new ClassicWebServiceClient(baseUrl);
      this.#clients.set(baseUrl, client);
    }
    return client;
  }

  #withKey(target: Target, send: (client: ClassicWebServiceClient, key: string) => Promise<BackendAnswer>): Promise<BackendAnswer> {
    const client = this.#client(target.backend.baseUrl);
    return withBackendKey(this.#keys, target.backend.apiKeySecretName, (key) => send(client, key));
  }

  async #control(
    target: Target,
    send: (client: ClassicWebServiceClient, key: string, timeoutMs: number) => Promise<BackendAnswer>,
    options: CallOptions,
    accepted: number[] = [],
  ): Promise<BackendAnswer> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    return checkControlAnswer(await this.#withKey(target, (client, key) => send(client, key, timeoutMs)), accepted);
  }
}
