// The subscriber's services pages in Chromium against the real local stack: signed in with their OWN key, a subscriber
// sees only the services their product allows (a product limited to one service shows only it), opens a service's
// page, sees its input and output columns from the service's document, puts their key into the samples, and the curl
// sample they copy is exactly what test/integration/code-samples.test.ts runs (the same generator). No admin control,
// no admin key, nothing sent to /manage, nothing fetched off 127.0.0.1.
// Screenshots: test-results/screenshots/services-list-{1440,800}.png and service-page-{1440,800}.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { useStack } from '../integration/helpers/stack.js';
import { manageApi } from '../integration/helpers/calls.js';
import { codeSamples } from '../../src/lib/pages/code-samples.js';
import { describeService } from '../../src/lib/pages/service-description.js';
import { chromiumMissing, openBrowser, screenshot, type BrowserSession, type Page } from './helpers/browser.js';

const missing = chromiumMissing('service-pages');

const stack = useStack();
const manage = manageApi(stack);
let session: BrowserSession;
/** Script errors on the pages (the services script is a string of source: a slip there shows up here first). */
const scriptErrors: string[] = [];
beforeAll(async () => {
  if (missing) return;
  session = await openBrowser();
  await session.browser.grantPermissions(['clipboard-read', 'clipboard-write']);
  session.page.on('pageerror', (error) => scriptErrors.push(error.message));
}, 60_000);
afterAll(async () => {
  await session?.close();
});

const EXTRA = 'sentiment-hashing';
const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
/** The page has loaded its data (or said why not); on a timeout, the error names the page and what it showed. */
async function waitReady(page: Page): Promise<void> {
  try {
    await page.waitForFunction(() => ['ready', 'error'].includes(document.body.getAttribute('data-state') ?? ''), undefined, { timeout: 15_000 });
  } catch (error) {
    const shown = await page.evaluate(() => `${document.body.getAttribute('data-state')}: ${document.getElementById('status')?.textContent ?? ''}`).catch(() => '?');
    throw new Error(`${page.url()} not ready after 15 s (${shown}): ${(error as Error).message}`);
  }
}
const cards = (page: Page) => page.locator('#services a.card').evaluateAll((as) => as.map((a) => a.getAttribute('data-service')));
const sample = (page: Page, language: string) => page.locator(`[data-sample="${language}"] pre code`).textContent();

async function signIn(page: Page, key: string): Promise<void> {
  await page.locator('#login-panel').waitFor({ state: 'visible' });
  await page.fill('#subscription-key', key);
  await page.click('#login button[type=submit]');
  await waitReady(page);
  expect(await page.getAttribute('body', 'data-state')).toBe('ready');
}

