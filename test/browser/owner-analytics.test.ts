// The owner's analytics on the dashboard in Chromium against the real local stack, with real calls whose answers
// the test knows: subscription A (3 × 200, a 400, then a 429 over its product's rate limit of 4 an hour), B (2 × 200,
// then a 403 once suspended), a wrong key (401) and a batch job that fails (a quote left open in its CSV).
// Filtered by A, B or nothing, the totals show exactly those calls with 401, 403 and 429 apart; the grouped table's
// CSV export sums to the totals GET /manage/usage gives for the same filters and range; the request log shows the
// x-ms-request-id each call got, with its status and error code; the quotas table the API's %; the jobs table the
// failed job's duration and reason; a custom range without the calls shows 0 and a wrong one is refused in plain
// words; the filters live in the URL hash. Screenshots at 1440 and 800 px; no overflow at 800; nothing off 127.0.0.1.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { useStack } from '../integration/helpers/stack.js';
import { jobsApi, parseCsv } from '../integration/helpers/bes.js';
import { DEMO_BODY, manageApi } from '../integration/helpers/calls.js';
import { chromiumMissing, openBrowser, screenshot, type BrowserSession, type Page } from './helpers/browser.js';
import { openDashboard } from './helpers/dashboard.js';

const missing = chromiumMissing('owner-analytics');

