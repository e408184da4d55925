// Reading the dashboard page the way a person does, but exactly: the totals' data-value attributes and the
// numbers inside each Chart.js chart.
import type { Page } from 'playwright-core';

export const CHART_IDS = ['chart-calls', 'chart-latency', 'chart-subscriptions', 'chart-operations', 'chart-throttled'] as const;

/** Enters the admin key in the page's form and waits until the data is shown (or fails with the page's message). */
export async function openDashboard(page: Page, adminKey: string): Promise<void> {
  await page.locator('#admin-key').waitFor({ state: 'visible' });
  await page.fill('#admin-key', adminKey);
  await page.click('#login button[type=submit]');
  await page.waitForFunction(() => ['ready', 'error', 'locked'].includes(document.body.getAttribute('data-state') ?? ''), undefined, { timeout: 15_000 });
  const state = await page.getAttribute('body', 'data-state');
  if (state !== 'ready') {
    const why = `${await page.textContent('#status')} ${await page.textContent('#login-error')}`.trim();
    throw new Error(`dashboard is ${state}: ${why}`);
  }
}

export async function readTotals(page: Page): Promise<Record<string, number | null>> {
  return page.evaluate(() => {
    const ids = { calls: 'total-calls', success: 'total-success', blocked: 'total-blocked', failed: 'total-failed', other: 'total-other',
      p50: 'latency-p50', p95: 'latency-p95', p99: 'latency-p99', bytesIn: 'bytes-in', bytesOut: 'bytes-out' };
    const out: Record<string, number | null> = {};
    for (const [name, id] of Object.entries(ids)) {
      const raw = document.getElementById(id)?.getAttribute('data-value');
      out[name] = raw ? Number(raw) : null;
    }
    return out;
  });
}

/** Sum of every number drawn in each chart (0 for an empty chart). */
export async function chartTotals(page: Page): Promise<Record<string, number>> {
  return page.evaluate((ids) => {
    const chartApi = (window as unknown as { Chart: { getChart(id: string): { data: { datasets: { data: unknown[] }[] } } | undefined } }).Chart;
    const out: Record<string, number> = {};
    for (const id of ids) {
      const chart = chartApi.getChart(id);
      out[id] = chart ? chart.data.datasets.flatMap((d) => d.data).reduce<number>((s, v) => s + (typeof v === 'number' ? v : 0), 0) : 0;
    }
    return out;
  }, [...CHART_IDS]);
}
