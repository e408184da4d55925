// GET /manage/audit?from=&to=&limit=: the audit log of management changes, newest first.
import { z } from 'zod';
import { countParam } from '../http/query-params.js';
import { GatewayError } from '../errors.js';
import { parseOrThrow, queryObject } from '../http/validation.js';
import type { ManageOperation } from './handler.js';

const Instant = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z' });

export const AuditQueryInput = z
  .object({
    /** Inclusive; default: the first entry. */
    from: Instant.optional(),
    /** Inclusive; default: now. */
    to: Instant.optional(),
    limit: countParam(1000, 100),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), { message: 'from is after to', path: ['from'] });

export const listAudit: ManageOperation = async (request, parts) => {
  const query = parseOrThrow(AuditQueryInput, queryObject(request.query), { detailCode: 'InvalidQueryParameter', message: 'The query string is invalid.' });
  if (!parts.audit) throw new GatewayError('InternalServerError', 'The audit log is not configured.');
  const entries = await parts.audit.list({
    from: query.from === undefined ? undefined : Date.parse(query.from),
    to: query.to === undefined ? Date.now() : Date.parse(query.to),
    limit: query.limit,
  });
  return { status: 200, body: entries };
};
