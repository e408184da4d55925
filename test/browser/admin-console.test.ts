// The dashboard's admin console ("Admin" tab) in Chromium against the real local stack, driven as a person does:
// a product (its 400 details shown next to the fields), a subscription on it (both keys shown once, read from the
// page and used for real calls), suspend / reactivate / move / regenerate / delete with the data plane answering
// accordingly, the API's 409s shown in the classic shape, a catalogue entry edited into an invalid value (the API's
// 400 detail shown), and the audit log listing each change. Screenshots at 1440 and 800 px; no overflow at 800.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { useStack } from '../integration/helpers/stack.js';
import { chromiumMissing, openBrowser, screenshot, type BrowserSession, type Page } from './helpers/browser.js';
import { openDashboard } from './helpers/dashboard.js';
import { demoScorer } from '../integration/helpers/calls.js';

const missing = chromiumMissing('admin-console');

const stack = useStack();
let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
  session.page.on('dialog', (dialog) => void dialog.accept()); // the console confirms cancel, delete and regenerate
}, 60_000);
afterAll(async () => {
  await session?.close();
});

const PRODUCT = 'console-trial';
const NAME = 'console-app <b>not bold</b>'; // must show as text, never as markup

const score = demoScorer(stack);

async function getEntry(): Promise<unknown> {
  const { workspace, service } = stack().demo;
  const res = await request(`${stack().facadeUrl}/manage/catalogue/${workspace}/${service}`, { headers: { 'x-admin-key': stack().adminKey } });
  return res.body.json();
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** Waits for the console's next reload after an action (the body's data-admin-loaded stamp changes). */
async function afterReload(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await page.getAttribute('body', 'data-admin-loaded');
  await action();
  await page.waitForFunction((b) => document.body.getAttribute('data-admin-loaded') !== b, before, { timeout: 15_000 });
}

