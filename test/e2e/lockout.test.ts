import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { UI_TIMEOUT_MS, chromiumMissing, requireBrowser } from '../helpers/browser.js';
import { openWebUi } from '../helpers/web-ui.js';

/** Sends one auth frame with `token` and resolves with the close code the server ends with. */
function failedSignIn(port: number, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ipc`);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.once('close', (code) => resolve(code));
    ws.once('error', reject);
  });
}

/**
 * The page a locked-out address gets: the supervisor refuses even the right token for a while,
 * and the page says so (instead of claiming the token is wrong).
 */
describe.skipIf(chromiumMissing && !requireBrowser)(
  'web mode after ten failed sign-ins',
  { tags: ['browser'] },
  () => {
    let root: string;
    let supervisor: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-lockout-'));
      ({ supervisor, browser, page } = await openWebUi(
        { stateDir: join(root, 'state') },
        pageErrors,
      ));
      await page.getByTestId('gateway-state').waitFor();
    });

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('shows the page locked out, not a wrong token, and the dashboard is gone', async () => {
      const port = supervisor.webPort!;
      for (let i = 0; i < 10; i++) expect(await failedSignIn(port, `guess-${i}`)).toBe(1008);
      await page.reload();
      await page.getByTestId('locked-out').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      expect(await page.getByTestId('unauthorized').count()).toBe(0);
      expect(await page.getByTestId('gateway-state').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  },
);
