// The data-plane pipelines, one list of policies per operation, built from the runtime's parts.
import { compose } from './compose.js';
import { authenticate } from './policies/authenticate.js';
import { route } from './policies/route.js';
import { forwardRrs } from './policies/forward-rrs.js';
import { demoKeyVerifier } from '../auth/demo-key.js';
import { getRuntime } from '../runtime.js';
import type { Pipeline } from './handler.js';

export function rrsExecutePipeline(): Pipeline {
  const rt = getRuntime();
  return compose([
    authenticate({ verify: demoKeyVerifier(rt.settings.demoSubscriptionKey) }),
    route({ catalogue: rt.catalogue }),
    forwardRrs({
      maxRequestBytes: rt.settings.maxRequestBytes,
      defaultTimeoutMs: rt.settings.defaultBackendTimeoutMs,
      keys: rt.secrets,
      clientFor: rt.clientFor,
    }),
  ]);
}
