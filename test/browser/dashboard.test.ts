// The usage dashboard in Chromium against the real local stack: after a scripted burst (a product with a small
// rate limit: N successes then M 429s, plus a BES upload and submit), the page's totals, charts and jobs table
// show exactly those calls. The page itself is served without the key; its data needs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { useStack } from '../integration/helpers/stack.js';
import { csvOf, jobsApi } from '../integration/helpers/bes.js';
import { chromiumMissing, openBrowser, screenshot, type BrowserSession } from './helpers/browser.js';
import { chartTotals, openDashboard, readTotals } from './helpers/dashboard.js';
import { manageApi, demoScorer } from '../integration/helpers/calls.js';

const missing = chromiumMissing('dashboard');

const stack = useStack();
let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
}, 60_000);
afterAll(async () => {
  await session?.close();
});

const N = 4; // the product's rate limit: these pass
const M = 3; // the calls over it: 429
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const manage = manageApi(stack);

const score = demoScorer(stack);

describe.skipIf(Boolean(missing))('usage dashboard (real stack)', () => {
  let jobId = '';

  it('serves the page shell without the admin key, and no data without it', async () => {
    const page = await request(`${stack().facadeUrl}/manage/dashboard`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(await page.body.text()).not.toMatch(/demo-workspace|"calls"/);
    const data = await request(`${stack().facadeUrl}/manage/usage`);
    expect(data.statusCode).toBe(401);
    await data.body.dump();
  });

  it('makes a burst: N successes and M throttled calls, and a batch job', async () => {
    // An hour's window: the burst lands in one (fixed windows are aligned to the epoch, so it waits past an edge
    // only in the last 15 s of an hour, not in the last 15 s of every minute).
    expect((await manage('PUT', 'products/burst', { name: 'Burst', rateLimit: { calls: N, renewalPeriod: 3600 } })).status).toBe(201);
    const sub = await manage('POST', 'subscriptions', { name: 'burst-app', productId: 'burst' });
    expect(sub.status).toBe(201);
    const left = 3_600_000 - (Date.now() % 3_600_000);
    if (left < 15_000) await sleep(left + 50);
    const statuses: number[] = [];
    for (let i = 0; i < N + M; i++) statuses.push(await score(sub.json.primaryKey));
    expect(statuses).toEqual([...Array(N).fill(200), ...Array(M).fill(429)]);

    const jobs = jobsApi(stack, () => stack().demo.subscriptionKey);
    const uploaded = await jobs.upload(csvOf(['good day', 'bad night']));
    expect(uploaded.status).toBe(201);
    const submitted = await jobs.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } }, GlobalParameters: {} });
    expect(submitted.status).toBe(200);
    jobId = submitted.json;
  });

  it('shows totals, non-empty charts and the job that match those calls', async () => {
    const { page } = session;
    await page.goto(`${stack().facadeUrl}/manage/dashboard`);
    await openDashboard(page, stack().adminKey);
    const calls = N + M + 2;
    const totals = await readTotals(page);
    expect(totals).toMatchObject({ calls, success: N + 2, blocked: M, failed: 0, other: 0 });
    expect(totals.p50).toBeGreaterThan(0);
    expect(totals.bytesIn).toBeGreaterThan(0);

    const charts = await chartTotals(page);
    expect(charts['chart-calls']).toBe(calls);
    expect(charts['chart-throttled']).toBe(M);
    expect(charts['chart-subscriptions']).toBe(calls);
    expect(charts['chart-operations']).toBe(calls);
    expect(charts['chart-latency']).toBeGreaterThan(0);
    const labels = await page.evaluate(() => (window as any).Chart.getChart('chart-subscriptions').data.labels as string[]);
    expect(labels.some((l) => l.startsWith('burst-app'))).toBe(true);

    const row = page.locator(`#jobs-body tr[data-job-id="${jobId}"]`);
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain('NotStarted');
    expect(session.offsite).toEqual([]);
    await screenshot(page, 'dashboard-live');
  });
});
