import type { Database } from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import {
  createSessionsRepo,
  type SessionIdentity,
  type SessionsRepo,
} from '../../src-main/store/sessions-repo.js';
import {
  chromiumMissing,
  openWatchedPage,
  requireBrowser,
  eventually,
} from '../helpers/browser.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { openWebUi } from '../helpers/web-ui.js';

const friend = (n: number): SessionIdentity => ({
  key: `dm:telegram:${n}`,
  provider: 'telegram',
  chatKind: 'dm',
  peerId: String(n),
  title: `Friend ${n}`,
  trust: 'allowed',
  toolsRunIn: 'sandbox',
});

/** Events in the long session: several screens, so "at the bottom" and "scrolled up" differ. */
const LONG = 300;

/**
 * How the Sessions view behaves while events stream in, in Chromium over a real database the
 * test appends to: relative times with the full date on hover that keep moving, a session list
 * that does not reorder under the pointer, and a transcript that opens at its newest event,
 * follows new ones at the bottom and leaves a reader who scrolled up where they are.
 */
describe.skipIf(chromiumMissing && !requireBrowser)(
  'the Sessions view while events stream in',
  { tags: ['browser'] },
  () => {
    let root: string;
    let db: Database;
    let repo: SessionsRepo;
    let supervisor: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    let firstAt = 0;
    let friend4At = 0;

    const keysShown = async (): Promise<(string | null)[]> =>
      Promise.all(
        (await page.getByTestId('session-row').all()).map((r) =>
          r.getAttribute('data-session-key'),
        ),
      );
    const row = (key: string): Locator =>
      page.locator(`[data-testid="session-row"][data-session-key="${key}"]`);
    const gapBelow = (): Promise<number> =>
      page.evaluate<number>(
        `(() => { const el = document.querySelector('[data-testid="transcript-scroller"]'); return el.scrollHeight - el.scrollTop - el.clientHeight; })()`,
      );
    const say = (n: number, text: string) =>
      repo.append({
        sessionKey: friend(n).key,
        at: Date.now(),
        kind: 'inbound',
        actor: `Friend ${n}`,
        text,
      });

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-sessions-live-'));
      const stateDir = join(root, 'state');
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      db = openDatabase(stateDir);
      repo = createSessionsRepo(db);
      // Friends 1..4, friend 1 most recently active; friend 1's transcript is long.
      const start = Date.now() - 10 * 60_000;
      for (let n = 4; n >= 1; n--) {
        repo.upsert(friend(n), start);
        repo.append({
          sessionKey: friend(n).key,
          at: start + (5 - n) * 60_000,
          kind: 'inbound',
          actor: `Friend ${n}`,
          text: `hello from ${n}`,
        });
      }
      firstAt = start + 4 * 60_000;
      friend4At = start + 60_000;
      for (let i = 1; i < LONG; i++) {
        repo.append({
          sessionKey: friend(1).key,
          at: firstAt + i,
          kind: i % 2 === 0 ? 'inbound' : 'assistant',
          actor: i % 2 === 0 ? 'Friend 1' : 'assistant',
          text: `line ${i}`,
        });
      }
      ({ supervisor, browser, page } = await openWebUi(
        { stateDir, env: { ...process.env, DOCKER_HOST: NO_DOCKER_HOST } },
        pageErrors,
      ));
      await page.getByTestId('nav-sessions').click();
      await row(friend(1).key).waitFor();
    });

    afterAll(async () => {
      await browser?.close();
      db?.close();
      await supervisor?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('shows times relative, with the full date on hover', async () => {
      const activity = row(friend(4).key).getByTestId('session-activity');
      // Set up ten minutes ago; a slow start may have taken a minute more.
      expect(await activity.textContent()).toMatch(/^(9|10) min ago$/);
      // The full date is the page's own local rendering of the stored time.
      expect(await activity.getAttribute('title')).toBe(
        await page.evaluate((t) => new Date(t).toLocaleString(), friend4At),
      );

      await row(friend(2).key).getByTestId('session-open').click();
      const time = page.getByTestId('transcript').getByTestId('event-time').first();
      await time.waitFor();
      expect(await time.textContent()).toMatch(/^(7|8) min ago$/);
      const dateTime = (await time.getAttribute('datetime'))!;
      expect(await time.getAttribute('title')).toBe(
        await page.evaluate((iso) => new Date(iso).toLocaleString(), dateTime),
      );
    });

    it('keeps relative times moving while nothing happens', async () => {
      // Its own page, with a clock the test moves: a fresh event reads "just now", and once the
      // page's clock is three minutes on, "3 min ago", with nothing else happening.
      const clocked = await openWatchedPage(browser, pageErrors);
      try {
        await clocked.clock.install();
        await clocked.goto(supervisor.webUrl ?? '');
        await clocked.getByTestId('nav-sessions').click();
        const fresh = say(3, 'now then');
        const row3 = clocked.locator(
          `[data-testid="session-row"][data-session-key="${friend(3).key}"]`,
        );
        await row3.getByTestId('session-open').click();
        const time = clocked
          .locator(`[data-testid="transcript-event"][data-event-id="${fresh.id}"]`)
          .getByTestId('event-time');
        await eventually(() => time.textContent()).toBe('just now');
        await clocked.clock.fastForward(3 * 60_000);
        await eventually(() => time.textContent()).toBe('3 min ago');
        await eventually(() => row3.getByTestId('session-activity').textContent()).toBe(
          '3 min ago',
        );
      } finally {
        await clocked.close();
      }
    });

    it('does not reorder the session list under the pointer; marks new activity, and re-sorts when the pointer leaves', async () => {
      await row(friend(4).key).waitFor();
      const before = await keysShown();
      expect(before.indexOf(friend(4).key)).toBeGreaterThan(0);

      await row(friend(2).key).hover();
      await eventually(() => page.getByTestId('session-list-box').getAttribute('data-order')).toBe(
        'held',
      );
      say(4, 'the bottom one speaks');
      // Arrived (its count moved and it is marked), yet nothing moved.
      await eventually(() => row(friend(4).key).getByTestId('session-new-activity').count()).toBe(
        1,
      );
      expect(await row(friend(4).key).getByTestId('session-events').textContent()).toBe('2');
      expect(await keysShown()).toEqual(before);

      // The pointer leaves: newest activity first again, marks gone.
      await page.mouse.move(1, 1);
      await eventually(async () => (await keysShown())[0]).toBe(friend(4).key);
      expect(await page.getByTestId('session-new-activity').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it('opens a transcript at its newest event, follows new ones at the bottom, and does not yank a reader who scrolled up', async () => {
      const key = friend(1).key;
      await row(key).getByTestId('session-open').click();
      const events = page.getByTestId('transcript').getByTestId('transcript-event');
      await eventually(() => events.last().textContent()).toContain(`line ${LONG - 1}`);
      expect(await gapBelow()).toBeLessThan(2);

      // Following: a new event shows, and the view stays at the bottom.
      const live = say(1, 'live at the bottom');
      const liveRow = page.locator(`[data-testid="transcript-event"][data-event-id="${live.id}"]`);
      await liveRow.waitFor();
      await eventually(() => gapBelow()).toBeLessThan(2);

      // Scrolled up: new events arrive (the count says so) but what the reader looks at stays
      // put: the same row at the top of the view, at the same place.
      await page.evaluate(
        `document.querySelector('[data-testid="transcript-scroller"]').scrollTop = 200`,
      );
      const anchor = () =>
        page.evaluate<{ id: string; top: number } | null>(`(() => {
          const el = document.querySelector('[data-testid="transcript-scroller"]');
          const box = el.getBoundingClientRect();
          const hit = document.elementFromPoint(box.left + 20, box.top + 20)?.closest('[data-event-id]');
          return hit ? { id: hit.dataset.eventId, top: Math.round(hit.getBoundingClientRect().top) } : null;
        })()`);
      // Rows measured as they render may settle the position once; wait until it holds.
      let before = await anchor();
      await eventually(async () => {
        const now = await anchor();
        const same = JSON.stringify(now) === JSON.stringify(before);
        before = now;
        return same && now !== null;
      }).toBe(true);
      const total = async () => page.getByTestId('transcript-count').textContent();
      const countBefore = (await total()) ?? '';
      say(1, 'while you read above');
      say(1, 'and more');
      await eventually(total).not.toBe(countBefore);
      expect(await anchor()).toEqual(before);
      expect(await gapBelow()).toBeGreaterThan(500);
      expect(pageErrors).toEqual([]);
    });
  },
);