describe.skipIf(Boolean(missing))('admin console in the dashboard (real stack)', () => {
  let subscriptionId = '';
  let primary = '';
  const row = (page: Page) => page.locator(`#subscriptions-body tr[data-subscription-id="${subscriptionId}"]`);

  it('signs in and opens the Admin tab: subscriptions, products, catalogue and audit are listed', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${stack().facadeUrl}/manage/dashboard`);
    await openDashboard(page, stack().adminKey);
    await page.click('#tab-admin');
    await page.locator('body[data-view="admin"][data-state="ready"]').waitFor();
    expect(await page.locator('#dashboard-panel').isVisible()).toBe(false);
    expect(await page.locator('#products-body tr[data-product-id="unlimited"]').count()).toBe(1);
    expect(await page.locator('#products-body tr[data-product-id="starter"]').count()).toBe(1);
    const { workspace, service } = stack().demo;
    expect(await page.locator(`#catalogue-body tr[data-entry="${workspace}/${service}"]`).count()).toBe(1);
    expect(await page.locator('#subscriptions-body tr[data-subscription-id]').count()).toBeGreaterThanOrEqual(1); // the demo's
  });

  it('creates a product, showing the API\'s 400 details next to the fields first', async () => {
    const { page } = session;
    await page.fill('#product-form [name="id"]', PRODUCT);
    await page.fill('#product-form [name="name"]', '');
    await page.fill('#product-form [name="rateCalls"]', '100'); // no period: the API names rateLimit.renewalPeriod
    await page.click('#product-submit');
    const rateError = page.locator('#product-form [data-error-for="rateLimit"] span');
    await rateError.first().waitFor();
    expect(await rateError.first().getAttribute('data-target')).toBe('rateLimit.renewalPeriod');
    expect(await page.locator('#product-form [data-error-for="name"] span').first().getAttribute('data-target')).toBe('name');
    expect(await page.locator('#product-form-error').innerText()).toContain('The request body is invalid.');
    expect(await page.locator('#products-body tr[data-product-id="console-trial"]').count()).toBe(0);

    await page.fill('#product-form [name="name"]', 'Console trial');
    await page.fill('#product-form [name="ratePeriod"]', '60');
    await page.fill('#product-form [name="quotaCalls"]', '1000');
    await page.fill('#product-form [name="quotaPeriod"]', '86400');
    await page.uncheck('#product-form [name="opBes"]');
    await afterReload(page, () => page.click('#product-submit'));
    const product = page.locator(`#products-body tr[data-product-id="${PRODUCT}"]`);
    expect(await product.innerText()).toMatch(/Console trial\s+100 \/ 1 min\s+1000 \/ 1 d\s+rrs\s+every service/);
    expect(await page.locator('#product-form [data-error-for] span').count()).toBe(0);
  });

  it('creates a subscription on it: both keys shown once, the primary one answers 200', async () => {
    const { page } = session;
    await page.fill('#subscription-form [name="name"]', NAME);
    await page.selectOption('#subscription-product', PRODUCT);
    await afterReload(page, () => page.click('#subscription-form button[type="submit"]'));
    await page.locator('#key-reveal [data-testid="primary-key"]').waitFor();
    primary = (await page.locator('[data-testid="primary-key"]').innerText()).trim();
    const secondary = (await page.locator('[data-testid="secondary-key"]').innerText()).trim();
    expect(primary).toMatch(/^[\w-]{43}$/);
    expect(secondary).toMatch(/^[\w-]{43}$/);
    expect(secondary).not.toBe(primary);
    subscriptionId = (await page.locator('#subscriptions-body tr', { hasText: 'console-app' }).getAttribute('data-subscription-id')) ?? '';
    expect(subscriptionId).not.toBe('');
    const cells = await row(page).locator('td').allInnerTexts();
    expect(cells.slice(0, 5)).toEqual([NAME, subscriptionId, PRODUCT, 'active', 'never']);
    expect(await page.locator('#subscriptions-body b, #subscriptions-body img').count()).toBe(0); // text, not markup
    expect(await score(primary)).toBe(200);
  });

  it('shows 409 ProductInUse naming the subscription when its product is deleted', async () => {
    const { page } = session;
    await page.click(`#products-body tr[data-product-id="${PRODUCT}"] button[data-action="delete"]`);
    const error = page.locator('#products-error');
    await error.locator('li').first().waitFor();
    expect(await error.innerText()).toContain(`409 Conflict: Product "${PRODUCT}" is in use by 1 subscription`);
    expect(await error.locator('li').first().getAttribute('data-target')).toBe(`subscriptions/${subscriptionId}`);
    expect(await error.locator('li').first().getAttribute('data-code')).toBe('ProductInUse');
  });

  it('suspends (403), reactivates (200) and moves it to unlimited', async () => {
    const { page } = session;
    await afterReload(page, () => row(page).locator('button[data-action="suspend"]').click());
    expect(await row(page).getAttribute('data-state')).toBe('suspended');
    expect(await score(primary)).toBe(403);

    await afterReload(page, () => row(page).locator('button[data-action="reactivate"]').click());
    expect(await row(page).getAttribute('data-state')).toBe('active');
    expect(await score(primary)).toBe(200);

    await row(page).locator('select[data-role="move-to"]').selectOption('unlimited');
    await afterReload(page, () => row(page).locator('button[data-action="move"]').click());
    expect((await row(page).locator('td').allInnerTexts())[2]).toBe('unlimited');
  });

  it('regenerates the primary key: the new one is shown once; the old one gets 401, the new one 200', async () => {
    const { page } = session;
    await afterReload(page, () => row(page).locator('button[data-action="regenerate-primary"]').click());
    const fresh = (await page.locator('[data-testid="primary-key"]').innerText()).trim();
    expect(fresh).toMatch(/^[\w-]{43}$/);
    expect(fresh).not.toBe(primary);
    expect(await page.locator('[data-testid="secondary-key"]').count()).toBe(0);
    expect(await score(primary)).toBe(401);
    expect(await score(fresh)).toBe(200);
    primary = fresh;
  });

  it('shows 409 ProductBuiltIn when unlimited is deleted, and deletes the unused product', async () => {
    const { page } = session;
    await page.click('#products-body tr[data-product-id="unlimited"] button[data-action="delete"]');
    const error = page.locator('#products-error');
    await error.locator('li[data-code="ProductBuiltIn"]').waitFor();
    expect(await error.innerText()).toContain('409 Conflict: Product "unlimited" is built in');
    await afterReload(page, () => page.click(`#products-body tr[data-product-id="${PRODUCT}"] button[data-action="delete"]`));
    expect(await page.locator(`#products-body tr[data-product-id="${PRODUCT}"]`).count()).toBe(0);
    expect(await error.innerText()).toBe('');
  });

  it('deletes the subscription: its key gets 401', async () => {
    const { page } = session;
    await page.click('#key-reveal button.secondary'); // "Done, hide the keys"
    expect(await page.locator('#key-reveal').isVisible()).toBe(false);
    await afterReload(page, () => row(page).locator('button[data-action="delete"]').click());
    expect(await row(page).count()).toBe(0);
    expect(await score(primary)).toBe(401);
  });

  it('edits a catalogue entry into an invalid value: the API\'s 400 detail is shown and nothing changes', async () => {
    const { page } = session;
    const { workspace, service } = stack().demo;
    const before = await getEntry();
    await page.click(`#catalogue-body tr[data-entry="${workspace}/${service}"] button[data-action="open"]`);
    await page.locator('#catalogue-editor').waitFor();
    await expect.poll(() => page.inputValue('#catalogue-json')).toContain('"backend"');
    const shown = JSON.parse(await page.inputValue('#catalogue-json'));
    expect(shown).toMatchObject({ backend: (before as any).backend });
    await page.fill('#catalogue-json', JSON.stringify({ ...shown, products: ['Not A Product!'] }, null, 2));
    await page.click('#catalogue-save');
    const detail = page.locator('#catalogue-error li[data-target="products[0]"]');
    await detail.waitFor();
    expect(await detail.innerText()).toContain('lower-case letters');
    expect(await page.locator('#catalogue-error').innerText()).toContain('400 BadArgument: The request body is invalid.');
    expect(await getEntry()).toEqual(before);

    await page.fill('#catalogue-json', '{ not json');
    await page.click('#catalogue-save');
    await page.locator('#catalogue-error', { hasText: 'Not JSON' }).waitFor();
  });

  it('lists these actions in the audit log (newest first, failures too)', async () => {
    const { page } = session;
    await page.click('#refresh');
    await page.locator('body[data-view="admin"][data-state="ready"]').waitFor();
    const rows = await page.locator('#audit-body tr').evaluateAll((trs) =>
      trs.map((tr) => `${tr.getAttribute('data-operation')} ${tr.getAttribute('data-target')} ${tr.getAttribute('data-outcome')}`));
    const sub = `subscriptions/${subscriptionId}`;
    const expected = [
      'catalogue.put catalogue/demo-workspace/feature-hashing failure',
      `subscription.delete ${sub} success`,
      `product.delete products/${PRODUCT} success`,
      'product.delete products/unlimited failure',
      `subscription.regenerateKey ${sub} success`,
      `subscription.update ${sub} success`, // the move
      `subscription.update ${sub} success`, // reactivated
      `subscription.update ${sub} success`, // suspended
      `product.delete products/${PRODUCT} failure`, // in use
      `subscription.create ${sub} success`,
      `product.put products/${PRODUCT} success`,
      `product.put products/${PRODUCT} failure`, // the 400
    ];
    const ours = rows.filter((r) => r.includes(`${sub} `) || r.includes(`products/${PRODUCT} `) || r.startsWith('product.delete products/unlimited ')
      || (r.startsWith('catalogue.put ') && r.endsWith(' failure')));
    expect(ours).toEqual(expected);
    expect(await page.locator('#audit-body tr').first().innerText()).toMatch(/admin-key:sha256:[0-9a-f]{12}/);
    expect(await page.locator('#audit-body tr').count()).toBeLessThanOrEqual(50);
  });

  it('fits 1440 and 800 px windows without overflow, and never left 127.0.0.1', async () => {
    const { page } = session;
    // Something in each part of the console for the screenshots: a subscription whose keys are on show.
    await page.fill('#subscription-form [name="name"]', 'screenshot-app');
    await afterReload(page, () => page.click('#subscription-form button[type="submit"]'));
    await page.locator('[data-testid="primary-key"]').waitFor();
    const { workspace, service } = stack().demo;
    await page.click(`#catalogue-body tr[data-entry="${workspace}/${service}"] button[data-action="open"]`); // the entry as JSON again
    await expect.poll(() => page.inputValue('#catalogue-json')).toContain('"backend"');
    expect(await page.locator('#catalogue-error').innerText()).toBe('');
    for (const width of [1440, 800]) {
      await page.setViewportSize({ width, height: 900 });
      await page.evaluate(() => window.scrollTo(0, 0));
      expect(await scrollWidth(page), `scrollWidth at ${width}`).toBeLessThanOrEqual(width);
      await screenshot(page, `admin-console-${width}`);
    }
    expect(session.offsite).toEqual([]);
  });
});
