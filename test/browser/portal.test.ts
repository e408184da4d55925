// The developer portal in Chromium against the real local stack: it lists every operation of /openapi.json's
// subscriber view (never the management API),
// and "try it" of RRS Execute with the demo key, entered once in Authorize, shows the scored columns; the same
// key then serves a BES call and survives a reload. Nothing is fetched from outside 127.0.0.1. With
// CORS_ALLOWED_ORIGINS set, a page on another origin may call the data plane but not the management API.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { useStack } from '../integration/helpers/stack.js';
import { chromiumMissing, openBrowser, screenshot, type BrowserSession } from './helpers/browser.js';

const missing = chromiumMissing('portal');

// Another origin (another port) serving a blank page, started first: the facade must know it.
const otherOrigin = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>'));
await new Promise<void>((resolve) => otherOrigin.listen(0, '127.0.0.1', resolve));
const ORIGIN = `http://127.0.0.1:${(otherOrigin.address() as AddressInfo).port}`;
afterAll(() => new Promise<void>((resolve) => otherOrigin.close(() => resolve())));

const stack = useStack({ facadeEnv: { CORS_ALLOWED_ORIGINS: ORIGIN } });
let session: BrowserSession;

beforeAll(async () => {
  session = await openBrowser();
}, 60_000);
afterAll(async () => {
  await session?.close();
});

/** operationId → tag, as the portal's view of /openapi.json lists them (the portal must show them all). */
async function documentedOperations(audience = 'subscriber'): Promise<Map<string, string>> {
  const doc = (await (await request(`${stack().facadeUrl}/openapi.json?audience=${audience}`)).body.json()) as {
    paths: Record<string, Record<string, { operationId: string; tags: string[] }>>;
  };
  const ops = new Map<string, string>();
  for (const item of Object.values(doc.paths)) for (const op of Object.values(item)) ops.set(op.operationId, op.tags[0]!);
  return ops;
}

const operation = (page: BrowserSession['page'], id: string) => page.locator(`.opblock[id$="-${id}"]`);

async function authorizeOnce(page: BrowserSession['page'], key: string): Promise<void> {
  await page.click('button.authorize');
  const header = page.locator('.dialog-ux .auth-container', { hasText: 'Ocp-Apim-Subscription-Key' });
  await header.locator('input').fill(key);
  await header.locator('button.authorize').click();
  await page.locator('.dialog-ux button.close-modal').click();
}

async function execute(page: BrowserSession['page'], id: string) {
  const op = operation(page, id);
  if (!(await op.locator('.opblock-body').isVisible())) await op.locator('.opblock-summary').click();
  await op.locator('button.execute').click();
  const live = op.locator('.live-responses-table');
  await live.locator('.response-col_status').first().waitFor({ timeout: 15_000 });
  return { op, live, status: (await live.locator('tbody .response-col_status').first().innerText()).trim() };
}

describe.skipIf(Boolean(missing))('developer portal (real stack)', () => {
  it('lists every operation of the subscriber\'s view and no management operation, RRS Execute and the BES operations among them, with the product name', async () => {
    const { page } = session;
    await page.goto(`${stack().facadeUrl}/portal`);
    await expect(page.title()).resolves.toContain('ml-facade');
    await page.locator('.opblock').first().waitFor();
    const documented = await documentedOperations();
    for (const id of ['rrsExecute', 'besSubmit', 'besList', 'besStart', 'besStatus', 'besCancel']) expect(documented.has(id)).toBe(true);
    for (const id of documented.keys()) expect(await operation(page, id).count(), id).toBe(1);
    // The portal is the subscriber's: the management API (documented in the full /openapi.json) is not in it.
    const management = [...(await documentedOperations('all'))].filter(([, tag]) => tag === 'Management').map(([id]) => id);
    expect(management.length).toBeGreaterThan(5);
    for (const id of management) expect(await operation(page, id).count(), id).toBe(0);
    expect(await page.locator('#swagger-ui').innerText()).not.toMatch(/Management|x-admin-key/);
    expect(await page.locator('[data-testid="portal-intro"]').innerText()).toMatch(/ml-facade developer portal/);
    await screenshot(page, 'portal-operations', false);
  });

  it('try it: RRS Execute with the key entered once in Authorize shows 200 and the hashing columns', async () => {
    const { page } = session;
    await authorizeOnce(page, stack().demo.subscriptionKey);
    await operation(page, 'rrsExecute').locator('.opblock-summary').click();
    const body = operation(page, 'rrsExecute').locator('.body-param textarea');
    expect(await body.inputValue()).toContain('This is a good day'); // the README's example, prefilled
    const { op, live, status } = await execute(page, 'rrsExecute');
    expect(status).toBe('200');
    const shown = await live.innerText();
    expect(shown).toContain('Col2_HashingFeature.0');
    expect(shown).toContain('x-ms-request-id');
    expect(shown).toMatch(/Request duration\s+\d+ ms/);
    expect(await op.locator('.request-url').innerText()).toContain(`/workspaces/${stack().demo.workspace}/services/${stack().demo.service}/execute?api-version=2.0`);
    await op.locator('.request-url').scrollIntoViewIfNeeded();
    await screenshot(page, 'portal-try-it-rrs', false);
    await screenshot(live, 'portal-try-it-response');
  });

  it('the same key serves the next call (BES List) and is still there after a reload', async () => {
    const { page } = session;
    const { status } = await execute(page, 'besList');
    expect(status).toBe('200');
    await page.reload();
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('button.authorize.locked').count()).toBe(1);
    const again = await execute(page, 'rrsExecute');
    expect(again.status).toBe('200');
    expect(session.offsite).toEqual([]);
  });
});

describe.skipIf(Boolean(missing))('CORS for another origin (CORS_ALLOWED_ORIGINS)', () => {
  it('lets a page on the allowed origin score and read the answer headers, but never reach /manage', async () => {
    const { page } = session;
    await page.goto(ORIGIN);
    const result = await page.evaluate(async ({ facade, workspace, service, key, admin }) => {
      const res = await fetch(`${facade}/workspaces/${workspace}/services/${service}/execute?api-version=2.0`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'ocp-apim-subscription-key': key },
        body: JSON.stringify({ Inputs: { input1: { ColumnNames: ['Col2'], Values: [['good day']] } }, GlobalParameters: {} }),
      });
      const body = await res.text();
      let manage = 'reached';
      try {
        await fetch(`${facade}/manage/products`, { headers: { 'x-admin-key': admin } });
      } catch (error) {
        manage = String(error);
      }
      return { status: res.status, requestId: res.headers.get('x-ms-request-id'), body, manage };
    }, { facade: stack().facadeUrl, workspace: stack().demo.workspace, service: stack().demo.service, key: stack().demo.subscriptionKey, admin: stack().adminKey });
    expect(result.status).toBe(200);
    expect(result.body).toContain('Col2_HashingFeature.0');
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.manage).toMatch(/TypeError/);
  });
});
