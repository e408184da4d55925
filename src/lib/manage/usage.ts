// Management operations on usage: the usage report over all instances, flushing this instance's counts, the
// request log of recent calls, and the batch jobs the dashboard lists.
import { z } from 'zod';
import { countParam } from '../http/query-params.js';
import { parseOrThrow, queryObject } from '../http/validation.js';
import { jobProgress } from '../jobs/job-record.js';
import { resolveUsageQuery } from '../usage/usage-query.js';
import { minutesOf, summarize } from '../usage/usage-report.js';
import { readCalls, resolveCallsQuery } from '../usage/request-log-query.js';
import type { ManageOperation } from './handler.js';

/**
 * GET /manage/usage. This instance flushes first, so its own calls up to now are in the answer; other
 * instances' calls appear once they flush (every USAGE_FLUSH_SECONDS, or POST /manage/usage/flush there).
 */
export const getUsage: ManageOperation = async (request, parts) => {
  const query = resolveUsageQuery(queryObject(request.query), Date.now());
  await parts.usage.recorder.flush();
  const { first, last } = minutesOf(query);
  const [rows, names] = await Promise.all([
    parts.usage.table.read(first, last),
    query.groupBy === 'subscription' ? parts.subscriptions.list().then((subs) => new Map(subs.map((s) => [s.id, s.name]))) : undefined,
  ]);
  return { status: 200, body: summarize(rows, query, names) };
};

/** POST /manage/usage/flush: writes what this instance counted so far (a usage query on any instance then sees it). */
export const flushUsage: ManageOperation = async (_request, parts) => ({ status: 200, body: await parts.usage.recorder.flush() });

/** GET /manage/usage/calls: the request log, newest first; this instance flushes first, as for GET /manage/usage. */
export const listUsageCalls: ManageOperation = async (request, parts) => {
  const query = resolveCallsQuery(queryObject(request.query), Date.now());
  await parts.usage.recorder.flush();
  return { status: 200, body: await readCalls(parts.usage.requestLog, query) };
};

const JobsQuery = z.object({ limit: countParam(500, 50) });

/** GET /manage/usage/jobs?limit=50: the newest jobs and every running one, newest first, each with its progress. */
export const listUsageJobs: ManageOperation = async (request, parts) => {
  const { limit } = parseOrThrow(JobsQuery, queryObject(request.query), { detailCode: 'InvalidQueryParameter', message: 'The query string is invalid.' });
  const now = Date.now();
  const jobs = await parts.jobs.listRecent(limit);
  return { status: 200, body: jobs.map((job) => ({ ...job, ...jobProgress(job, now) })) };
};
