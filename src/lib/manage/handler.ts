// A management operation is a small function of the request and the parts it manages, answering a status and a
// JSON body; the app wraps each with the admin-key check (app/handlers/manage.ts). Input is validated with zod.
import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { parseJsonBody, readBodyLimited } from '../http/body.js';
import { parseOrThrow } from '../http/validation.js';
import type { CatalogueStore } from '../catalogue/catalogue-store.js';
import type { ProductStore } from '../products/product-store.js';
import type { SubscriptionStore } from '../subscriptions/subscription-store.js';
import type { JobStore } from '../jobs/job-store.js';
import type { UsageRecorder } from '../usage/recorder.js';
import type { UsageTable } from '../usage/usage-table.js';
import type { RequestLog } from '../usage/request-log.js';
import type { CounterReader } from '../self/counter-reader.js';
import type { HealthReport } from '../health.js';
import type { AuditLog } from './audit-log.js';

/** What the management API manages. */
export interface ManageParts {
  catalogue: CatalogueStore;
  products: ProductStore;
  subscriptions: SubscriptionStore;
  jobs: JobStore;
  usage: { recorder: UsageRecorder; table: UsageTable; requestLog: RequestLog; counters: CounterReader };
  health: { report(): Promise<HealthReport> };
  /** The audit log (the app's handlers give it; GET /manage/audit needs it). */
  audit?: AuditLog;
}

/** What an operation that changes something tells the audit log (who, when and the outcome are the wrapper's). */
export interface AuditNote {
  /** e.g. "subscriptions/<id>"; default: the path's ids. */
  target?: string;
  /** What changed, field by field; never a key. */
  details?: Record<string, unknown>;
}

export interface ManageResult {
  status: number;
  body?: unknown;
  audit?: AuditNote;
}

export type ManageOperation = (request: HttpRequest, parts: ManageParts) => Promise<ManageResult>;

const MAX_MANAGE_BODY_BYTES = 64 * 1024;

/** Reads and validates a JSON body; 400 naming the field otherwise. */
export async function readJson<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.infer<S>> {
  const body = parseJsonBody(await readBodyLimited(request, MAX_MANAGE_BODY_BYTES));
  return parseOrThrow(schema, body, { detailCode: 'RequestBodyInvalid', message: 'The request body is invalid.' });
}
