// The usage query's parameters (GET /manage/usage): validated with zod, defaults applied, and the time range
// checked (from < to, at most 31 days, a bounded number of series points), else 400 naming the field. The range and
// the filters are shared with the request log's query (request-log-query.ts): one parser for each.
import { z } from 'zod';
import { GatewayError } from '../errors.js';
import { parseOrThrow } from '../http/validation.js';
import { OUTCOMES, type UsageSample } from './call-record.js';

/** The dimensions usage is grouped and filtered by. */
export const GROUP_BY = ['subscription', 'product', 'operation', 'outcome', 'backend', 'service', 'status'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** Series step in minutes: a minute, 5, 15, 30 minutes, an hour, 6 hours, a day (UTC). */
export const INTERVALS = [1, 5, 15, 30, 60, 360, 1440] as const;
export const MAX_RANGE_MS = 31 * 24 * 3600_000;
/** Keeps an answer chart-sized: 24 h by the minute, a week by 5 minutes, 31 days by 15 minutes. */
export const MAX_POINTS = 3000;
const DEFAULT_RANGE_MS = 3600_000;

const Instant = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z' });
const Name = z.string().min(1).max(200);

export const RANGE_PARAMETERS = { from: Instant.optional(), to: Instant.optional() };

/** Each an exact match; all given must match. */
export const FILTER_PARAMETERS = {
  subscription: Name.optional(),
  product: Name.optional(),
  operation: Name.optional(),
  service: Name.optional(),
  backend: Name.optional(),
  status: z.string().regex(/^\d{3}$/, 'an HTTP status, 100–599').transform(Number).pipe(z.number().int().min(100, 'an HTTP status, 100–599').max(599, 'an HTTP status, 100–599')).optional(),
  outcome: z.enum(OUTCOMES).optional(),
};
export type Filters = { -readonly [K in keyof typeof FILTER_PARAMETERS]?: NonNullable<z.output<(typeof FILTER_PARAMETERS)[K]>> };

export const UsageQueryInput = z.object({
  ...RANGE_PARAMETERS,
  groupBy: z.enum(GROUP_BY).optional(),
  interval: z
    .enum(INTERVALS.map(String) as [string, ...string[]], { message: `one of ${INTERVALS.join(', ')} (minutes)` })
    .transform(Number)
    .optional(),
  ...FILTER_PARAMETERS,
});

export interface TimeRange {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface UsageQuery extends TimeRange {
  /** Minutes. */
  interval: number;
  groupBy: GroupBy | null;
  /** Only the filters given; absent: none. */
  filters?: Filters;
}

export function badParameter(target: string, message: string): GatewayError {
  return new GatewayError('InvalidQueryParameter', 'The query string is invalid.', {
    details: [{ code: 'InvalidQueryParameter', target, message }],
  });
}

/**
 * Validates `schema`'s parameters in `query` as queryObject() gives it (names lower-cased, as the Functions host
 * matches them); 400 naming each parameter at fault.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: Record<string, string>): z.output<S> {
  const named = Object.fromEntries(Object.keys(schema.shape).map((name) => [name, query[name.toLowerCase()]]));
  return parseOrThrow(schema, named, { detailCode: 'InvalidQueryParameter', message: 'The query string is invalid.' });
}

/** from…to with its defaults (the hour up to now), checked: from before to, at most 31 days. */
export function resolveRange(input: { from?: string | undefined; to?: string | undefined }, now: number): TimeRange {
  const to = input.to === undefined ? now : Date.parse(input.to);
  const from = input.from === undefined ? to - DEFAULT_RANGE_MS : Date.parse(input.from);
  if (!(from < to)) throw badParameter('from', 'from must be before to');
  if (to - from > MAX_RANGE_MS) throw badParameter('from', 'the range from…to is at most 31 days');
  return { from, to };
}

/** The filters given, and only those (what an answer echoes). */
export function filtersOf(input: Filters): Filters {
  return Object.fromEntries(Object.entries(input).filter(([name, value]) => name in FILTER_PARAMETERS && value !== undefined)) as Filters;
}

/** What a dimension reads: a usage row, or a call of the request log (its service derived as usage counts it). */
export type Dimensioned = Pick<UsageSample, 'subscriptionId' | 'productId' | 'operation' | 'outcome' | 'backendKind' | 'status'> & { service: string };

/** The one home of "dimension name → value", for groups and filters alike. */
export const DIMENSION: Record<GroupBy, (item: Dimensioned) => string> = {
  subscription: (item) => item.subscriptionId,
  product: (item) => item.productId,
  operation: (item) => item.operation,
  outcome: (item) => item.outcome,
  backend: (item) => item.backendKind,
  service: (item) => item.service,
  status: (item) => String(item.status),
};

export function matchesFilters(item: Dimensioned, filters: Filters): boolean {
  for (const [name, value] of Object.entries(filters) as [GroupBy, string | number][]) {
    if (DIMENSION[name](item) !== String(value)) return false;
  }
  return true;
}

export function resolveUsageQuery(query: Record<string, string>, now: number): UsageQuery {
  const input = parseQuery(UsageQueryInput, query);
  const { from, to } = resolveRange(input, now);
  const interval = input.interval ?? 1;
  const step = interval * 60_000;
  const points = Math.ceil((to - Math.floor(from / step) * step) / step);
  if (points > MAX_POINTS) throw badParameter('interval', `${points} series points; at most ${MAX_POINTS}: choose a larger interval`);
  const filters = filtersOf(input);
  return { from, to, interval, groupBy: input.groupBy ?? null, ...(Object.keys(filters).length > 0 ? { filters } : {}) };
}
