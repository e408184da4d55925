// The third round of attacks, in Chromium against the real local stack: markup put where the pages show text — a
// catalogue entry's title, description and column names (admin-chosen), a subscription's name (admin-chosen, with
// commas and quotes too), and the workspace and service of an anonymous call (caller-chosen, kept in the request
// log) — renders as text on the services list, the service page, My subscription and the owner's dashboard: no
// dialog opens, no element is made of it, no script error. The dashboard's CSV exports read back (with the
// project's own CSV parser) to exactly those names.
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvParser } from '../../src/common/csv.js';
import { useStack } from '../integration/helpers/stack.js';
import { manageApi } from '../integration/helpers/calls.js';
import { chromiumMissing, openBrowser, type BrowserSession, type Page } from './helpers/browser.js';
import { openDashboard } from './helpers/dashboard.js';

const missing = chromiumMissing('hostile-pages');
const stack = useStack();
const manage = manageApi(stack);

const XSS = '<img src=x onerror=alert(1)>';
const SVG = '<svg onload=alert(2)>';
const NAME = `${XSS}, "quoted" =1+1 ${SVG}`; // markup, a comma, quotes and a formula-looking start in the middle
const SERVICE = 'hostile-title';
/** A name a spreadsheet would run: shown as is on the page, exported with a leading apostrophe (OWASP). */
const FORMULA = '=HYPERLINK("https://example.invalid/?leak","open me")';
let formulaId = '';
const COLUMNS = [`${XSS}`, `"quoted",${SVG}`, 'line\nbreak'];

let session: BrowserSession;
const dialogs: string[] = [];
const scriptErrors: string[] = [];
let key = '';
let subscriptionId = '';

beforeAll(async () => {
  if (missing) return;
  session = await openBrowser();
  session.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  session.page.on('pageerror', (error) => scriptErrors.push(error.message));
  const { workspace, service } = stack().demo;
  const entry = (await manage('GET', `catalogue/${workspace}/${service}`)).json;
  // A backend that publishes no document (nothing listens there): the page reads the catalogue's schema.
  const put = await manage('PUT', `catalogue/${workspace}/${SERVICE}`, {
    backend: { ...entry.backend, baseUrl: 'http://127.0.0.1:9' },
    schema: {
      title: `${XSS} title`, description: `${SVG} description "with" quotes`,
      inputs: { input1: { description: XSS, columns: Object.fromEntries(COLUMNS.map((c) => [c, { type: 'string', description: XSS, example: `${XSS}'"\`$x` }])) } },
      globalParameters: { [XSS]: { type: 'string', default: SVG, description: XSS } },
    },
  });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  const created = await manage('POST', 'subscriptions', { name: NAME, productId: 'unlimited' });
  expect(created.status).toBe(201);
  [key, subscriptionId] = [created.json.primaryKey, created.json.id];
  const formula = await manage('POST', 'subscriptions', { name: FORMULA, productId: 'unlimited' });
  expect(formula.status).toBe(201);
  formulaId = formula.json.id;
  // Calls whose names are the caller's (services that cannot exist): one without a key, one with the subscriber's.
  const base = stack().facadeUrl;
  for (const headers of [{}, { 'ocp-apim-subscription-key': key }]) {
    const res = await request(`${base}/workspaces/${encodeURIComponent(XSS)}/services/${encodeURIComponent(SVG)}/execute?api-version=2.0`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}',
    });
    await res.body.dump();
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
  }
  expect((await manage('GET', 'usage/calls')).status).toBe(200); // flushes the request log
}, 60_000);
afterAll(async () => {
  await session?.close();
});

/** Elements the markup would have made, anywhere in the document. */
const injected = (page: Page) => page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload]').length);

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.getAttribute('data-state') ?? ''), undefined, { timeout: 15_000 });
  expect(await page.getAttribute('body', 'data-state')).toBe('ready');
}

function parse(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()].map((r) => r.fields);
}

