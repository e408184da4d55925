// The dashboard page in Chromium against a stand-in usage API with known numbers: the key form, a refused key,
// totals and charts from the API's answer, the jobs table, the range selector, the key kept for the tab only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, openBrowser, screenshot, type BrowserSession } from './helpers/browser.js';
import { FAKE_ADMIN_KEY, startFakeUsageApi, type FakeApi } from './helpers/fake-usage-api.js';
import { chartTotals, openDashboard, readTotals } from './helpers/dashboard.js';

const missing = chromiumMissing('dashboard-page');

let api: FakeApi;
let session: BrowserSession;

beforeAll(async () => {
  api = await startFakeUsageApi();
  session = await openBrowser();
}, 60_000);

afterAll(async () => {
  await session?.close();
  await api?.close();
});

describe.skipIf(Boolean(missing))('dashboard page (stand-in API)', () => {
  it('serves an empty shell that asks for the admin key before calling anything', async () => {
    const { page } = session;
    await page.goto(`${api.url}/manage/dashboard`);
    await page.locator('body[data-state="locked"]').waitFor();
    expect(await page.locator('#login-panel').isVisible()).toBe(true);
    expect(await page.locator('#dashboard-panel').isVisible()).toBe(false);
    expect(api.calls).toEqual([]);
  });

  it('says so when the key is refused, and asks again', async () => {
    const { page } = session;
    await page.fill('#admin-key', 'wrong');
    await page.click('#login button[type=submit]');
    await page.locator('#login-error', { hasText: 'refused' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('ml-facade.adminKey'))).toBeNull();
  });

  it('shows the totals, non-empty charts and the jobs (active first) with a good key', async () => {
    const { page } = session;
    await openDashboard(page, FAKE_ADMIN_KEY);
    expect(await readTotals(page)).toMatchObject({ calls: 50, success: 38, blocked: 9, failed: 3, other: 0, p50: 1.8, p99: 12.25 });
    expect(await page.locator('#bytes-in').textContent()).toBe('12.1 KB');
    const charts = await chartTotals(page);
    for (const id of ['chart-calls', 'chart-latency', 'chart-subscriptions', 'chart-operations', 'chart-throttled']) expect(charts[id]).toBeGreaterThan(0);
    expect(charts['chart-subscriptions']).toBe(50);
    const rows = await page.locator('#jobs-body tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-job-id')));
    expect(rows).toEqual(['job-running-2', 'job-finished-1']);
    const usageCalls = api.calls.filter((c) => c.startsWith('/manage/usage?'));
    expect(usageCalls.some((c) => c.includes('groupBy=subscription'))).toBe(true);
    expect(usageCalls.some((c) => c.includes('groupBy=operation'))).toBe(true);
    expect(usageCalls.every((c) => /[?&]interval=1(&|$)/.test(c) && c.includes('from=') && c.includes('to='))).toBe(true);
    await screenshot(page, 'dashboard-stand-in');
  });

  it('fits an 800 px window with the jobs filled in: the table scrolls inside its panel, the page does not', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 800, height: 900 });
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
      expect(await page.locator('[data-testid="jobs-scroll"] #jobs-body tr').count()).toBe(2);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('asks for a coarser series when the range is 24 hours', async () => {
    const { page } = session;
    api.calls.length = 0;
    await page.selectOption('#range', '24h');
    await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready');
    await expect.poll(() => api.calls.filter((c) => c.startsWith('/manage/usage?')).length).toBeGreaterThanOrEqual(3);
    const first = new URL(api.calls.find((c) => c.startsWith('/manage/usage?'))!, api.url);
    expect(first.searchParams.get('interval')).toBe('15');
    expect(Date.parse(first.searchParams.get('to')!) - Date.parse(first.searchParams.get('from')!)).toBe(86_400_000);
  });

  it('keeps the key for the tab (a reload opens the data), forgets it on request, and never left 127.0.0.1', async () => {
    const { page } = session;
    await page.reload();
    await page.locator('body[data-state="ready"]').waitFor();
    await page.click('#sign-out');
    await page.locator('body[data-state="locked"]').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('ml-facade.adminKey'))).toBeNull();
    expect(session.offsite).toEqual([]);
  });
});
