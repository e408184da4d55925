// Client for a classic Azure ML web service, shaped like an Azure SDK client: required arguments first, options
// last. Paths and headers of the classic API; the transport (keep-alive pool, deadlines, errors) is the adapters' one.
import { BackendTransport, type BackendAnswer, type TransportOptions } from '../transport.js';

export type { BackendAnswer };

export interface RrsCallOptions {
  timeoutMs: number;
  details?: boolean;
  swagger?: boolean;
  requestId?: string;
}

export class ClassicWebServiceClient {
  readonly #transport: BackendTransport;
  readonly #basePath: string;

  constructor(baseUrl: string, options: TransportOptions = {}) {
    this.#transport = new BackendTransport(baseUrl, options);
    this.#basePath = this.#transport.basePath;
  }

  async execute(workspace: string, service: string, apiKey: string, body: Buffer, options: RrsCallOptions): Promise<BackendAnswer> {
    let query = 'api-version=2.0';
    if (options.details !== undefined) query += `&details=${options.details}`;
    if (options.swagger) query += '&format=swagger';
    const path = `${this.#basePath}/workspaces/${encodeURIComponent(workspace)}/services/${encodeURIComponent(service)}/execute?${query}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (options.requestId) headers['x-ms-client-request-id'] = options.requestId;
    return this.#send('POST', path, headers, body, options.timeoutMs);
  }

  /** The service's published Swagger document (anonymous, as classic services served it). */
  getDocument(workspace: string, service: string, timeoutMs: number): Promise<BackendAnswer> {
    const path = `${this.#basePath}/workspaces/${encodeURIComponent(workspace)}/services/${encodeURIComponent(service)}/swagger.json`;
    return this.#send('GET', path, { accept: 'application/json' }, undefined, timeoutMs);
  }

  /** BES: submit a job; the body is the classic submit body the facade built. */
  submitJob(workspace: string, service: string, apiKey: string, body: unknown, timeoutMs: number): Promise<BackendAnswer> {
    return this.#send('POST', this.#jobsPath(workspace, service, ''), this.#headers(apiKey, true), Buffer.from(JSON.stringify(body)), timeoutMs);
  }

  startJob(workspace: string, service: string, apiKey: string, jobId: string, timeoutMs: number): Promise<BackendAnswer> {
    return this.#send('POST', this.#jobsPath(workspace, service, `/${encodeURIComponent(jobId)}/start`), this.#headers(apiKey, false), undefined, timeoutMs);
  }

  getJob(workspace: string, service: string, apiKey: string, jobId: string, timeoutMs: number): Promise<BackendAnswer> {
    return this.#send('GET', this.#jobsPath(workspace, service, `/${encodeURIComponent(jobId)}`), this.#headers(apiKey, false), undefined, timeoutMs);
  }

  deleteJob(workspace: string, service: string, apiKey: string, jobId: string, timeoutMs: number): Promise<BackendAnswer> {
    return this.#send('DELETE', this.#jobsPath(workspace, service, `/${encodeURIComponent(jobId)}`), this.#headers(apiKey, false), undefined, timeoutMs);
  }

  #jobsPath(workspace: string, service: string, rest: string): string {
    return `${this.#basePath}/workspaces/${encodeURIComponent(workspace)}/services/${encodeURIComponent(service)}/jobs${rest}?api-version=2.0`;
  }

  #headers(apiKey: string, json: boolean): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (json) headers['content-type'] = 'application/json';
    return headers;
  }

  close(): Promise<void> {
    return this.#transport.close();
  }

  #send(method: 'POST' | 'GET' | 'DELETE', path: string, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number): Promise<BackendAnswer> {
    return this.#transport.send(method, path, headers, body, timeoutMs);
  }
}