describe.skipIf(Boolean(missing))('markup where the pages show text (real stack)', () => {
  it('the services list and the service page show the catalogue\'s title, description and columns as text', async () => {
    const { page } = session;
    await page.goto(`${stack().facadeUrl}/portal/me/services`);
    await page.locator('#login-panel').waitFor({ state: 'visible' });
    await page.fill('#subscription-key', key);
    await page.click('#login button[type=submit]');
    await waitReady(page);
    const card = page.locator(`#services a.card[data-service$="/${SERVICE}"]`);
    expect(await card.count()).toBe(1);
    expect(await card.innerText()).toContain(`${XSS} title`);
    expect(await card.innerText()).toContain(`${SVG} description`);
    expect(await injected(page)).toBe(0);

    await page.goto(`${stack().facadeUrl}/portal/me/services/${stack().demo.workspace}/${SERVICE}`);
    await waitReady(page);
    await page.locator('#service:not([hidden])').waitFor();
    expect(await page.textContent('#service-title')).toBe(`${XSS} title`);
    expect(await page.textContent('#service-description')).toBe(`${SVG} description "with" quotes`);
    const shown = await page.locator('#inputs td[data-col], #inputs tr[data-column]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-column')));
    expect(shown).toEqual(COLUMNS);
    expect(await page.locator('#parameters td').first().textContent()).toBe(XSS);
    expect(await page.inputValue('#example-body')).toContain(JSON.stringify(XSS).slice(1, -1));
    const curl = (await page.locator('[data-sample="curl"] pre code').textContent())!;
    expect(curl).toContain(XSS);
    expect(await injected(page)).toBe(0);
  });

  it('My subscription shows the subscription\'s name, markup and all, as text', async () => {
    const { page } = session;
    await page.goto(`${stack().facadeUrl}/portal/me`);
    await waitReady(page);
    expect(await page.textContent('#sub-name')).toBe(NAME);
    expect(await injected(page)).toBe(0);
  });

  it('the dashboard shows the names as text and its CSV exports read back to exactly them', async () => {
    const { page } = session;
    await page.goto(`${stack().facadeUrl}/manage/dashboard`);
    await openDashboard(page, stack().adminKey);
    const logged = page.locator('#calls-table td[data-col="service"]', { hasText: XSS });
    await logged.first().waitFor({ timeout: 15_000 });
    expect(await logged.count()).toBeGreaterThanOrEqual(1);
    expect(await logged.first().textContent()).toBe(`${XSS}/${SVG}`);
    expect(await page.locator(`#quotas-table tr[data-subscription-id="${subscriptionId}"] td[data-col="name"]`).textContent()).toBe(NAME);
    expect(await injected(page)).toBe(0);

    const exported = async (table: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-export-for="${table}"]`)]);
      return parse(readFileSync((await download.path())!, 'utf8'));
    };
    const quotas = await exported('quotas-table');
    expect(quotas.find((row) => row[1] === subscriptionId)?.[0]).toBe(NAME);
    // A formula is shown as typed, and exported defused: the spreadsheet shows the text, runs nothing.
    expect(await page.locator(`#quotas-table tr[data-subscription-id="${formulaId}"] td[data-col="name"]`).textContent()).toBe(FORMULA);
    expect(quotas.find((row) => row[1] === formulaId)?.[0]).toBe(`'${FORMULA}`);
    const calls = await exported('calls-table');
    const header = calls[0]!;
    const made = calls.filter((row) => row[header.indexOf('Service')] === `${XSS}/${SVG}`);
    expect(made.length).toBeGreaterThanOrEqual(2);
    // Refused before any key was read (an unusable name): both anonymous, the key never in the log.
    expect(made.map((row) => row[header.indexOf('Subscription')])).toEqual(['anonymous', 'anonymous']);
    expect(calls.flat().some((field) => field.includes(key))).toBe(false);
    expect(calls.every((row) => row.length === header.length)).toBe(true);
  });

  it('takes markup in a URL as text (the dashboard\'s and the batch page\'s hash) or refuses it (a service page\'s path: 404)', async () => {
    const { page } = session;
    const bad = encodeURIComponent(XSS);
    await page.goto(`${stack().facadeUrl}/manage/dashboard#range=custom&from=${bad}&to=${bad}&subscription=${bad}&service=${bad}&groupBy=${bad}`);
    await page.waitForFunction(() => ['ready', 'error', 'locked'].includes(document.body.getAttribute('data-state') ?? ''), undefined, { timeout: 15_000 });
    if ((await page.getAttribute('body', 'data-state')) === 'locked') await openDashboard(page, stack().adminKey);
    expect(await injected(page)).toBe(0);
    await page.goto(`${stack().facadeUrl}/portal/me/batch#${bad}/${encodeURIComponent(SVG)}`);
    await page.waitForFunction(() => ['ready', 'error', 'locked'].includes(document.body.getAttribute('data-state') ?? ''), undefined, { timeout: 15_000 });
    expect(await injected(page)).toBe(0);
    // A service page's path names a service: one no catalogue could hold is refused (404, the classic JSON), no page.
    const refused = await page.goto(`${stack().facadeUrl}/portal/me/services/${bad}/${encodeURIComponent(SVG)}`);
    expect(refused?.status()).toBe(404);
    expect(await injected(page)).toBe(0);
  });

  it('opened no dialog and threw no script error on any of them', () => {
    expect(dialogs).toEqual([]);
    expect(scriptErrors).toEqual([]);
  });
});