const stack = useStack({ facadeEnv: { BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1' } });
const manage = manageApi(stack);
let session: BrowserSession;
/** The browser's requests to the management API: the admin key may travel only in the x-admin-key header. */
beforeAll(async () => {
  session = await openBrowser();
}, 60_000);
afterAll(async () => {
  await session?.close();
});

const NAME_A = 'analytics-a, "west"'; // a comma and quotes: the CSV must quote it
const COLUMNS = ['Calls', 'Success', '401', '403', '429', 'Failed', 'Other'] as const;
const TOTAL_OF: Record<(typeof COLUMNS)[number], string> = { Calls: 'calls', Success: 'success', '401': 'unauthorized', '403': 'forbidden', '429': 'throttled', Failed: 'failed', Other: 'other' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Made { status: number; requestId: string }
async function score(key: string, body = DEMO_BODY): Promise<Made> {
  const { workspace, service } = stack().demo;
  const res = await request(`${stack().facadeUrl}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key }, body,
  });
  await res.body.dump();
  return { status: res.statusCode, requestId: String(res.headers['x-ms-request-id']) };
}

async function usageTotals(query: Record<string, string>): Promise<Record<string, number>> {
  const res = await request(`${stack().facadeUrl}/manage/usage?${new URLSearchParams(query)}`, { headers: { 'x-admin-key': stack().adminKey } });
  expect(res.statusCode).toBe(200);
  return ((await res.body.json()) as { totals: Record<string, number> }).totals;
}

/** Runs an action that changes the view and waits for the page to show the new data. */
async function reloadAfter(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await page.getAttribute('body', 'data-usage-loaded');
  await action();
  await page.waitForFunction((b) => document.body.getAttribute('data-usage-loaded') !== b && document.body.getAttribute('data-state') === 'ready', before, { timeout: 15_000 });
}

async function readTotals(page: Page): Promise<Record<string, number | null>> {
  return page.evaluate(() => Object.fromEntries(['calls', 'success', 'blocked', 'unauthorized', 'forbidden', 'throttled', 'failed', 'other'].map((k) => {
    const raw = document.getElementById(`total-${k}`)!.getAttribute('data-value');
    return [k, raw ? Number(raw) : null];
  })));
}

const cell = (page: Page, row: string, col: string) => page.locator(`${row} td[data-col="${col}"]`);

describe.skipIf(Boolean(missing))('owner analytics on the dashboard (real stack)', () => {
  const ids = { a: '', b: '' };
  const made: Record<string, Made[]> = { a: [], b: [], wrongKey: [] };
  let jobId = '';

  it('makes known calls: A 3 × 200, a 400 and a 429; B 2 × 200 and a 403; a wrong key 401; a failed batch job', async () => {
    expect((await manage('PUT', 'products/analytics', { name: 'Analytics', rateLimit: { calls: 4, renewalPeriod: 3600 }, quota: { calls: 1000, renewalPeriod: 86400 } })).status).toBe(201);
    const a = await manage('POST', 'subscriptions', { name: NAME_A, productId: 'analytics' });
    const b = await manage('POST', 'subscriptions', { name: 'analytics-b', productId: 'analytics' });
    [ids.a, ids.b] = [a.json.id, b.json.id];
    // The rate window is an hour aligned to the epoch: A's five calls must land in one.
    const left = 3_600_000 - (Date.now() % 3_600_000);
    if (left < 20_000) await sleep(left + 50);
    for (let i = 0; i < 3; i++) made.a!.push(await score(a.json.primaryKey));
    made.a!.push(await score(a.json.primaryKey, '{"Inputs": 42}'));
    made.a!.push(await score(a.json.primaryKey));
    for (let i = 0; i < 2; i++) made.b!.push(await score(b.json.primaryKey));
    expect((await manage('PATCH', `subscriptions/${ids.b}`, { state: 'suspended' })).status).toBe(200);
    made.b!.push(await score(b.json.primaryKey));
    made.wrongKey!.push(await score('0'.repeat(32)));
    expect(made.a!.map((m) => m.status)).toEqual([200, 200, 200, 400, 429]);
    expect(made.b!.map((m) => m.status)).toEqual([200, 200, 403]);
    expect(made.wrongKey!.map((m) => m.status)).toEqual([401]);

    const jobs = jobsApi(stack, () => stack().demo.subscriptionKey);
    // Its header is right (the facade checks that at submit); a quote left open in row 3 fails the job at the backend.
    const uploaded = await jobs.upload('Id,Col2\r\n1,good day\r\n2,bad night\r\n3,"never closed\r\n');
    expect(uploaded.status, uploaded.text).toBe(201);
    const submitted = await jobs.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } }, GlobalParameters: {} });
    expect(submitted.status, submitted.text).toBe(200);
    jobId = submitted.json;
    expect((await jobs.start(jobId)).status).toBe(200);
    expect((await jobs.waitFor(jobId, (code) => code === 'Failed' || code === 'Finished')).json.StatusCode).toBe('Failed');
  });

  it('filters by subscription: the totals are exactly its calls, with 401, 403 and 429 apart', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${stack().facadeUrl}/manage/dashboard`);
    await openDashboard(page, stack().adminKey);
    await page.locator(`#filter-subscription option[value="${ids.a}"]`).waitFor({ state: 'attached' });
    await reloadAfter(page, () => page.selectOption('#filter-subscription', ids.a));
    expect(await readTotals(page)).toEqual({ calls: 5, success: 3, blocked: 1, unauthorized: 0, forbidden: 0, throttled: 1, failed: 1, other: 0 });
    expect(await page.evaluate(() => location.hash)).toContain(`subscription=${ids.a}`);
    await reloadAfter(page, () => page.selectOption('#filter-subscription', ids.b));
    expect(await readTotals(page)).toMatchObject({ calls: 3, success: 2, forbidden: 1, unauthorized: 0, throttled: 0 });
    await reloadAfter(page, () => page.selectOption('#filter-subscription', ''));
    await reloadAfter(page, () => page.selectOption('#filter-operation', 'rrs.execute'));
    expect(await readTotals(page)).toMatchObject({ calls: 9, success: 5, unauthorized: 1, forbidden: 1, throttled: 1, failed: 1 });
  });

  it('exports the grouped table as CSV whose column sums equal the API\'s totals for the same filters and range', async () => {
    const { page } = session;
    for (const [groupBy, subscription] of [['status', ids.a], ['subscription', '']] as const) {
      await reloadAfter(page, () => page.selectOption('#filter-subscription', subscription));
      await reloadAfter(page, () => page.selectOption('#group-by', groupBy));
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-export-for="usage-table"]')]);
      expect(download.suggestedFilename()).toMatch(new RegExp(`^usage-by-${groupBy}-\\d{4}-\\d\\d-\\d\\dT\\d{4}Z\\.csv$`));
      const [header, ...rows] = parseCsv(readFileSync((await download.path())!, 'utf8'));
      expect(header!.slice(-11)).toEqual([...COLUMNS, 'p50 ms', 'p95 ms', 'Gateway ms', 'Backend ms']);
      expect(rows.length).toBe(await page.locator('#usage-table tbody tr').count());
      const bar = page.locator('#filters');
      const query = { from: (await bar.getAttribute('data-from'))!, to: (await bar.getAttribute('data-to'))!, interval: (await bar.getAttribute('data-interval'))!,
        operation: 'rrs.execute', ...(subscription ? { subscription } : {}) };
      const totals = await usageTotals(query);
      for (const column of COLUMNS) {
        const at = header!.indexOf(column);
        expect(rows.reduce((sum, row) => sum + Number(row[at]), 0), column).toBe(totals[TOTAL_OF[column]]);
        expect(rows.every((row) => /^\d+$/.test(row[at]!)), `${column}: plain integers`).toBe(true);
      }
      if (groupBy === 'subscription') expect(rows.find((row) => row[1] === ids.a)?.[0]).toBe(NAME_A);
    }
    await reloadAfter(page, () => page.selectOption('#filter-operation', ''));
  });

  it('lists each call in the request log with its request id, status and error code', async () => {
    const { page } = session;
    const res = await request(`${stack().facadeUrl}/manage/usage/calls?limit=500`, { headers: { 'x-admin-key': stack().adminKey } });
    const logged = new Map(((await res.body.json()) as { calls: { requestId: string; errorCode: string | null }[] }).calls.map((c) => [c.requestId, c]));
    for (const call of [...made.a!, ...made.b!, ...made.wrongKey!]) {
      const row = `#calls-table tr[data-request-id="${call.requestId}"]`;
      expect(await page.locator(row).count(), call.requestId).toBe(1);
      expect(await cell(page, row, 'status').getAttribute('data-value')).toBe(String(call.status));
      const errorCode = (await cell(page, row, 'errorCode').innerText()).trim();
      expect(errorCode).toBe(logged.get(call.requestId)?.errorCode ?? '');
      if (call.status >= 400) expect(errorCode).not.toBe('');
    }
    await reloadAfter(page, () => page.check('#errors-only'));
    expect(await page.locator(`#calls-table tr[data-request-id="${made.a![0]!.requestId}"]`).count()).toBe(0);
    expect(await page.locator(`#calls-table tr[data-request-id="${made.a![4]!.requestId}"]`).count()).toBe(1);
    await reloadAfter(page, () => page.uncheck('#errors-only'));
  });

  it('shows the quota used per subscription as the API gives it, and the failed job with its duration and reason', async () => {
    const { page } = session;
    const res = await request(`${stack().facadeUrl}/manage/usage/quotas`, { headers: { 'x-admin-key': stack().adminKey } });
    const quotas = ((await res.body.json()) as { subscriptions: { id: string; rate: { percentUsed: number; limit: number } }[] }).subscriptions;
    const rate = quotas.find((s) => s.id === ids.a)!.rate;
    const row = `#quotas-table tr[data-subscription-id="${ids.a}"]`;
    expect(rate.limit).toBe(4);
    expect(await page.locator(row).count()).toBe(1);
    expect(Number(await cell(page, row, 'rate-percent').getAttribute('data-value'))).toBe(rate.percentUsed);
    expect(await cell(page, row, 'rate-percent').innerText()).toContain(`${rate.percentUsed} %`);

    const jobs = await request(`${stack().facadeUrl}/manage/usage/jobs`, { headers: { 'x-admin-key': stack().adminKey } });
    const job = ((await jobs.body.json()) as { id: string; durationSeconds: number; details: string }[]).find((j) => j.id === jobId)!;
    const jobRow = `#jobs-table tr[data-job-id="${jobId}"]`;
    expect(await page.locator(jobRow).count()).toBe(1);
    expect(await cell(page, jobRow, 'state').innerText()).toBe('Failed');
    expect(Number(await cell(page, jobRow, 'duration').getAttribute('data-value'))).toBe(job.durationSeconds);
    expect(await cell(page, jobRow, 'details').innerText()).toMatch(/row 3 .*unterminated/);
  });

  it('takes a custom range: refuses a wrong one plainly, shows 0 for one without the calls, keeps it in the hash', async () => {
    const { page } = session;
    const local = (msAgo: number) => page.evaluate((ago) => {
      const d = new Date(Date.now() - ago);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
    }, msAgo);
    await page.selectOption('#range', 'custom');
    await page.fill('#range-from', await local(2 * 3600_000));
    await page.fill('#range-to', await local(3 * 3600_000));
    await page.click('#range-apply');
    expect(await page.locator('#filter-error').innerText()).toMatch(/must start before it ends/);
    await page.fill('#range-from', await local(40 * 86400_000));
    await page.click('#range-apply');
    expect(await page.locator('#filter-error').innerText()).toMatch(/at most 31 days/);
    await page.fill('#range-to', await local(2 * 3600_000));
    await page.fill('#range-from', await local(3 * 3600_000));
    await reloadAfter(page, () => page.click('#range-apply'));
    expect(await page.locator('#filter-error').innerText()).toBe('');
    expect(await readTotals(page)).toMatchObject({ calls: 0, success: 0, unauthorized: 0, forbidden: 0, throttled: 0 });
    expect(await page.locator('#calls-table tr[data-request-id]').count()).toBe(0);
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toMatch(/range=custom&from=.*&to=/);
    await page.reload();
    await page.locator('body[data-state="ready"]').waitFor();
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    expect(await page.inputValue('#range')).toBe('custom');
    expect((await readTotals(page)).calls).toBe(0);
    await reloadAfter(page, () => page.selectOption('#range', '1h'));
    expect((await readTotals(page)).calls).toBeGreaterThanOrEqual(9);
  });

  it('fits 1440 and 800 px (tables scroll in their panels), sent the admin key only as its header, never left 127.0.0.1', async () => {
    const { page } = session;
    await reloadAfter(page, () => page.selectOption('#group-by', 'operation'));
    await screenshot(page, 'owner-analytics-1440');
    await page.setViewportSize({ width: 800, height: 900 });
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))); // the charts resize on the next frame
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    await screenshot(page, 'owner-analytics-800');
    const managing = session.sent.filter((s) => new URL(s.url).pathname.startsWith('/manage/') && !s.url.includes('/manage/dashboard'));
    expect(managing.length).toBeGreaterThan(0);
    expect(managing.every((s) => s.headers['x-admin-key'] === stack().adminKey)).toBe(true);
    expect(session.sent.filter((s) => s.url.includes(stack().adminKey))).toEqual([]);
    expect(session.offsite).toEqual([]);
  });
});
