// GET /manage/health (admin key): the detailed report of every dependency. Storage or Key Vault down is 503 in the
// classic shape naming them; a dead backend only degrades its own service (200, status "degraded").
import { GatewayError, classicErrorBody } from '../errors.js';
import type { ManageOperation } from './handler.js';

export const healthReport: ManageOperation = async (_request, parts) => {
  const report = await parts.health.report();
  if (report.status !== 'unhealthy') return { status: 200, body: report };
  const failing = Object.entries(report.checks).filter(([, r]) => !r.ok);
  const error = new GatewayError('DependencyUnhealthy', `Not reachable: ${failing.map(([name]) => name).join(', ')}`, {
    details: failing.map(([name, r]) => ({ code: 'DependencyUnreachable', target: name, message: r.error ?? 'unreachable' })),
  });
  return { status: 503, body: { ...classicErrorBody(error), ...report } };
};
