import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logFileForDay } from '../../src-main/logging/log-paths.js';
import { chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { END_TERM, SPREAD_EVERY, SPREAD_TERM, generateLogFile } from '../logs/log-generator.js';
import { openWebUi } from '../helpers/web-ui.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

/**
 * The log viewer in web mode on a generated 1,000,000-line file: the real CLI and supervisor,
 * the built renderer in Debian's Chromium. The supervisor runs in this process (as `supervise
 * --web` runs it), with the log pattern passed in its environment. The file is a past day's (picked in the day picker),
 * so whatever the supervisor itself logs today does not change it.
 */
const LINES = 1_000_000;
// Yesterday: within the retention the log writer prunes to, and not the file it writes today.
const yesterday = new Date(Date.now() - 86_400_000);
const DAY = dayStamp(yesterday);
const START = new Date(
  yesterday.getFullYear(),
  yesterday.getMonth(),
  yesterday.getDate(),
  0,
  1,
).getTime();
const STEP_MS = 80;

describe.skipIf(chromiumMissing && !requireBrowser)(
  'log viewer on 1,000,000 lines',
  { tags: ['browser'] },
  () => {
    let root: string;
    let supervisor: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    const rows = () => page.getByTestId('log-row');
    const firstLoadedLine = async (): Promise<number> =>
      Number(
        await page.locator('[data-testid="log-row"][data-line]').first().getAttribute('data-line'),
      );
    const count = () => page.getByTestId('log-count').textContent();

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-logs-e2e-'));
      const pattern = join(root, 'logs', 'clawdbot-YYYY-MM-DD.log');
      generateLogFile(logFileForDay(pattern, yesterday), {
        lines: LINES,
        startMs: START,
        stepMs: STEP_MS,
      });
      ({ supervisor, browser, page } = await openWebUi(
        {
          stateDir: join(root, 'state'),
          env: { ...process.env, CLAWDBOT_LOG_FILE: pattern, TELEGRAM_BOT_TOKEN: '' },
        },
        pageErrors,
      ));
      await page.getByTestId('nav-logs').click();
      await page.getByTestId('logs-view').waitFor();
      await page.getByTestId('log-day').selectOption(DAY);
      await page.getByTestId('log-count').filter({ hasText: '1,000,000 lines' }).waitFor();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('scrolls to the middle and to the end, showing the right line numbers', async () => {
      expect(await firstLoadedLine()).toBe(0);
      const list = page.getByTestId('log-list');
      await list.evaluate((el: { scrollTop: number }) => {
        el.scrollTop = 500_000 * 20;
      });
      await eventually(firstLoadedLine).toBeGreaterThanOrEqual(499_980);
      const middle = await firstLoadedLine();
      expect(middle).toBeLessThanOrEqual(500_000);
      // Unfiltered, a row's position is its line number.
      const row = rows()
        .filter({ has: page.locator(`text=handled update ${middle + 25}`) })
        .first();
      expect(await row.getAttribute('data-line')).toBe(String(middle + 25));
      await list.evaluate((el: { scrollTop: number; scrollHeight: number }) => {
        el.scrollTop = el.scrollHeight;
      });
      await eventually(async () =>
        Number(
          await page.locator('[data-testid="log-row"][data-line]').last().getAttribute('data-line'),
        ),
      ).toBe(LINES - 1);
      expect(await rows().count()).toBeLessThan(200);
    });

    it('jumps to a time and shows the clicked line’s fields', async () => {
      // Line 300,000 is at 00:01 + 300,000 × 80 ms = 06:41:00.
      await page.getByTestId('log-time').fill('06:41:00');
      await page.getByTestId('log-jump').click();
      await eventually(() => page.getByTestId('log-details-line').textContent()).toBe(
        'Line 300001',
      );
      await rows().filter({ hasText: 'handled update 300003' }).click();
      await eventually(() => page.getByTestId('log-details-line').textContent()).toBe(
        'Line 300004',
      );
      const fields: unknown = JSON.parse(
        (await page.getByTestId('log-details-fields').textContent()) ?? '',
      );
      expect(fields).toMatchObject({ msg: 'handled update 300003', seq: 300_003 });
    });

    it('searches: first results, the count, next/previous, and a term only near the end', async () => {
      await page.getByTestId('log-search').fill(SPREAD_TERM);
      await page.getByTestId('log-search').press('Enter');
      await eventually(firstLoadedLine).toBe(SPREAD_EVERY / 2);
      await eventually(count).toBe(`${LINES / SPREAD_EVERY} matches`);
      await page.getByTestId('log-next').click();
      await page.getByTestId('log-next').click();
      await eventually(() => page.getByTestId('log-details-line').textContent()).toBe(
        `Line ${SPREAD_EVERY + SPREAD_EVERY / 2 + 1}`,
      );
      await page.getByTestId('log-prev').click();
      await eventually(() => page.getByTestId('log-details-line').textContent()).toBe(
        `Line ${SPREAD_EVERY / 2 + 1}`,
      );

      await page.getByTestId('log-search').fill(END_TERM);
      await page.getByTestId('log-search').press('Enter');
      await eventually(firstLoadedLine).toBe(LINES - 50);
      await eventually(count).toBe('50 matches');
      expect(pageErrors).toEqual([]);
    });
  },
);
