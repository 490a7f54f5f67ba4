import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBusyState } from '../../bench/ui/seed.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { VIEWS } from '../../src-renderer/state/view.js';
import { seriousViolations } from '../helpers/axe.js';
import { chromiumMissing, requireBrowser } from '../helpers/browser.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { openWebUi } from '../helpers/web-ui.js';

/**
 * Every view, light and dark, through axe-core in Chromium over the real web mode with a
 * seeded state: no serious or critical violation anywhere. And the shell by keyboard alone:
 * views, the theme menu and the sidebar's fold.
 */
describe.skipIf(chromiumMissing && !requireBrowser)('accessibility (axe-core, keyboard)', () => {
  let root: string;
  let supervisor: HeadlessSupervisor;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-a11y-'));
    const stateDir = join(root, 'state');
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const db = openDatabase(stateDir);
    seedBusyState(db, 20);
    db.close();
    ({ supervisor, browser, page } = await openWebUi(
      { stateDir, env: { ...process.env, DOCKER_HOST: NO_DOCKER_HOST } },
      pageErrors,
    ));
    await page.getByTestId('statusbar-kill-switch').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await supervisor?.close();
    rmSync(root, { recursive: true, force: true });
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`finds no serious or critical violation on any view (${scheme})`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      const found: string[] = [];
      for (const view of VIEWS) {
        await page.getByTestId(`nav-${view}`).click();
        await page.locator(`[data-testid="nav-${view}"][aria-current="page"]`).waitFor();
        for (const violation of await seriousViolations(page)) found.push(`${view}: ${violation}`);
      }
      expect(found).toEqual([]);
      expect(pageErrors).toEqual([]);
    }, 120_000);
  }

  it('charts the last 24 hours from the transcripts, with the numbers in a table too', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('nav-dashboard').click();
    // Seeded: the owner's line and twenty friends' messages, each with one sandboxed tool call.
    await expect
      .poll(() => page.getByTestId('activity-totals').textContent(), { timeout: 20_000 })
      .toBe('21 messages · 20 tool calls · 0 blocked');
    expect(await page.getByTestId('activity-chart').locator('canvas').count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Activity by hour' }).count()).toBe(1);

    // A canvas keeps the colours it was drawn with: a theme change (here the system's, which the
    // default choice follows) must draw the chart again in the new theme's.
    await page.evaluate(
      `document.querySelector('[data-testid="activity-chart"] canvas').dataset.drawn = 'light'`,
    );
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('[data-testid="activity-chart"] canvas:not([data-drawn])').waitFor();
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('scrolls no view sideways from 600 to 2560 px wide', async () => {
    const wide: string[] = [];
    for (const width of [600, 900, 2560]) {
      await page.setViewportSize({ width, height: 800 });
      for (const view of VIEWS) {
        await page.getByTestId(`nav-${view}`).click();
        await page.locator(`[data-testid="nav-${view}"][aria-current="page"]`).waitFor();
        const [scroll, client] = await page.evaluate<[number, number]>(
          '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
        );
        if (scroll > client) wide.push(`${view} at ${width} px: ${scroll} > ${client}`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(wide).toEqual([]);
  }, 120_000);

  it('works by keyboard: views, the theme menu and the sidebar fold', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('nav-dashboard').click();
    // A view link takes Enter.
    await page.getByTestId('nav-logs').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="nav-logs"][aria-current="page"]').waitFor();

    // The theme menu opens from the keyboard and its choice applies and sticks.
    await page.getByTestId('theme-menu').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('theme-dark').waitFor();
    // The menu focuses its first item itself once open (a moment later): wait for that, then
    // walk to Dark with the arrow keys, as a keyboard user would.
    await expect
      .poll(() => page.evaluate('document.activeElement?.getAttribute("role")'))
      .toBe('menuitemradio');
    const focused = () =>
      page.evaluate<string | undefined>('document.activeElement?.dataset.testid');
    for (let step = 0; step < 4; step++) {
      const before = await focused();
      if (before === 'theme-dark') break;
      await page.keyboard.press('ArrowDown');
      // Each key moves focus once it is handled: wait for it to land before the next.
      await expect.poll(focused).not.toBe(before);
    }
    expect(await page.evaluate('document.activeElement?.dataset.testid')).toBe('theme-dark');
    await page.keyboard.press('Enter');
    await page.getByTestId('theme-dark').waitFor({ state: 'hidden' });
    await page.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    await page.reload();
    await page.getByTestId('sidebar').waitFor();
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');

    // The fold: names hidden from sight, never from the links' accessible names.
    const toggle = page.getByTestId('sidebar-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await toggle.focus();
    await page.keyboard.press('Enter');
    // React commits the fold on its own schedule: wait for it rather than read at once.
    await page.locator('[data-testid="sidebar-toggle"][aria-expanded="false"]').waitFor();
    expect(await page.getByRole('link', { name: 'Sessions' }).count()).toBe(1);
    await page.getByTestId('nav-sessions').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="nav-sessions"][aria-current="page"]').waitFor();
    await toggle.click();
    await page.evaluate("localStorage.removeItem('clawdbot.theme')");
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
