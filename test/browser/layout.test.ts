// The pages' polish in Chromium against the real local stack, at a wide (1440 px) and a narrow (800 px) window:
// /portal, /manage/dashboard signed in, and its sign-in screen. Each view has no horizontal overflow, links our
// SVG favicon (served 200, image/svg+xml), says what it must (where the admin key comes from, how often the data
// refreshes, where the portal's key goes) and draws straight latency lines with gaps. Screenshots are saved as
// test-results/screenshots/<view>-<width>.png for a person to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { useStack } from '../integration/helpers/stack.js';
import { chromiumMissing, openBrowser, screenshot, type BrowserSession, type Page } from './helpers/browser.js';
import { openDashboard } from './helpers/dashboard.js';

const missing = chromiumMissing('layout');

const stack = useStack();
let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
}, 60_000);
afterAll(async () => {
  await session?.close();
});

const WIDTHS = [1440, 800] as const;
const HEIGHT = 900;

/** The page's widest content against its window: more than the window means a horizontal scroll bar. */
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The page's <link rel=icon>, fetched the way the browser would. */
async function favicon(page: Page): Promise<{ href: string; type: string | null; status: number; contentType: string }> {
  const link = await page.evaluate(() => {
    const el = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    return el ? { href: el.href, type: el.getAttribute('type') } : null;
  });
  expect(link, 'a <link rel="icon"> in <head>').not.toBeNull();
  const res = await request(link!.href);
  const body = await res.body.text();
  expect(body).toContain('<svg');
  return { ...link!, status: res.statusCode, contentType: String(res.headers['content-type']) };
}

async function scoreOnce(): Promise<void> {
  const { workspace, service, subscriptionKey } = stack().demo;
  const res = await request(`${stack().facadeUrl}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': subscriptionKey },
    body: JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['good day']] } }, GlobalParameters: {} }),
  });
  await res.body.dump();
  expect(res.statusCode).toBe(200);
}

describe.skipIf(Boolean(missing))('page layout and polish at 1440 and 800 px (real stack)', () => {
  for (const width of WIDTHS) {
    it(`portal at ${width} px: no overflow, our favicon, the key hint`, async () => {
      const { page } = session;
      await page.setViewportSize({ width, height: HEIGHT });
      await page.goto(`${stack().facadeUrl}/portal`);
      await page.locator('.opblock').first().waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      const icon = await favicon(page);
      expect(icon).toMatchObject({ status: 200, type: 'image/svg+xml' });
      expect(icon.href).toMatch(/\/portal\/favicon\.svg$/);
      expect(icon.contentType).toMatch(/^image\/svg\+xml/);
      const hint = await page.locator('[data-testid="key-hint"]').innerText();
      expect(hint).toMatch(/Authorize/);
      expect(hint).toMatch(/Ocp-Apim-Subscription-Key.*header/s);
      await screenshot(page, `portal-${width}`, false);
    });

    it(`dashboard sign-in at ${width} px: no overflow, our favicon, where the admin key comes from`, async () => {
      const { page } = session;
      await page.setViewportSize({ width, height: HEIGHT });
      await page.goto(`${stack().facadeUrl}/manage/dashboard`);
      await page.evaluate(() => sessionStorage.clear());
      await page.reload();
      await page.locator('body[data-state="locked"] #login-panel').waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      const icon = await favicon(page);
      expect(icon).toMatchObject({ status: 200, type: 'image/svg+xml' });
      expect(icon.href).toMatch(/\/manage\/dashboard\/favicon\.svg$/);
      expect(icon.contentType).toMatch(/^image\/svg\+xml/);
      const text = await page.locator('#login-panel').innerText();
      expect(text).toContain('.local/stack.json');
      expect(text).toContain('Key Vault');
      expect(text).toContain('ADMIN_KEY_SECRET_NAME');
      expect(text).toContain('facade-admin-key');
      expect(await page.locator('#range').isVisible()).toBe(false); // no data controls before the key
      await screenshot(page, `dashboard-signin-${width}`);
    });

    it(`dashboard signed in at ${width} px: no overflow, the refresh interval, straight latency lines with gaps`, async () => {
      const { page } = session;
      if (width === WIDTHS[0]) await scoreOnce(); // some latency to draw
      await page.setViewportSize({ width, height: HEIGHT });
      await page.goto(`${stack().facadeUrl}/manage/dashboard`);
      if ((await page.getAttribute('body', 'data-state')) !== 'ready') {
        await page.locator('body[data-state="locked"], body[data-state="ready"]').waitFor();
        if ((await page.getAttribute('body', 'data-state')) === 'locked') await openDashboard(page, stack().adminKey);
      }
      await page.locator('body[data-state="ready"]').waitFor();
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      const icon = await favicon(page);
      expect(icon).toMatchObject({ status: 200, type: 'image/svg+xml' });
      expect(await page.locator('#status').innerText()).toMatch(/^Refreshes every \d+ s · last at \S/);
      const lines = await page.evaluate(() => {
        const chart = (window as any).Chart.getChart('chart-latency');
        return (chart.data.datasets as { label: string; tension: number; spanGaps: boolean; data: unknown[] }[])
          .map((d) => ({ label: d.label, tension: d.tension, spanGaps: d.spanGaps, points: d.data.filter((v) => typeof v === 'number').length }));
      });
      expect(lines.map((l) => l.label)).toEqual(['p50', 'p95', 'p99']);
      for (const line of lines) expect(line).toMatchObject({ tension: 0, spanGaps: false });
      expect(lines[0]!.points).toBeGreaterThan(0);
      await screenshot(page, `dashboard-${width}`);
      expect(session.offsite).toEqual([]);
    });
  }
});
