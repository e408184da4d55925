// The data-plane pipeline: authenticate → authorize → rate limit → quota → route → the operation's own
// terminal policy (forward, or a BES step). One list, shared by every operation.
import { compose, type Policy } from './compose.js';
import { authenticate } from './policies/authenticate.js';
import { authorize } from './policies/authorize.js';
import { rateLimit } from './policies/rate-limit.js';
import { quota } from './policies/quota.js';
import { route } from './policies/route.js';
import { forwardRrs } from './policies/forward-rrs.js';
import { uploadInput } from './policies/upload-input.js';
import { issueInputSas } from './policies/issue-input-sas.js';
import { getRuntime, type Runtime } from '../runtime.js';
import type { Pipeline } from './handler.js';
import { cancelJob, downloadResult, jobStatus, listJobs, startJob, submitJob } from '../jobs/job-operations.js';
import { getJobDeps } from '../jobs/runtime-jobs.js';

export function accessPolicies(rt: Runtime): Policy[] {
  return [
    authenticate({ verify: (key) => rt.subscriptions.verify(key), failures: rt.failedAuth }),
    authorize({ products: rt.products }),
    rateLimit({ counters: rt.counters }),
    quota({ counters: rt.counters }),
    route({ catalogue: rt.catalogue }),
  ];
}

export function rrsExecutePipeline(): Pipeline {
  const rt = getRuntime();
  return compose([
    ...accessPolicies(rt),
    forwardRrs({
      maxRequestBytes: rt.settings.maxRequestBytes,
      maxRows: rt.settings.maxRrsRows,
      defaultTimeoutMs: rt.settings.defaultBackendTimeoutMs,
      keys: rt.secrets,
      clientFor: rt.clientFor,
    }),
  ]);
}

export function uploadInputPipeline(): Pipeline {
  const rt = getRuntime();
  return compose([...accessPolicies(rt), uploadInput({ blobs: rt.blobs })]);
}

export function inputSasPipeline(): Pipeline {
  const rt = getRuntime();
  return compose([...accessPolicies(rt), issueInputSas({ blobs: rt.blobs })]);
}

const JOB_POLICIES = { submit: submitJob, start: startJob, status: jobStatus, cancel: cancelJob, list: listJobs, download: downloadResult } as const;

/** A BES job operation: the access policies, then the operation's own terminal policy. */
export function besPipeline(operation: keyof typeof JOB_POLICIES): () => Pipeline {
  return () => compose([...accessPolicies(getRuntime()), JOB_POLICIES[operation](getJobDeps())]);
}
