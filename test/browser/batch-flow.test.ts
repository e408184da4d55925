// "Run a batch job" (/portal/me/batch) in Chromium against the real local stack: a subscriber signed in on My
// subscription follows its link (not asked again), the page opens on the demo service named in the URL, refuses an
// empty, a binary and a malformed file in plain words, tells why a job on a file without the service's column failed, then runs a
// real CSV end to end — upload with progress to 100%, submit, start, watch until Finished, download — and the file
// saved equals the output the API gives for that job, one result row per input row. A long job is cancelled while it
// runs (the reference service is slowed per row for that). No admin key, no /manage call, nothing off 127.0.0.1.
// Screenshots: test-results/screenshots/batch-flow-1440.png and batch-flow-800.png.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { useStack } from '../integration/helpers/stack.js';
import { csvOf, expectedRows, jobsApi, parseCsv, sampleTexts } from '../integration/helpers/bes.js';
import { manageApi } from '../integration/helpers/calls.js';
import { waitFor } from '../integration/helpers/wait.js';
import { chromiumMissing, openBrowser, screenshot, type BrowserSession, type Page } from './helpers/browser.js';

const missing = chromiumMissing('batch-flow');

// 5 ms a row: 300 rows finish in a couple of seconds, 6,000 run long enough to be cancelled.
const stack = useStack({
  facadeEnv: { BES_POLL_SCHEDULE: '*/1 * * * * *', BES_POLL_INTERVAL_SECONDS: '1' },
  referenceEnv: { REFERENCE_BES_ROW_DELAY_MS: '5' },
});
const manage = manageApi(stack);

const ROWS = 300;
const texts = sampleTexts(ROWS);
const dir = mkdtempSync(path.join(tmpdir(), 'batch-flow-'));
const file = (name: string, body: string | Buffer) => {
  writeFileSync(path.join(dir, name), body);
  return path.join(dir, name);
};
const FILES = {
  good: file('scores-input.csv', csvOf(texts)),
  empty: file('empty.csv', ''),
  binary: file('photo.csv', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.alloc(512, 0xff)])),
  noColumn: file('no-column.csv', 'Id,Text\r\n1,good day\r\n2,bad night\r\n'),
  // A closing quote missing: the facade's own CSV reader, run in the page, says where.
  unterminated: file('unterminated.csv', 'Id,Col2\r\n1,good day\r\n2,"bad night\r\n'),
  ragged: file('ragged.csv', 'Id,Col2\r\n1,good day\r\n2,bad,night\r\n3,fine\r\n'),
  long: file('long.csv', csvOf(sampleTexts(6000))),
};

let session: BrowserSession;
beforeAll(async () => {
  session = await openBrowser();
}, 60_000);
afterAll(async () => {
  await session?.close();
  rmSync(dir, { recursive: true, force: true });
});

const stepStatus = (page: Page, step: string) => page.getAttribute(`#step-${step}`, 'data-status');
async function waitStep(page: Page, step: string, statuses: string[], timeout = 15_000): Promise<string> {
  await page.waitForFunction(([id, wanted]) => wanted.includes(document.getElementById(id)!.getAttribute('data-status') ?? ''),
    [`step-${step}`, statuses] as const, { timeout });
  return (await stepStatus(page, step))!;
}

/** Clicks a step's button and waits until the step is over: done, else the step's error (in the assertion). */
async function runStep(page: Page, step: string): Promise<void> {
  await page.click(`#${step}-button`);
  const status = await waitStep(page, step, ['done', 'failed']);
  expect({ status, error: await page.textContent(`#${step}-error`) }).toEqual({ status: 'done', error: '' });
}

/** Upload, submit and start through the page; resolves with the job id. */
async function runThroughStart(page: Page): Promise<string> {
  for (const step of ['upload', 'submit', 'start']) await runStep(page, step);
  const id = (await page.textContent('#job-id'))!;
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  return id;
}

