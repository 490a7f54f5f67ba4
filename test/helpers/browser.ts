import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium: never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
/** Whether Chromium is missing on this machine. */
export const chromiumMissing = !existsSync(CHROMIUM);
/** CI sets this: there a missing browser must fail the run, not quietly skip the UI tests. */
export const requireBrowser = process.env['CLAWDBOT_REQUIRE_BROWSER'] === '1';
/** Long enough for a loaded CI machine; nothing here asserts on speed. */
export const UI_TIMEOUT_MS = 20_000;

/**
 * Polls `probe` until the assertion chained on it holds (or {@link UI_TIMEOUT_MS} passes): what
 * a page shows arrives when the socket and React get to it, never at a known moment.
 */
export function eventually<T>(probe: () => T | Promise<T>, timeout = UI_TIMEOUT_MS) {
  return expect.poll(probe, { timeout });
}

/**
 * Launches Debian's Chromium headless, with the flags this closed network needs (no background
 * networking, no component updates: their refused connections would only add noise).
 */
export function launchChromium(): Promise<Browser> {
  if (chromiumMissing) throw new Error(`CLAWDBOT_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A new page whose script errors, console errors and Content Security Policy violations (the
 * page's own `securitypolicyviolation` events, reported as console errors) are collected in
 * `errors`: a refused style or a render crash shows up there, not as a missing element.
 */
export async function openWatchedPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  // A string, run in the page before its own scripts: this project's Node types know no DOM.
  await page.addInitScript(
    "document.addEventListener('securitypolicyviolation', (event) => console.error(" +
      "'securitypolicyviolation: ' + event.violatedDirective + ' refused ' + event.blockedURI + ' ' + event.sample))",
  );
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The browser's own favicon probe 404s by design: the UI ships no icon.
    if (message.type() !== 'error' || message.location().url.endsWith('/favicon.ico')) return;
    errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  return page;
}
