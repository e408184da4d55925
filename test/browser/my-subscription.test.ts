// "My subscription" (/portal/me) in Chromium against the real local stack: a subscriber signs in with their OWN
// key and sees their subscription, product and limits, the calls counted in the current window (exactly the N RRS
// calls made with that key), their usage over time and by operation, their batch jobs and their recent errors with
// request ids (never another's), and regenerates a key (confirmed first, shown once, working at once; the page signs
// in again with it when it was the key in use). No admin control and no admin-key header anywhere; a wrong key is
// told plainly; another subscription's key sees only its own calls.
// Screenshots: test-results/screenshots/my-subscription-1440.png and my-subscription-800.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { useStack } from '../integration/helpers/stack.js';
import { csvOf, jobsApi } from '../integration/helpers/bes.js';
import { chromiumMissing, openBrowser, screenshot, type BrowserSession, type Page } from './helpers/browser.js';
import { manageApi, demoScorer } from '../integration/helpers/calls.js';

const missing = chromiumMissing('my-subscription');

const stack = useStack();
let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
}, 60_000);
afterAll(async () => {
  await session?.close();
});

const N = 3; // RRS calls made with subscriber A's key
const LIMIT = 500; // the product's rate limit (per hour): high enough for the batch job's polls too
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const manage = manageApi(stack);

const score = demoScorer(stack);

