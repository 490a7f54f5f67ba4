import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logFileForDay } from '../../src-main/logging/log-paths.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';
import { chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import { openWebUi } from '../helpers/web-ui.js';

// A past day's file, so what the supervisor logs today does not change it.
const yesterday = new Date(Date.now() - 86_400_000);
const DAY = dayStamp(yesterday);
const MESSAGES = [
  { level: 'info', process: 'gateway', msg: 'started' },
  { level: 'error', process: 'gateway', msg: 'disk <img src=x onerror="window.injected=1"> Full' },
  { level: 'warn', process: 'supervisor', msg: 'disk almost full' },
  { level: 'error', process: 'supervisor', msg: 'kill switch failed' },
];

/** The log viewer's controls: follow by default, matches marked, filter chips. */
describe.skipIf(chromiumMissing && !requireBrowser)(
  'log viewer controls',
  { tags: ['browser'] },
  () => {
    let root: string;
    let supervisor: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    const count = () => page.getByTestId('log-count').textContent();
    const pressed = (testId: string) => page.getByTestId(testId).getAttribute('aria-pressed');

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-log-controls-'));
      const pattern = join(root, 'logs', 'clawdbot-YYYY-MM-DD.log');
      const file = logFileForDay(pattern, yesterday);
      mkdirSync(dirname(file), { recursive: true });
      const start = yesterday.getTime() - (yesterday.getTime() % 86_400_000) + 3_600_000;
      writeFileSync(
        file,
        MESSAGES.map((m, i) =>
          JSON.stringify({ time: new Date(start + i * 1000).toISOString(), scope: 'test', ...m }),
        ).join('\n') + '\n',
      );
      ({ supervisor, browser, page } = await openWebUi(
        {
          stateDir: join(root, 'state'),
          env: { ...process.env, CLAWDBOT_LOG_FILE: pattern, TELEGRAM_BOT_TOKEN: '' },
        },
        pageErrors,
      ));
      await page.getByTestId('nav-logs').click();
      await page.getByTestId('logs-view').waitFor();
    });

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('follows today’s log by default, and every filter starts at "All"', async () => {
      expect(await pressed('log-follow')).toBe('true');
      expect(await pressed('log-level-all')).toBe('true');
      expect(await pressed('log-process-all')).toBe('true');
      expect(await pressed('log-level-error')).toBe('false');
    });

    it('marks the search term in the lines, as text: a line’s markup stays text', async () => {
      await page.getByTestId('log-day').selectOption(DAY);
      await page.getByTestId('log-count').filter({ hasText: '4 lines' }).waitFor();
      await page.getByTestId('log-search').fill('full');
      await page.getByTestId('log-search').press('Enter');
      await eventually(count).toBe('2 matches');
      // Lowercase matches any case, as the search does.
      await eventually(() => page.getByTestId('log-match').allTextContents()).toEqual([
        'Full',
        'full',
      ]);
      const injected = page.getByTestId('log-row').filter({ hasText: 'onerror' });
      expect(await injected.textContent()).toContain('<img src=x onerror="window.injected=1">');
      expect(await page.locator('[data-testid="log-list"] img').count()).toBe(0);
      expect(await page.evaluate('window.injected')).toBeUndefined();
      await page.getByTestId('log-search').fill('');
      await page.getByTestId('log-search').press('Enter');
      await eventually(count).toBe('4 lines');
    });

    it('filters by level and process with chips, and "All" clears them', async () => {
      await page.getByTestId('log-level-error').click();
      expect(await pressed('log-level-error')).toBe('true');
      expect(await pressed('log-level-all')).toBe('false');
      await eventually(count).toBe('2 lines');
      await page.getByTestId('log-process-supervisor').click();
      await eventually(count).toBe('1 lines');
      await page.getByTestId('log-level-warn').click();
      await eventually(count).toBe('2 lines');
      await page.getByTestId('log-level-all').click();
      expect(await pressed('log-level-all')).toBe('true');
      expect(await pressed('log-level-error')).toBe('false');
      await eventually(count).toBe('2 lines');
      await page.getByTestId('log-process-all').click();
      await eventually(count).toBe('4 lines');
      expect(pageErrors).toEqual([]);
    });
  },
);