describe.skipIf(Boolean(missing))('Run a batch job page (real stack)', () => {
  let subscriber: { id: string; primaryKey: string };
  const jobs = jobsApi(stack, () => subscriber.primaryKey);

  it('serves the page and its scripts without a key, with the pages\' security headers and no inline script', async () => {
    const res = await request(`${stack().facadeUrl}/portal/me/batch`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const html = await res.body.text();
    expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|admin/i);
    for (const name of ['subscriber-session.js', 'batch-csv.js', 'batch-job.js', 'batch-views.js', 'batch-flow.js', 'batch-flow.css']) {
      const asset = await request(`${stack().facadeUrl}/portal/me/${name}`);
      expect(asset.statusCode, name).toBe(200);
      expect(await asset.body.text()).not.toMatch(/admin|\/manage\//i);
    }
  });

  it('follows "Run a batch job" from My subscription, signed in already, and opens on the service the URL names', async () => {
    expect((await manage('PUT', 'products/batch-plan', { name: 'Batch Plan', services: [`${stack().demo.workspace}/${stack().demo.service}`] })).status).toBe(201);
    const created = await manage('POST', 'subscriptions', { name: 'batch-runner', productId: 'batch-plan' });
    expect(created.status).toBe(201);
    subscriber = created.json;

    const { page } = session;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${stack().facadeUrl}/portal/me`);
    await page.fill('#subscription-key', subscriber.primaryKey);
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready');
    await page.click('[data-testid="batch-link"]');
    await page.waitForURL(/\/portal\/me\/batch$/);
    await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready');
    expect(await page.isVisible('#login-panel')).toBe(false);

    const { workspace, service } = stack().demo;
    await page.goto(`${stack().facadeUrl}/portal/me/batch#${workspace}/${service}`);
    await page.waitForFunction(() => document.body.getAttribute('data-state') === 'ready');
    expect(await page.inputValue('#service-select')).toBe(`${workspace}/${service}`);
    expect(await waitStep(page, 'service', ['done'])).toBe('done');
    await page.waitForFunction(() => /Col2/.test(document.getElementById('service-columns')!.textContent ?? ''));
    expect(await stepStatus(page, 'file')).toBe('ready');
    expect(await stepStatus(page, 'upload')).toBe('locked');
    expect(await page.isDisabled('#upload-button')).toBe(true);
  });

  it('refuses an empty file, a binary one, one without the service\'s column and one that is not valid CSV, in plain words, before any upload', async () => {
    const { page } = session;
    const refusals: [string, RegExp][] = [
      [FILES.empty, /empty\.csv is empty/],
      [FILES.binary, /photo\.csv is not a CSV file/],
      [FILES.noColumn, /no-column\.csv has no Col2 column, which the service needs \(it has Id, Text\)/],
      [FILES.unterminated, /unterminated\.csv is not valid CSV: row 2 \(line 3\): unterminated quoted field/],
    ];
    for (const [path, message] of refusals) {
      await page.setInputFiles('#file-input', path);
      await expect.poll(() => page.textContent('#file-error')).toMatch(message);
      expect(await stepStatus(page, 'file')).toBe('ready');
      expect(await page.isDisabled('#upload-button')).toBe(true);
    }
  });

  it('tells a refused submit in the gateway\'s words with its request id, retries it, and says why the job failed', async () => {
    const { page } = session;
    await page.setInputFiles('#file-input', FILES.ragged);
    expect(await waitStep(page, 'file', ['done'])).toBe('done');
    await runStep(page, 'upload');

    // The subscription is suspended for a moment (by its owner, through the management API): submit is refused.
    expect((await manage('PATCH', `subscriptions/${subscriber.id}`, { state: 'suspended' })).status).toBe(200);
    await waitFor('the suspension to be seen', async () => ((await jobs.list()).status === 403 ? true : undefined));
    await page.click('#submit-button');
    expect(await waitStep(page, 'submit', ['failed'])).toBe('failed');
    expect(await page.textContent('#submit-error')).toMatch(/^This subscription cannot be used: Access denied: the subscription is suspended\..*\(Request id [\w-]+\)$/);
    expect(await page.isEnabled('#submit-button')).toBe(true);

    expect((await manage('PATCH', `subscriptions/${subscriber.id}`, { state: 'active' })).status).toBe(200);
    await waitFor('the reactivation to be seen', async () => ((await jobs.list()).status === 200 ? true : undefined));
    await runStep(page, 'submit');
    await runStep(page, 'start');
    expect(await waitStep(page, 'watch', ['done', 'failed'], 60_000)).toBe('failed');
    expect(await page.textContent('#job-state')).toBe('Failed');
    expect(await page.textContent('#watch-error')).toMatch(/^The job failed: .*row 2 .* has 3 fields but the header has 2/);
    expect(await stepStatus(page, 'download')).toBe('locked');
    expect(await page.isEnabled('#file-input')).toBe(true);
  });

  it('runs a real CSV end to end: upload to 100%, submit, start, watch until Finished, download the same output', async () => {
    const { page } = session;
    await page.setInputFiles('#file-input', FILES.good);
    expect(await waitStep(page, 'file', ['done'])).toBe('done');
    expect(await page.textContent('#file-facts')).toMatch(/^scores-input\.csv · \d+\.\d KB$/);
    expect(await page.locator('#file-preview tbody tr td:first-child').allInnerTexts()).toEqual(['0', '1', '2', '3', '4']);
    expect(await page.textContent('#watch-error')).toBe(''); // the failed run is gone with its file

    const id = await runThroughStart(page);
    expect(await page.getAttribute('#upload-meter', 'data-percent')).toBe('100');
    expect(await page.textContent('#upload-progress')).toMatch(/\(100%\)$/);
    expect(await page.textContent('#upload-note')).toMatch(/^Uploaded: /);
    expect(await waitStep(page, 'watch', ['done', 'failed'], 60_000)).toBe('done');
    expect(await page.textContent('#job-state')).toBe('Finished');
    expect(await page.textContent('#elapsed')).toMatch(/^Finished in \d+ s$/);

    const output = page.locator('#outputs .output[data-output="output1"]');
    await output.locator('table.preview').waitFor();
    expect(await output.locator('tbody tr td:first-child').allInnerTexts()).toEqual(texts.slice(0, 5).map((t) => t.replace(/\n/g, ' ')));
    const [download] = await Promise.all([page.waitForEvent('download'), output.locator('button').click()]);
    expect(download.suggestedFilename()).toBe(`${id}-output1.csv`);
    const saved = readFileSync((await download.path())!, 'utf8');
    await output.locator('.saved').filter({ hasText: /^Saved \(\d+\.\d KB\)$/ }).waitFor();
    expect(await waitStep(page, 'download', ['done'])).toBe('done');

    const viaApi = await jobs.download(id);
    expect(viaApi.status).toBe(200);
    expect(saved).toBe(viaApi.text);
    const rows = parseCsv(saved);
    expect(rows).toHaveLength(ROWS + 1);
    expect(rows.slice(1)).toEqual(expectedRows(texts));

    await screenshot(page, 'batch-flow-1440');
    await page.setViewportSize({ width: 800, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    await screenshot(page, 'batch-flow-800');
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 90_000);

  it('cancels a job while it runs, asking again by itself when the job is busy for a moment (409)', async () => {
    const { page } = session;
    await page.setInputFiles('#file-input', FILES.long);
    expect(await waitStep(page, 'file', ['done'])).toBe('done');
    const id = await runThroughStart(page);
    await page.waitForFunction(() => document.getElementById('job-state')!.textContent === 'Running', undefined, { timeout: 20_000 });
    expect(await page.isEnabled('#cancel-button')).toBe(true);
    // The first DELETE meets the poller at work on the job (409 JobBusy, as the gateway answers then): the page asks again.
    let deletes = 0;
    const thisJob = (url: URL) => url.pathname.endsWith(`/jobs/${id}`);
    await page.route(thisJob, async (route) => {
      if (route.request().method() !== 'DELETE' || deletes++ > 0) return route.fallback();
      await route.fulfill({
        status: 409, contentType: 'application/json', headers: { 'retry-after': '1', 'x-ms-request-id': 'test-busy' },
        body: JSON.stringify({ error: { code: 'Conflict', message: 'The job is being worked on; cancel it again in 1 s at most.', details: [{ code: 'JobBusy', target: 'jobId', message: 'busy' }] } }),
      });
    });
    await page.click('#cancel-button');
    expect(await waitStep(page, 'watch', ['done', 'failed'], 20_000)).toBe('failed');
    expect(await page.textContent('#job-state')).toBe('Cancelled');
    expect(await page.textContent('#watch-note')).toMatch(/cancelled/);
    expect((await jobs.status(id)).json.StatusCode).toBe('Cancelled');
    expect(await page.isHidden('#cancel-button')).toBe(true);
    expect(deletes).toBeGreaterThanOrEqual(2); // the refused DELETE, then the one that cancelled
    await page.unroute(thisJob);
  }, 90_000);

  it('sent only the subscriber\'s key: no admin key, no /manage call, nothing off 127.0.0.1', () => {
    expect(session.sent.length).toBeGreaterThan(10);
    expect(session.sent.filter((r) => 'x-admin-key' in r.headers)).toEqual([]);
    expect(session.sent.filter((r) => new URL(r.url).pathname.startsWith('/manage'))).toEqual([]);
    const keyed = session.sent.filter((r) => 'ocp-apim-subscription-key' in r.headers);
    expect(keyed.length).toBeGreaterThan(5);
    expect(keyed.every((r) => r.headers['ocp-apim-subscription-key'] === subscriber.primaryKey)).toBe(true);
    expect(session.offsite).toEqual([]);
  });
});