/** An RRS call whose body the gateway refuses (400): its request id, as the caller got it. */
async function badCall(key: string): Promise<string> {
  const { workspace, service } = stack().demo;
  const res = await request(`${stack().facadeUrl}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key },
    body: '{"Inputs": 7}',
  });
  await res.body.dump();
  expect(res.statusCode).toBe(400);
  return String(res.headers['x-ms-request-id']);
}
let errorOfA = '';
let errorOfB = '';

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const attr = (page: Page, selector: string, name: string) => page.getAttribute(selector, name);

/** Signs in through the page's form; resolves with the body's state once the page has settled. */
async function signIn(page: Page, key: string): Promise<string> {
  await page.locator('#login-panel').waitFor({ state: 'visible' });
  await page.fill('#subscription-key', key);
  await page.click('#login button[type=submit]');
  await page.waitForFunction(() => ['ready', 'error', 'locked'].includes(document.body.getAttribute('data-state') ?? ''), undefined, { timeout: 15_000 });
  return (await page.getAttribute('body', 'data-state'))!;
}

async function signOut(page: Page): Promise<void> {
  await page.click('#sign-out');
  await page.locator('body[data-state="locked"] #login-panel').waitFor();
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready', undefined, { timeout: 15_000 });
}

describe.skipIf(Boolean(missing))('My subscription page (real stack)', () => {
  let a: { id: string; primaryKey: string; secondaryKey: string };
  let b: { id: string; primaryKey: string };
  let jobId = '';

  it('serves the page shell without a key, with the pages\' security headers and no inline script', async () => {
    const res = await request(`${stack().facadeUrl}/portal/me`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const html = await res.body.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/admin/i);
    const script = await request(`${stack().facadeUrl}/portal/me/my-subscription.js`);
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    const js = await script.body.text();
    expect(js).not.toMatch(/admin|\/manage\//i);
    const none = await request(`${stack().facadeUrl}/portal/me/nope.js`);
    expect(none.statusCode).toBe(404);
    await none.body.dump();
    // The portal's own files are still served next to it.
    const init = await request(`${stack().facadeUrl}/portal/portal-init.js`);
    expect(init.statusCode).toBe(200);
    await init.body.dump();
  });

  it('makes N RRS calls with subscriber A\'s key (a product with a rate limit), none with B\'s, and a batch job for A', async () => {
    expect((await manage('PUT', 'products/my-plan', { name: 'My Plan', rateLimit: { calls: LIMIT, renewalPeriod: 3600 } })).status).toBe(201);
    const subA = await manage('POST', 'subscriptions', { name: 'subscriber-a', productId: 'my-plan' });
    const subB = await manage('POST', 'subscriptions', { name: 'subscriber-b', productId: 'my-plan' });
    expect([subA.status, subB.status]).toEqual([201, 201]);
    a = subA.json;
    b = subB.json;
    // An hour's window, aligned to the epoch: the calls land in one.
    const left = 3_600_000 - (Date.now() % 3_600_000);
    if (left < 20_000) await sleep(left + 50);
    const statuses: number[] = [];
    for (let i = 0; i < N; i++) statuses.push(await score(a.primaryKey));
    expect(statuses).toEqual(Array(N).fill(200));
    expect((await manage('POST', 'usage/flush')).status).toBe(200);
  });

  it('from the portal\'s intro, signs in with A\'s key and shows A\'s subscription, product, limit and the N calls', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${stack().facadeUrl}/portal`);
    await page.evaluate(() => sessionStorage.clear());
    await page.click('[data-testid="my-subscription-link"]');
    await page.waitForURL(/\/portal\/me$/);
    expect(await signIn(page, a.primaryKey)).toBe('ready');

    expect(await page.textContent('#sub-name')).toBe('subscriber-a');
    expect(await page.textContent('#sub-id')).toBe(a.id);
    expect(await page.textContent('#sub-state')).toBe('active');
    expect(await page.textContent('#sub-expires')).toBe('Never');
    expect(await page.textContent('#product-name')).toBe('My Plan');
    expect(await attr(page, '#product-rate', 'data-calls')).toBe(String(LIMIT));
    expect(await page.textContent('#product-rate')).toBe(`${LIMIT} calls per hour`);
    expect(await page.textContent('#product-quota')).toBe('No limit');
    expect(await attr(page, '#window-rate', 'data-calls')).toBe(String(N));
    expect(await attr(page, '#window-rate', 'data-limit')).toBe(String(LIMIT));
    expect(await attr(page, '#window-rate', 'data-remaining')).toBe(String(LIMIT - N));
    expect(await page.locator('#window-rate').innerText()).toMatch(/Renews in \d+/);
    expect(await attr(page, '#usage-body tr[data-operation="rrs.execute"]', 'data-calls')).toBe(String(N));
    expect(await page.locator('#usage-body tr[data-operation="rrs.execute"]').innerText()).toMatch(new RegExp(`rrs\\.execute\\s+${N}\\s+${N}\\s+0\\s+0\\s+0`));

    // Nothing of the management side: no element or attribute naming an admin key, no management call.
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toMatch(/admin/i);
    expect(session.sent.filter((r) => 'x-admin-key' in r.headers)).toEqual([]);
    expect(session.sent.filter((r) => new URL(r.url).pathname.startsWith('/manage'))).toEqual([]);
    expect(session.sent.filter((r) => new URL(r.url).pathname.startsWith('/workspaces/me')).every((r) => r.headers['ocp-apim-subscription-key'] === a.primaryKey)).toBe(true);
    expect(session.offsite).toEqual([]);
  });

  it('shows A\'s usage over time for the range chosen: the chart\'s bars add up to the table\'s total', async () => {
    const { page } = session;
    const total = async () => Number(await attr(page, '#usage-foot tr', 'data-calls'));
    const bars = () => page.locator('#usage-chart .usage-bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-calls'))));
    expect(await page.textContent('#usage-title')).toMatch(/last hour/);
    const hour = await bars();
    expect(hour.length).toBeGreaterThanOrEqual(60);
    expect(hour.reduce((a, b) => a + b, 0)).toBe(await total());
    expect(await total()).toBeGreaterThanOrEqual(N);
    expect(await page.locator('#usage-chart .usage-part.success').count()).toBeGreaterThan(0);

    await page.selectOption('#usage-range', '24h');
    await page.waitForFunction(() => /last 24 hours/.test(document.getElementById('usage-title')!.textContent ?? ''));
    await waitReady(page);
    const day = await bars();
    expect(day.length).toBeGreaterThanOrEqual(24);
    expect(day.length).toBeLessThanOrEqual(25);
    expect(day.reduce((a, b) => a + b, 0)).toBe(await total());
    expect(await attr(page, '#usage-body tr[data-operation="rrs.execute"]', 'data-calls')).toBe(String(N));
    await page.selectOption('#usage-range', '1h');
    await page.waitForFunction(() => /last hour/.test(document.getElementById('usage-title')!.textContent ?? ''));
    await waitReady(page);
  });

  it('lists A\'s batch job with its state and duration', async () => {
    const jobs = jobsApi(stack, () => a.primaryKey);
    const uploaded = await jobs.upload(csvOf(['good day', 'bad night']));
    expect(uploaded.status).toBe(201);
    const submitted = await jobs.submit({ Inputs: { input1: { RelativeLocation: uploaded.json.RelativeLocation } }, GlobalParameters: {} });
    expect(submitted.status).toBe(200);
    jobId = submitted.json;
    expect((await jobs.start(jobId)).status).toBe(200);
    const done = await jobs.waitFor(jobId, (code) => ['Finished', 'Failed', 'Cancelled'].includes(code));
    expect(done.json.StatusCode).toBe('Finished');

    const { page } = session;
    await page.click('#refresh');
    await page.locator(`#jobs-body tr[data-job-id="${jobId}"]`).waitFor();
    await waitReady(page);
    const row = await page.locator(`#jobs-body tr[data-job-id="${jobId}"]`).innerText();
    expect(row).toMatch(/Finished/);
    expect(row).toMatch(/\d+(\.\d)? s|\d+ min/);
  });

  it('lists A\'s recent errors with their request ids and error codes, never B\'s', async () => {
    errorOfA = await badCall(a.primaryKey);
    errorOfB = await badCall(b.primaryKey);
    expect((await manage('POST', 'usage/flush')).status).toBe(200); // writes the request log too
    const { page } = session;
    await page.click('#refresh');
    await page.locator(`#errors-body tr[data-request-id="${errorOfA}"]`).waitFor();
    await waitReady(page);
    const row = await page.locator(`#errors-body tr[data-request-id="${errorOfA}"]`).innerText();
    expect(row).toContain(errorOfA);
    expect(row).toMatch(/rrs\.execute/);
    expect(row).toMatch(/\b400\b/);
    expect(row).toMatch(/\t[A-Z][A-Za-z]+$/); // the error's code, last
    expect(await page.locator(`#errors-body tr[data-request-id="${errorOfB}"]`).count()).toBe(0);
    expect(await page.locator('#errors-body tr[data-request-id]').count()).toBe(1);
  });

  for (const width of [1440, 800] as const) {
    it(`fits a ${width} px window (no horizontal overflow); screenshot`, async () => {
      const { page } = session;
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      await waitReady(page);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      await screenshot(page, `my-subscription-${width}`);
    });
  }

  it('tells a wrong key plainly, and shows another subscription only its own (its one refused call)', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1440, height: 900 });
    await signOut(page);
    expect(await signIn(page, 'not-a-real-key-0000000000000000')).toBe('locked');
    expect(await page.textContent('#login-error')).toMatch(/subscription key is not valid/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    expect(await signIn(page, b.primaryKey)).toBe('ready');
    expect(await page.textContent('#login-error')).toBe('');
    expect(await page.textContent('#sub-name')).toBe('subscriber-b');
    expect(await page.textContent('#sub-id')).toBe(b.id);
    // B's one call is its refused one (counted in its own window and usage); A's N + 1 appear nowhere.
    expect(await attr(page, '#window-rate', 'data-calls')).toBe('1');
    expect(await attr(page, '#usage-body tr[data-operation="rrs.execute"]', 'data-calls')).toBe('1');
    expect(await page.locator('#jobs-body tr[data-job-id]').count()).toBe(0);
    expect(await page.locator('#jobs-body').innerText()).toMatch(/No batch jobs/);
    expect(await page.locator(`#errors-body tr[data-request-id="${errorOfB}"]`).count()).toBe(1);
    expect(await page.locator(`#errors-body tr[data-request-id="${errorOfA}"]`).count()).toBe(0);
  });

  it('regenerates A\'s secondary key after a confirmation: shown once, works at once, the old one does not', async () => {
    const { page } = session;
    await signOut(page);
    expect(await signIn(page, a.primaryKey)).toBe('ready');
    await page.click('#regenerate-secondary');
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.textContent('#confirm-text')).toMatch(/secondary key stops working/);
    await page.click('#confirm-no');
    expect(await page.isVisible('#confirm')).toBe(false);
    expect(await page.isVisible('#new-key')).toBe(false);

    await page.click('#regenerate-secondary');
    await page.click('#confirm-yes');
    await page.locator('#new-key').waitFor({ state: 'visible' });
    await waitReady(page);
    const fresh = (await page.textContent('#new-key-value'))!.trim();
    expect(fresh.length).toBeGreaterThan(20);
    expect(fresh).not.toBe(a.secondaryKey);
    expect(await page.textContent('#new-key-note')).toBe(''); // signed in with the primary: it stays
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([a.primaryKey]);
    expect(await score(fresh)).toBe(200);
    expect(await score(a.secondaryKey)).toBe(401);

    // Copy, then Done: the key is gone from the page and from storage (shown once).
    await page.click('#copy-key');
    await page.waitForFunction(() => /Cop|Selected/.test(document.getElementById('copy-key')!.textContent ?? ''));
    await page.click('#hide-key');
    expect(await page.isVisible('#new-key')).toBe(false);
    expect(await page.evaluate(() => document.documentElement.outerHTML)).not.toContain(fresh);
    await page.reload();
    await waitReady(page);
    expect(await page.isVisible('#new-key')).toBe(false);
  });

  it('regenerating the key in use signs the page in again with the new one', async () => {
    const { page } = session;
    await page.click('#regenerate-primary');
    await page.click('#confirm-yes');
    await page.locator('#new-key').waitFor({ state: 'visible' });
    await waitReady(page);
    const fresh = (await page.textContent('#new-key-value'))!.trim();
    expect(fresh).not.toBe(a.primaryKey);
    expect(await page.textContent('#new-key-note')).toMatch(/now uses the new one/);
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([fresh]);
    expect(await page.textContent('#sub-id')).toBe(a.id);
    expect(await score(a.primaryKey)).toBe(401);

    expect(session.sent.filter((r) => 'x-admin-key' in r.headers)).toEqual([]);
    expect(session.sent.filter((r) => new URL(r.url).pathname.startsWith('/manage'))).toEqual([]);
    expect(session.offsite).toEqual([]);
  });
});
