// The request log's query (GET /manage/usage/calls, GET /workspaces/me/calls): the range and the filters parsed as
// the usage query parses them (usage-query.ts), plus limit and errorsOnly; and the answer, newest first.
import { z } from 'zod';
import { countParam } from '../http/query-params.js';
import { serviceOf } from './call-record.js';
import type { CallsScan, RequestLogEntry } from './request-log.js';
import { FILTER_PARAMETERS, RANGE_PARAMETERS, filtersOf, matchesFilters, parseQuery, resolveRange, type Filters, type TimeRange } from './usage-query.js';

export const CallsQueryInput = z.object({
  ...RANGE_PARAMETERS,
  limit: countParam(500, 100),
  errorsOnly: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  ...FILTER_PARAMETERS,
});

/** A subscriber's own calls: no filter could name another subscription (theirs is added from their key). */
export const MyCallsQueryInput = CallsQueryInput.pick({ from: true, to: true, limit: true, errorsOnly: true });

export interface CallsQuery extends TimeRange {
  limit: number;
  /** Only answers ≥ 400. */
  errorsOnly: boolean;
  filters: Filters;
}

export interface CallsAnswer {
  from: string;
  to: string;
  /** Newest first. */
  calls: RequestLogEntry[];
}

type CallsInput = { from?: string | undefined; to?: string | undefined; limit: number; errorsOnly?: boolean | undefined } & Filters;

function resolve(input: CallsInput, now: number): CallsQuery {
  return { ...resolveRange(input, now), limit: input.limit, errorsOnly: input.errorsOnly ?? false, filters: filtersOf(input) };
}

/** `query` as queryObject() gives it. */
export const resolveCallsQuery = (query: Record<string, string>, now: number): CallsQuery => resolve(parseQuery(CallsQueryInput, query), now);
export const resolveMyCallsQuery = (query: Record<string, string>, now: number): CallsQuery => resolve(parseQuery(MyCallsQueryInput, query), now);

/** What the log is asked: the filters, where storage can narrow them first (a subscription, errors only). */
export function scanOf(query: CallsQuery): CallsScan {
  const { from, to, limit, errorsOnly, filters } = query;
  return {
    from, to, limit, errorsOnly, subscriptionId: filters.subscription,
    // The service filter means what it means in usage: "workspace/service" of a call that reached it, else "(none)".
    accept: (entry) => (!errorsOnly || entry.status >= 400) && matchesFilters({ ...entry, service: serviceOf(entry) }, filters),
  };
}

export async function readCalls(log: { read(scan: CallsScan): Promise<RequestLogEntry[]> }, query: CallsQuery): Promise<CallsAnswer> {
  return { from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString(), calls: await log.read(scanOf(query)) };
}
