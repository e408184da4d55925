// Starts Debian's Chromium through playwright-core (never a downloaded browser): headless, sandbox off (CI
// containers), nothing fetched from the network, a fresh profile per launch. Screenshots go to test-results/.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('test-results', 'screenshots');

/**
 * Why the browser tests cannot run here (no Chromium), or undefined. Under CI that is a failure; elsewhere each file
 * says so in one line and skips, so `npm install && npm test` passes on a machine without Chromium.
 */
export function chromiumMissing(file: string): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const line = `[${file}] SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH); the browser tests never download one`;
  if (process.env.CI === 'true') throw new Error(line);
  console.warn(line);
  return line;
}

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface BrowserSession {
  browser: BrowserContext;
  page: Page;
  /** Requests that left 127.0.0.1 (a page that needs the internet is a bug: it must work offline). */
  offsite: string[];
  /** Every request the page made, with its headers: which key went where (an admin key must never leave the dashboard). */
  sent: { url: string; headers: Record<string, string> }[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH. The browser tests never download a browser.`);
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'ml-facade-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
    timeout: 30_000,
  });
  const offsite: string[] = [];
  await browser.route(/^(?!https?:\/\/127\.0\.0\.1[:/])/, (route) => {
    offsite.push(route.request().url());
    return route.abort();
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const sent: BrowserSession['sent'] = [];
  page.on('request', (request) => sent.push({ url: request.url(), headers: request.headers() }));
  return {
    browser,
    page,
    offsite,
    sent,
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page (full length by default) or one element of it, saved as test-results/screenshots/{name}.png. */
export async function screenshot(target: Page | Locator, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  if ('goto' in target) await target.screenshot({ path: file, fullPage });
  else await target.screenshot({ path: file });
  return file;
}

export type { Browser, Page };