describe.skipIf(Boolean(missing))('the services pages (real stack)', () => {
  let one = ''; // a product limited to the demo service
  let all = ''; // the unlimited product: every service
  const demo = () => `${stack().demo.workspace}/${stack().demo.service}`;

  it('serves the shells without a key, with no inline script and nothing of the admin side', async () => {
    for (const path of ['/portal/me/services', `/portal/me/services/${demo()}`]) {
      const res = await request(`${stack().facadeUrl}${path}`);
      expect(res.statusCode, path).toBe(200);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
      const html = await res.body.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/admin/i);
    }
    const script = await request(`${stack().facadeUrl}/portal/me/service-page.js`);
    expect(script.statusCode).toBe(200);
    expect(await script.body.text()).not.toMatch(/admin|\/manage/i);
    const bad = await request(`${stack().facadeUrl}/portal/me/services/demo-workspace/no%20such`);
    expect(bad.statusCode).toBe(404);
    expect(((await bad.body.json()) as any).error.details[0].target).toBe('service');
  });

  it('a subscriber on a product limited to one service sees only it; one on every service sees both', async () => {
    const entry = (await manage('GET', `catalogue/${demo()}`)).json;
    const schema = { title: 'Sentiment hashing', description: 'Hashes review texts into features for the sentiment model.', inputs: { input1: { columns: { Col2: { type: 'string' } } } } };
    expect((await manage('PUT', `catalogue/${stack().demo.workspace}/${EXTRA}`, { backend: entry.backend, schema })).status).toBe(200);
    expect((await manage('PUT', 'products/one-service', { name: 'One service', services: [demo()] })).status).toBe(201);
    one = (await manage('POST', 'subscriptions', { name: 'pages-one', productId: 'one-service' })).json.primaryKey;
    all = (await manage('POST', 'subscriptions', { name: 'pages-all', productId: 'unlimited' })).json.primaryKey;

    const { page } = session;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${stack().facadeUrl}/portal/me`);
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await signIn(page, one);
    // From My subscription's header to the list, signed in already (the same tab's key).
    await page.click('header [data-testid="services-link"]');
    await page.waitForURL(/\/portal\/me\/services$/);
    await waitReady(page);
    expect(await cards(page)).toEqual([demo()]);

    await page.click('#sign-out');
    await signIn(page, all);
    expect(await cards(page)).toEqual([demo(), `${stack().demo.workspace}/${EXTRA}`]);
    const extra = await page.locator(`a.card[data-service$="/${EXTRA}"]`).innerText();
    expect(extra).toMatch(/Sentiment hashing/);
    expect(extra).toMatch(/Hashes review texts/);
    // The demo entry has no words of its own in the catalogue: its card takes them from the service's document.
    const first = await page.locator(`a.card[data-service="${demo()}"]`).innerText();
    expect(first).toMatch(/SimpleFeatureHashingExperiment[\s\S]*Feature Hashing of the text column Col2/);
    expect(first).toMatch(/RRS[\s\S]*BES/);
    // And back to My subscription.
    expect(await page.getAttribute('header [data-testid="my-subscription-link"]', 'href')).toBe('/portal/me');
  });

  for (const width of [1440, 800] as const) {
    it(`the list fits a ${width} px window; screenshot`, async () => {
      const { page } = session;
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      await waitReady(page);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      await screenshot(page, `services-list-${width}`);
    });
  }

  it('opens the demo service\'s page: what it does, its input and output columns from its document, a batch link', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1440, height: 900 });
    // Waits for the navigation to commit, not for every asset's load event: waitReady then says what the page shows.
    await Promise.all([
      page.waitForURL(new RegExp(`/portal/me/services/${demo()}$`), { waitUntil: 'commit', timeout: 15_000 }),
      page.click(`a.card[data-service="${demo()}"]`, { timeout: 15_000 }),
    ]);
    await waitReady(page);
    expect(await page.textContent('#service-title')).toBe('SimpleFeatureHashingExperiment');
    expect(await page.textContent('#service-description')).toMatch(/Feature Hashing of the text column Col2/);
    const columns = (selector: string) => page.locator(`${selector} tr[data-column]`).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(await columns('[data-testid="input-schema"]')).toEqual(['Col2 string']);
    expect(await columns('[data-testid="output-schema"]')).toEqual(['Col2 string', ...Array.from({ length: 8 }, (_, i) => `Col2_HashingFeature.${i} integer (int32)`)]);
    expect(await page.locator('[data-testid="parameters"] tbody tr').count()).toBe(2); // Hashing bitsize, N-grams
    expect(await page.getAttribute('[data-testid="service-batch-link"]', 'href')).toBe(`/portal/me/batch#${demo()}`);
    expect(await page.isVisible('[data-testid="service-batch-link"]')).toBe(true);
  });

  it('puts the key into the samples on request, and the copied curl sample is what the integration test runs', async () => {
    const { page } = session;
    expect(await sample(page, 'curl')).toContain('YOUR_SUBSCRIPTION_KEY');
    expect(await sample(page, 'curl')).not.toContain(all);
    await page.check('[data-testid="key-in-samples"]');
    const curl = (await sample(page, 'curl'))!;
    expect(curl).toContain(all);

    // The same generator, from the same document, as test/integration/code-samples.test.ts builds them.
    const swagger = await (await request(`${stack().facadeUrl}/workspaces/${demo().replace('/', '/services/')}/swagger.json`)).body.json();
    const described = describeService(swagger, stack().facadeUrl);
    const expected = codeSamples({ service: demo(), url: described.url, keyHeader: described.keyHeader, key: all, body: described.body });
    for (const s of expected) expect(await sample(page, s.language), s.language).toBe(s.text);

    await page.click('[data-copy="curl"]');
    await page.waitForFunction(() => /Cop|Selected/.test(document.querySelector('[data-copy="curl"]')!.textContent ?? ''));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl);

    // Tabs: Python shown, curl hidden.
    await page.click('#sample-tabs [data-language="python"]');
    expect(await page.isVisible('[data-sample="python"] pre')).toBe(true);
    expect(await page.isVisible('[data-sample="curl"] pre')).toBe(false);
    await page.uncheck('[data-testid="key-in-samples"]');
    expect(await sample(page, 'python')).toContain('YOUR_SUBSCRIPTION_KEY');
    await page.click('#sample-tabs [data-language="curl"]');
  });

  it('"Try it" sends the example and shows the scored row', async () => {
    const { page } = session;
    await page.click('[data-testid="try-it"]');
    await page.waitForFunction(() => document.getElementById('try-answer')!.hasAttribute('data-status'));
    expect(await page.getAttribute('#try-answer', 'data-status')).toBe('200');
    expect(await page.textContent('#try-answer')).toMatch(/"Col2_HashingFeature\.7": "\d+"/);
  });

  for (const width of [1440, 800] as const) {
    it(`the service page fits a ${width} px window (long code lines scroll in their block); screenshot`, async () => {
      const { page } = session;
      await page.setViewportSize({ width, height: 900 });
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      const block = await page.locator('[data-sample="curl"] pre').evaluate((pre) => ({ scroll: pre.scrollWidth, client: pre.clientWidth }));
      if (width === 800) expect(block.scroll).toBeGreaterThan(block.client); // the URL line is longer than the block
      await screenshot(page, `service-page-${width}`);
    });
  }

  it('a service outside the product is not shown; no admin control, no admin key, nothing sent to /manage or off-site', async () => {
    const { page } = session;
    await page.click('#sign-out');
    await signIn(page, one);
    await page.goto(`${stack().facadeUrl}/portal/me/services/${stack().demo.workspace}/${EXTRA}`);
    await waitReady(page);
    expect(await page.isVisible('[data-testid="not-allowed"]')).toBe(true);
    expect(await page.isVisible('#service')).toBe(false);

    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toMatch(/admin/i);
    expect(session.sent.filter((r) => 'x-admin-key' in r.headers)).toEqual([]);
    expect(session.sent.filter((r) => new URL(r.url).pathname.startsWith('/manage'))).toEqual([]);
    const mine = session.sent.filter((r) => new URL(r.url).pathname.startsWith('/workspaces/me'));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => [one, all].includes(r.headers['ocp-apim-subscription-key']!))).toBe(true);
    expect(session.offsite).toEqual([]);
    expect(scriptErrors).toEqual([]);
  });
});
