import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessSupervisor, type HeadlessSupervisor } from '../../src-main/web/headless.js';
import { LaunchCodes } from '../../src-main/web/launch-codes.js';
import {
  UI_TIMEOUT_MS,
  chromiumMissing,
  launchChromium,
  openWatchedPage,
  requireBrowser,
} from '../helpers/browser.js';
import { builtGateway, builtRenderer } from '../helpers/paths.js';
import { unreachableDocker } from '../helpers/supervisor.js';

/**
 * The one-time address a browser is opened on: a browser's command line is readable by every
 * local user, so it carries a code that leads to the token once, never the token itself.
 */

function get(
  url: string,
  method = 'GET',
): Promise<{ status: number; location: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('one-time sign-in links', () => {
  let root: string;
  let running: HeadlessSupervisor;
  let token: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-launch-'));
    running = await startHeadlessSupervisor({
      stateDir: join(root, 'state'),
      gatewayEntry: builtGateway,
      docker: unreachableDocker(),
      web: { host: '127.0.0.1', port: 0, rendererDir: builtRenderer },
    });
    token = new URL(running.webUrl ?? '').hash.replace('#token=', '');
  });

  afterAll(async () => {
    await running?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('leads to the page with the token once, and never carries the token itself', async () => {
    const link = running.webLaunchUrl!();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/launch\/[A-Za-z0-9_-]{20,}$/);
    expect(link).not.toContain(token);
    // A HEAD (a link preview) does not use it up.
    expect((await get(link, 'HEAD')).status).toBe(410);
    const first = await get(link);
    expect(first).toMatchObject({ status: 303, location: `/#token=${token}` });
    const again = await get(link);
    expect(again.status).toBe(410);
    expect(again.body).toContain('Run `clawdbot web-url` on this machine');
    expect(again.body).not.toContain(token);
    // A made-up code leads nowhere.
    const made = await get(link.replace(/[^/]+$/, 'x'.repeat(24)));
    expect(made.status).toBe(410);
  });

  it('expires unused', () => {
    let now = 1_000_000;
    const codes = new LaunchCodes(60_000, () => now);
    const late = codes.mint();
    const soon = codes.mint();
    now += 30_000;
    expect(codes.redeem(soon)).toBe(true);
    now += 30_000;
    expect(codes.redeem(late)).toBe(false);
  });

  describe.skipIf(chromiumMissing && !requireBrowser)('in Chromium', { tags: ['browser'] }, () => {
    it('signs the page in, and the address bar keeps no token', async () => {
      const browser = await launchChromium();
      const errors: string[] = [];
      try {
        const page = await openWatchedPage(browser, errors);
        await page.goto(running.webLaunchUrl!());
        await page
          .getByTestId('gateway-state')
          .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        expect(page.url()).not.toContain(token);
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  });
});
