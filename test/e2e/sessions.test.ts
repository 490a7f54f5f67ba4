import type { Database } from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSessionsRepo,
  type SessionIdentity,
  type SessionsRepo,
} from '../../src-main/store/sessions-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { LONG_SESSION, longEventText, seedLongSession } from '../../bench/transcript/seed.js';
import { chromiumMissing, requireBrowser } from '../helpers/browser.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { openWebUi } from '../helpers/web-ui.js';

/**
 * The Sessions view in web mode over a real database: sessions and transcripts seeded through
 * the store the gateway writes with, events appended while the page is open (they must stream
 * in), search across sessions, and a 100,000-event transcript that must open at its end, scroll
 * back to its first event and keep only a screenful of rows in the DOM.
 */

const LONG_COUNT = 100_000;
/** Far fewer rows than events: the list is virtualised. */
const MAX_DOM_ROWS = 150;

const mallory: SessionIdentity = {
  key: 'dm:telegram:4242',
  provider: 'telegram',
  chatKind: 'dm',
  peerId: '4242',
  title: 'Mallory',
  trust: 'allowed',
  toolsRunIn: 'sandbox',
};
const owner: SessionIdentity = {
  key: 'main',
  provider: 'console',
  chatKind: 'dm',
  peerId: 'owner',
  title: null,
  trust: 'owner',
  toolsRunIn: 'host',
};
const group: SessionIdentity = {
  key: 'group:whatsapp:123@g.us',
  provider: 'whatsapp',
  chatKind: 'group',
  peerId: '123@g.us',
  title: 'Climbing club',
  trust: 'group',
  toolsRunIn: 'sandbox',
};

/** Hostile text from a sender: it must show as these characters, never become markup. */
const HOSTILE = '<img src=x onerror="window.__pwned=1"><b>bold?</b>';

