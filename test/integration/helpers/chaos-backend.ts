// A controllable classic ML web service on loopback: RRS Execute scores for real (the reference's code), BES jobs
// follow a lifecycle the test drives, and a finished job's output is written where the submit body said (the
// facade's staging blob, through the SAS it gave); any request can be answered with a fault.
// plan('rrs', 'hang', 'error500') makes the next two RRS calls meet those faults; plan keys may name one job.
import { BlobServiceClient } from '@azure/storage-blob';
import { ServiceError } from '../../../src/reference/errors.js';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { parseRrsQuery, parseRrsRequest, scoreRrs } from '../../../src/reference/rrs.js';
import { classicError, injectFault, sendJson, type Fault } from './chaos-faults.js';

export type ChaosOp = 'rrs' | 'submit' | 'start' | 'status' | 'cancel';
type JobStatus = 'NotStarted' | 'Running' | 'Failed' | 'Cancelled' | 'Finished';

export interface ChaosJob {
  id: string;
  status: JobStatus;
  submitted: unknown;
}

export interface ChaosBackend {
  url: string;
  /** The key the service accepts; change it to rotate. */
  apiKey: string;
  jobs: Map<string, ChaosJob>;
  /** Requests received per operation. */
  served: Record<ChaosOp, number>;
  faultsInjected: number;
  /** The next requests of `key` (an operation, or `status:<jobId>`) meet these faults, in order. */
  plan(key: string, ...faults: Fault[]): void;
  /** Faults still planned for `key`. */
  pending(key: string): number;
  /** Writes `csv` as the job's output1, where its submit body said, as a backend does before it says Finished. */
  writeOutput(id: string, csv: Buffer): Promise<void>;
  /** The backend job ends Finished (with `csv` written first as output1 when given). */
  finish(id: string, csv?: Buffer): Promise<void>;
  close(): Promise<void>;
}

export async function startChaosBackend(apiKey: string): Promise<ChaosBackend> {
  const plans = new Map<string, Fault[]>();
  const sockets = new Set<Socket>();
  const served = { rrs: 0, submit: 0, start: 0, status: 0, cancel: 0 };
  const jobs = new Map<string, ChaosJob>();
  let url = '';

  function nextFault(...keys: string[]): Fault | undefined {
    for (const key of keys) {
      const fault = plans.get(key)?.shift();
      if (fault) return fault;
    }
    return undefined;
  }

  function statusBody(job: ChaosJob) {
    // A Results entry that points elsewhere: the facade must copy from where it asked the output to be written.
    const results = job.status === 'Finished'
      ? { output1: { ConnectionString: null, BaseLocation: `${url}/devstoreaccount1/`, RelativeLocation: `chaos/${job.id}/output1.csv`, SasBlobToken: '?sv=chaos&sig=chaos' } }
      : null;
    return { StatusCode: job.status, Results: results, Details: job.status === 'Failed' ? 'chaos failure' : null };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const m = /^\/workspaces\/[^/]+\/services\/[^/]+\/(execute|jobs)(?:\/([^/]+))?(\/start)?$/.exec(path);
    if (!m) return classicError(res, 404, 'NotFound', 'No such operation.');
    const jobId = m[2] ?? '';
    const op: ChaosOp = m[1] === 'execute' ? 'rrs' : req.method === 'POST' ? (m[3] ? 'start' : 'submit') : req.method === 'DELETE' ? 'cancel' : 'status';
    served[op]++;
    const fault = nextFault(`${op}:${jobId}`, op);
    if (fault) return chaos(fault);
    if (req.headers.authorization !== `Bearer ${backend.apiKey}`) return chaos('unauthorized', false);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body: unknown = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const job = jobs.get(jobId);
    if (op !== 'rrs' && op !== 'submit' && !job) return classicError(res, 404, 'JobNotFound', 'No such job.');
    switch (op) {
      case 'rrs': {
        const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
        const options = parseRrsQuery(query);
        return sendJson(res, 200, scoreRrs(parseRrsRequest(body, options.swagger), options, performance.now()));
      }
      case 'submit': {
        const id = randomUUID();
        jobs.set(id, { id, status: 'NotStarted', submitted: body });
        return sendJson(res, 200, id);
      }
      case 'start':
        job!.status = 'Running';
        return void res.writeHead(200).end();
      case 'status':
        return sendJson(res, 200, statusBody(job!));
      case 'cancel':
        if (job!.status === 'Running' || job!.status === 'NotStarted') job!.status = 'Cancelled';
        return void res.writeHead(200).end();
    }

    function chaos(f: Fault, counted = true): void {
      if (counted) backend.faultsInjected++;
      injectFault(f, req, res);
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // The reference's own verdict on a bad request (a ServiceError) is answered as the classic service would.
      if (error instanceof ServiceError && !res.headersSent) sendJson(res, error.status, error.body);
      else res.destroy();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const backend: ChaosBackend = {
    url,
    apiKey,
    jobs,
    served,
    faultsInjected: 0,
    plan(key, ...faults) {
      plans.set(key, [...(plans.get(key) ?? []), ...faults]);
    },
    pending: (key) => plans.get(key)?.length ?? 0,
    async writeOutput(id, csv) {
      const job = jobs.get(id);
      if (!job) throw new Error(`chaos backend: no job ${id}`);
      const output = (job.submitted as { Outputs: Record<string, { ConnectionString: string; RelativeLocation: string }> }).Outputs.output1!;
      const [container, ...blob] = output.RelativeLocation.replace(/^\//, '').split('/');
      const client = BlobServiceClient.fromConnectionString(output.ConnectionString).getContainerClient(container!).getBlockBlobClient(blob.join('/'));
      await client.uploadData(csv);
    },
    async finish(id, csv) {
      const job = jobs.get(id);
      if (!job) throw new Error(`chaos backend: no job ${id}`);
      if (csv) await backend.writeOutput(id, csv);
      job.status = 'Finished';
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return backend;
}
