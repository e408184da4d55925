// The BES calls the facade makes to a job's backend, with the backend key injected and every answer mapped:
// 2xx → domain types, the backend's own 4xx → the same classic error for the caller, 5xx or garbage → 502.
import type { CatalogueEntry } from '../contracts/catalogue.js';
import { GatewayError } from '../errors.js';
import type { BackendAnswer, ClassicWebServiceClient } from '../backends/classic-client.js';
import { parseBackendError, parseJobId, parseJobStatus, type BackendJobStatus } from '../backends/classic-wire.js';
import { withBackendKey, type BackendKeys } from '../backends/with-backend-key.js';

export interface BackendJobsOptions {
  keys: BackendKeys;
  clientFor(baseUrl: string): ClassicWebServiceClient;
  /** Timeout of one control call (submit, start, status, delete): these never score, so they are short. */
  timeoutMs: number;
}

export class BackendJobs {
  readonly #options: BackendJobsOptions;

  constructor(options: BackendJobsOptions) {
    this.#options = options;
  }

  async submit(entry: CatalogueEntry, body: unknown): Promise<string> {
    const answer = await this.#call(entry, (c, key, t) => c.submitJob(entry.backend.workspace, entry.backend.service, key, body, t));
    const id = parseJobId(json(answer));
    if (!id) throw invalidAnswer('submit');
    return id;
  }

  async start(entry: CatalogueEntry, backendJobId: string): Promise<void> {
    await this.#call(entry, (c, key, t) => c.startJob(entry.backend.workspace, entry.backend.service, key, backendJobId, t));
  }

  /** The backend's view of a job; undefined when the backend says it no longer knows it (a classic 404). */
  async status(entry: CatalogueEntry, backendJobId: string): Promise<BackendJobStatus | undefined> {
    const answer = await this.#call(entry, (c, key, t) => c.getJob(entry.backend.workspace, entry.backend.service, key, backendJobId, t), [404]);
    if (answer.status === 404) return undefined;
    const status = parseJobStatus(json(answer));
    if (!status) throw invalidAnswer('status');
    return status;
  }

  /** Cancels (or forgets) the job on the backend; a job it no longer knows counts as done. */
  async cancel(entry: CatalogueEntry, backendJobId: string): Promise<void> {
    await this.#call(entry, (c, key, t) => c.deleteJob(entry.backend.workspace, entry.backend.service, key, backendJobId, t), [404]);
  }

  async #call(
    entry: CatalogueEntry,
    send: (client: ClassicWebServiceClient, key: string, timeoutMs: number) => Promise<BackendAnswer>,
    accepted: number[] = [],
  ): Promise<BackendAnswer> {
    const { keys, clientFor, timeoutMs } = this.#options;
    const client = clientFor(entry.backend.baseUrl);
    const answer = await withBackendKey(keys, entry.backend.apiKeySecretName, (key) => send(client, key, timeoutMs));
    if (answer.status >= 200 && answer.status < 300) return answer;
    const backendError = parseBackendError(json(answer));
    // Only the service itself saying so (a classic error body) counts: a proxy's HTML 404 is a fault, retried later.
    if (accepted.includes(answer.status) && backendError) return answer;
    if (answer.status >= 400 && answer.status < 500 && backendError) {
      // The backend judged the caller's request (bad blob, bad parameters): pass its verdict through.
      throw new GatewayError({ status: answer.status, code: backendError.code }, backendError.message, { details: backendError.details });
    }
    throw new GatewayError('BackendError', `The backend web service answered ${answer.status}.`);
  }
}

function json(answer: BackendAnswer): unknown {
  if (answer.body.length === 0) return undefined;
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function invalidAnswer(what: string): GatewayError {
  return new GatewayError('BackendInvalidResponse', `The backend's ${what} answer was not in the classic format.`);
}