describe.skipIf(chromiumMissing && !requireBrowser)(
  'the Sessions view in web mode',
  { tags: ['browser'] },
  () => {
    let root: string;
    let supervisor: HeadlessSupervisor;
    let db: Database;
    let repo: SessionsRepo;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    let searchHitId = 0;
    let long: { firstId: number; lastId: number };

    const row = (key: string): Locator =>
      page.locator(`[data-testid="session-row"][data-session-key="${key}"]`);
    const transcript = (): Locator => page.getByTestId('transcript');
    const event = (id: number): Locator =>
      transcript().locator(`[data-testid="transcript-event"][data-event-id="${id}"]`);
    const domRows = (): Promise<number> => transcript().getByTestId('transcript-event').count();
    async function openSession(key: string): Promise<void> {
      await row(key).getByTestId('session-open').click();
      await transcript().getByTestId('transcript-scroller').waitFor({ state: 'visible' });
    }

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-sessions-'));
      const stateDir = join(root, 'state');
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      db = openDatabase(stateDir);
      repo = createSessionsRepo(db);

      // Seeded before the supervisor starts: it pushes only events stored after it opened.
      long = seedLongSession(db, LONG_COUNT, LONG_SESSION, Date.now() - 3 * 86_400_000);
      const t = Date.now() - 60_000;
      repo.upsert(owner, t);
      repo.append({ sessionKey: 'main', at: t, kind: 'inbound', actor: 'owner', text: 'hello' });
      repo.upsert(group, t);
      const hit = repo.append({
        sessionKey: group.key,
        at: t + 1000,
        kind: 'inbound',
        actor: 'Bob',
        text: 'who is coming to zanzibar on friday',
      });
      searchHitId = hit.id;
      repo.append({
        sessionKey: group.key,
        at: t + 2000,
        kind: 'assistant',
        actor: 'assistant',
        text: 'noted',
      });
      repo.upsert(mallory, t);
      const m = (
        kind: Parameters<SessionsRepo['append']>[0]['kind'],
        text: string,
        data?: Record<string, unknown>,
        actor = 'Mallory',
      ) =>
        repo.append({
          sessionKey: mallory.key,
          at: Date.now() - 30_000,
          kind,
          actor,
          text,
          data: data ?? null,
        });
      m('access', 'Mallory (4242) approved by the owner', { decision: 'approved' }, 'system');
      m('inbound', HOSTILE);
      m(
        'tool-call',
        'exec ls',
        {
          tool: 'exec',
          args: { command: 'ls -la /workspace', timeoutSec: 30 },
          callId: 'call-1',
          where: 'sandbox',
        },
        'assistant',
      );
      m(
        'tool-result',
        'notes.txt\ntodo.md',
        { tool: 'exec', callId: 'call-1', ok: true, where: 'sandbox', durationMs: 42 },
        'exec',
      );
      m('elevated', 'elevated refused: not the owner', { action: 'refused' }, 'system');
      m('error', 'the model timed out', undefined, 'system');
      m('assistant', 'Here are your files.', undefined, 'assistant');

      // In-process web mode, with the renderer named explicitly (the CLI finds it beside its bundle).
      ({ supervisor, browser, page } = await openWebUi(
        {
          stateDir,
          env: { ...process.env, DOCKER_HOST: NO_DOCKER_HOST },
        },
        pageErrors,
      ));
      await page.getByTestId('nav-sessions').click();
      await page.getByTestId('sessions-view').waitFor({ state: 'visible' });
    });

    afterAll(async () => {
      await browser?.close();
      db?.close();
      await supervisor?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('lists the sessions newest first, with provider, trust and where tools run', async () => {
      await row(mallory.key).waitFor({ state: 'visible' });
      const rows = await page.getByTestId('session-row').all();
      const keys = await Promise.all(rows.map((r) => r.getAttribute('data-session-key')));
      expect(keys).toEqual([mallory.key, group.key, 'main', LONG_SESSION.key]);

      expect(await row(mallory.key).getByTestId('session-name').textContent()).toBe('Mallory');
      expect(await row(mallory.key).getByTestId('session-provider').textContent()).toBe('Telegram');
      expect(await row(mallory.key).getByTestId('session-trust').textContent()).toBe('Allowed');
      expect(await row(mallory.key).getByTestId('session-where').textContent()).toBe('Sandbox');
      expect(await row(mallory.key).getByTestId('session-events').textContent()).toBe('7');
      expect(await row('main').getByTestId('session-trust').textContent()).toBe('Owner');
      expect(await row('main').getByTestId('session-where').textContent()).toBe('Host');
      expect(await row(group.key).getByTestId('session-trust').textContent()).toBe('Group');
      expect(await row(group.key).getByTestId('session-name').textContent()).toBe('Climbing club');
      expect(await row(LONG_SESSION.key).getByTestId('session-events').textContent()).toBe(
        '100,000',
      );
      expect(await row(mallory.key).getByTestId('session-activity').textContent()).toMatch(/ago$/);
      expect(pageErrors).toEqual([]);
    });

    it('shows a transcript with tool calls that expand, and marks access, elevated and errors', async () => {
      await openSession(mallory.key);
      await transcript().locator('[data-kind="assistant"]').waitFor({ state: 'visible' });
      // Seven events, six rows: the tool call and its result share one.
      expect(await domRows()).toBe(6);
      expect(await transcript().locator('[data-kind="tool-result"]').count()).toBe(0);

      const call = transcript().locator('[data-kind="tool-call"]');
      expect(await call.getByTestId('tool-name').textContent()).toBe('exec');
      expect(await call.getByTestId('tool-summary').textContent()).toBe('ls -la /workspace');
      expect(await call.getByTestId('tool-status').textContent()).toBe('ok · 42 ms');
      expect(await call.getByTestId('tool-args').count()).toBe(0);
      const toggle = call.getByTestId('tool-toggle');
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      const args = JSON.parse((await call.getByTestId('tool-args').textContent()) ?? '') as unknown;
      expect(args).toEqual({ command: 'ls -la /workspace', timeoutSec: 30 });
      expect(await call.getByTestId('tool-result').textContent()).toBe('notes.txt\ntodo.md');
      await toggle.click();
      await call.getByTestId('tool-args').waitFor({ state: 'detached' });

      await transcript().getByTestId('mark-access').waitFor({ state: 'visible' });
      await transcript().getByTestId('mark-elevated').waitFor({ state: 'visible' });
      await transcript().getByTestId('mark-error').waitFor({ state: 'visible' });
      expect(await transcript().locator('[data-kind="access"]').textContent()).toContain(
        'approved',
      );

      // Untrusted text stays text.
      const hostile = transcript().locator('[data-kind="inbound"]').getByTestId('event-text');
      expect(await hostile.textContent()).toBe(HOSTILE);
      expect(await transcript().locator('img, b').count()).toBe(0);
      expect(
        await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
      ).toBeUndefined();
      expect(pageErrors).toEqual([]);
    });

    it('streams events appended while the transcript is open, and new sessions into the list', async () => {
      const added = repo.append({
        sessionKey: mallory.key,
        at: Date.now(),
        kind: 'assistant',
        actor: 'assistant',
        text: 'a live reply',
      });
      await event(added.id).waitFor({ state: 'visible' });
      expect(await event(added.id).textContent()).toContain('a live reply');
      await expect
        .poll(() => row(mallory.key).getByTestId('session-events').textContent())
        .toBe('8');

      const stranger: SessionIdentity = {
        ...mallory,
        key: 'dm:telegram:777',
        peerId: '777',
        title: 'Newcomer',
      };
      repo.upsert(stranger, Date.now());
      repo.append({
        sessionKey: stranger.key,
        at: Date.now(),
        kind: 'inbound',
        actor: 'Newcomer',
        text: 'hi',
      });
      await row(stranger.key).waitFor({ state: 'visible' });
      // Another session's event does not leak into the open transcript.
      expect(await domRows()).toBe(7);
      expect(pageErrors).toEqual([]);
    });

    it('finds an event in another session and jumps to it', async () => {
      await page.getByLabel('Search transcripts').fill('zanzibar');
      await page.getByTestId('session-search-all').check();
      await page.getByTestId('session-search-submit').click();
      const hit = page.locator(
        `[data-testid="session-search-result"][data-event-id="${searchHitId}"]`,
      );
      await hit.waitFor({ state: 'visible' });
      expect(await hit.getAttribute('data-session-key')).toBe(group.key);
      await hit.click();

      const target = event(searchHitId);
      await target.waitFor({ state: 'visible' });
      expect(await target.getAttribute('class')).toContain('transcript-row--focused');
      expect(await row(group.key).getAttribute('aria-current')).toBe('true');
      expect(await transcript().textContent()).toContain('Climbing club');
      expect(pageErrors).toEqual([]);
    });

    it('opens a 100,000-event transcript at its end and scrolls back to its first event', async () => {
      await openSession(LONG_SESSION.key);
      await event(long.lastId).waitFor({ state: 'visible' });
      expect(await event(long.lastId).textContent()).toContain(longEventText(LONG_COUNT));
      expect(await domRows()).toBeLessThan(MAX_DOM_ROWS);

      const scroller = transcript().getByTestId('transcript-scroller');
      /** Whether the row of event `id` is rendered and inside the scroller's viewport. */
      const inView = async (id: number): Promise<boolean> => {
        const [box, r] = await Promise.all([scroller.boundingBox(), event(id).boundingBox()]);
        return box !== null && r !== null && r.y + r.height > box.y && r.y < box.y + box.height;
      };
      // Typed by hand: this file is type-checked without the DOM library.
      const toTop = (): Promise<void> =>
        scroller.evaluate((el: { scrollTop: number }) => {
          el.scrollTop = 0;
        });
      const loaded = async (): Promise<number> =>
        Number(
          /^([\d,]+) of/
            .exec((await transcript().getByTestId('transcript-count').textContent()) ?? '')?.[1]
            ?.replace(/,/g, ''),
        );
      // The long session's ids are consecutive (seeded in one transaction), so the first loaded
      // event is known from the count. Each scroll to the top loads an older page, and the row
      // that was at the top must still be on screen afterwards: no jump.
      for (let step = 0; step < 200 && (await loaded()) < LONG_COUNT; step++) {
        const before = await loaded();
        const firstLoaded = long.lastId - before + 1;
        await toTop();
        await expect.poll(loaded).toBeGreaterThan(before);
        await expect.poll(() => inView(firstLoaded)).toBe(true);
        expect(await domRows()).toBeLessThan(MAX_DOM_ROWS);
      }
      await toTop();
      await event(long.firstId).waitFor({ state: 'visible' });
      expect(await event(long.firstId).textContent()).toContain(longEventText(1));
      expect(await transcript().getByTestId('transcript-count').textContent()).toContain(
        '100,000 of 100,000 events loaded',
      );
      expect(pageErrors).toEqual([]);
    }, 240_000);

    it('tells the owner when Docker is unreachable, in the Sandboxes view', async () => {
      await page.getByTestId('nav-sandboxes').click();
      const notice = page.getByTestId('docker-error');
      await notice.waitFor({ state: 'visible' });
      expect(await notice.textContent()).toContain('Sandboxed tools fail closed');
      expect(await page.getByTestId('sandbox-row').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  },
);
