// The usage query's parameters (GET /manage/usage): validated with zod, defaults applied, and the time range
// checked (from < to, at most 31 days, a bounded number of series points), else 400 naming the field.
import { z } from 'zod';
import { GatewayError } from '../errors.js';
import { parseOrThrow } from '../http/validation.js';

export const GROUP_BY = ['subscription', 'product', 'operation', 'outcome', 'backend'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** Series step in minutes: a minute, 5, 15, 30 minutes, an hour, 6 hours, a day (UTC). */
export const INTERVALS = [1, 5, 15, 30, 60, 360, 1440] as const;
export const MAX_RANGE_MS = 31 * 24 * 3600_000;
/** Keeps an answer chart-sized: 24 h by the minute, a week by 5 minutes, 31 days by 15 minutes. */
export const MAX_POINTS = 3000;
const DEFAULT_RANGE_MS = 3600_000;

const Instant = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z' });

export const UsageQueryInput = z.object({
  from: Instant.optional(),
  to: Instant.optional(),
  groupBy: z.enum(GROUP_BY).optional(),
  interval: z
    .enum(INTERVALS.map(String) as [string, ...string[]], { message: `one of ${INTERVALS.join(', ')} (minutes)` })
    .transform(Number)
    .optional(),
});

export interface UsageQuery {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** Minutes. */
  interval: number;
  groupBy: GroupBy | null;
}

function badParameter(target: string, message: string): GatewayError {
  return new GatewayError('InvalidQueryParameter', 'The query string is invalid.', {
    details: [{ code: 'InvalidQueryParameter', target, message }],
  });
}

/** `query` as queryObject() gives it: names lower-cased, as the Functions host matches them. */
export function resolveUsageQuery(query: Record<string, string>, now: number): UsageQuery {
  const named = { from: query.from, to: query.to, groupBy: query.groupby, interval: query.interval };
  const input = parseOrThrow(UsageQueryInput, named, { detailCode: 'InvalidQueryParameter', message: 'The query string is invalid.' });
  const to = input.to === undefined ? now : Date.parse(input.to);
  const from = input.from === undefined ? to - DEFAULT_RANGE_MS : Date.parse(input.from);
  const interval = input.interval ?? 1;
  if (!(from < to)) throw badParameter('from', 'from must be before to');
  if (to - from > MAX_RANGE_MS) throw badParameter('from', 'the range from…to is at most 31 days');
  const step = interval * 60_000;
  const points = Math.ceil((to - Math.floor(from / step) * step) / step);
  if (points > MAX_POINTS) throw badParameter('interval', `${points} series points; at most ${MAX_POINTS}: choose a larger interval`);
  return { from, to, interval, groupBy: input.groupBy ?? null };
}
