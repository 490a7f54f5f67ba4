import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAllowlistNotesRepo } from '../../src-main/store/allowlist-notes-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo } from '../../src-main/store/sessions-repo.js';
import { createUsageRepo, localDays } from '../../src-main/store/usage-repo.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { seriousViolations } from '../helpers/axe.js';
import { chromiumMissing, requireBrowser } from '../helpers/browser.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { openWebUi } from '../helpers/web-ui.js';

/** The text of each cell of a table's body, row by row. */
async function cells(page: Page, testId: string): Promise<string[][]> {
  const rows = await page.getByTestId(testId).locator('tbody tr').all();
  return Promise.all(
    rows.map(async (row) => (await row.locator('td').allTextContents()).map((t) => t.trim())),
  );
}

/** Ann's row, today and over 30 days: labelled "Sister" in the allowlist, blocked today. */
const ANN_BLOCKED = [
  'Sister · Anntelegram:1',
  '1,200',
  '1,200 / 1,000 · 120 %Blocked until midnight',
  '1',
  '0',
  '0',
];

/**
 * The Usage view in Chromium over the real web mode, with a seeded month: today and the last
 * 30 days, per sender (with the allowlist's label) and per session, against the budgets.
 */
describe.skipIf(chromiumMissing && !requireBrowser)('usage view', () => {
  let root: string;
  let supervisor: HeadlessSupervisor;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  // Noon on 15 June 2031, local: what the supervisor's clock says.
  const now = new Date(2031, 5, 15, 12).getTime();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-usage-'));
    const stateDir = join(root, 'state');
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(stateDir, 'clawdbot.json'),
      "{ telegram: { allowFrom: ['1', '2'] }, limits: { dailyTokens: 20000, sender: { dailyTokens: 1000 } } }",
    );
    const clock = join(root, 'clock');
    writeFileSync(clock, new Date(now).toISOString());
    const db = openDatabase(stateDir);
    const usage = createUsageRepo(db);
    const sessions = createSessionsRepo(db);
    const days = localDays(now, 30).map((d) => d.day);
    const call = (day: string, sender: string, sessionKey: string, tokens: number) =>
      usage.recordModelCall(
        {
          day,
          sender,
          senderName: sender === 'telegram:1' ? 'Ann' : sender === 'telegram:2' ? 'Bob' : null,
          owner: sender === 'owner',
          sessionKey,
        },
        { inputTokens: tokens - 100, outputTokens: 100, estimated: false },
      );
    // Today: Ann has used up her 1,000 (blocked), the owner worked in main.
    call(days[29]!, 'telegram:1', 'dm:telegram:1', 1_200);
    call(days[29]!, 'owner', 'main', 3_000);
    // Earlier: Bob reached his budget once, the owner used a lot on the first day.
    call(days[20]!, 'telegram:2', 'dm:telegram:2', 1_500);
    call(days[0]!, 'owner', 'main', 9_000);
    sessions.upsert(
      {
        key: 'dm:telegram:1',
        provider: 'telegram',
        chatKind: 'dm',
        peerId: '1',
        title: 'Ann',
        trust: 'allowed',
        toolsRunIn: 'sandbox',
      },
      now - 3_600_000,
    );
    for (const at of [now - 60_000, now - 30_000]) {
      sessions.append({
        sessionKey: 'dm:telegram:1',
        at,
        kind: 'tool-call',
        actor: 'assistant',
        text: 'exec ls',
      });
    }
    createAllowlistNotesRepo(db).label('telegram', 'dm', '1', 'Sister', now);
    db.close();
    ({ supervisor, browser, page } = await openWebUi(
      {
        stateDir,
        env: { ...process.env, DOCKER_HOST: NO_DOCKER_HOST, CLAWDBOT_TEST_CLOCK_FILE: clock },
      },
      pageErrors,
    ));
    await page.getByTestId('nav-usage').click();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await supervisor?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('shows today per sender and session against the budgets, the blocked sender in danger', async () => {
    const panel = page.getByTestId('usage-panel-today');
    await panel.waitFor();
    expect(await page.getByTestId('usage-total-tokens').textContent()).toBe('4,200tokens');
    expect(await page.getByTestId('usage-total-tools').textContent()).toBe('2tool calls');
    expect(await page.getByTestId('usage-span').textContent()).toBe('2031-06-15');
    expect(await cells(page, 'usage-senders')).toEqual([
      ['You', '3,000', '3,000 · no daily cap', '1', '0', '0'],
      ANN_BLOCKED,
    ]);
    const ann = page.getByTestId('usage-senders').locator('tbody tr').nth(1);
    expect(await ann.locator('.usage-budget').getAttribute('data-state')).toBe('blocked');
    expect(
      await page
        .getByRole('meter', { name: 'Sister · Ann: tokens today of the daily budget' })
        .getAttribute('aria-valuetext'),
    ).toBe('1,200 of 1,000 tokens, 120 percent');
    expect(await cells(page, 'usage-sessions')).toEqual([
      ['main', '3,000', '3,000 · no daily cap', '1', '0', '0'],
      ['Anndm:telegram:1', '1,200', '1,200 / 1,000 · 120 %', '1', '2', '0'],
    ]);
    // A session is not stopped by its own bar: over its sender's budget is a warning.
    const annSession = page.getByTestId('usage-sessions').locator('tbody tr').nth(1);
    expect(await annSession.locator('.usage-budget').getAttribute('data-state')).toBe('over');
    // Everyone's 20,000: 4,200 used.
    expect(await page.getByRole('meter', { name: /^Everyone/ }).getAttribute('aria-valuenow')).toBe(
      '4200',
    );
  });

  it('shows 30 days: a chart per day, the busiest day against the budget, sortable', async () => {
    await page.getByTestId('usage-range-30d').click();
    const panel = page.getByTestId('usage-panel-30d');
    await panel.waitFor();
    expect(await page.getByTestId('usage-span').textContent()).toBe('2031-05-17 to 2031-06-15');
    expect(await page.getByTestId('usage-total-tokens').textContent()).toBe('14,700tokens');
    await page.getByTestId('usage-chart').locator('canvas').waitFor();
    const byDay = page.getByRole('table', { name: 'Usage by day' });
    expect(await byDay.locator('tbody tr').count()).toBe(30);
    expect(await byDay.locator('tbody tr').first().locator('th, td').allTextContents()).toEqual([
      '2031-05-17',
      '9000',
      '0',
      '0',
    ]);
    expect(await cells(page, 'usage-senders')).toEqual([
      ['You', '12,000', '9,000 · no daily cap', '2', '0', '0'],
      ['Bobtelegram:2', '1,500', '1,500 / 1,000 · 150 %Reached the budget on 1 day', '1', '0', '0'],
      ANN_BLOCKED,
    ]);
    // Bob's day over budget is past: a warning, not the danger colour.
    const bob = page.getByTestId('usage-senders').locator('tbody tr').nth(1);
    expect(await bob.locator('.usage-budget').getAttribute('data-state')).toBe('over');

    // Sorting: least tokens first, then by name, then most tokens again.
    const tokens = page.getByTestId('usage-senders-sort-tokens');
    await tokens.click();
    expect((await cells(page, 'usage-senders')).map((r) => r[1])).toEqual([
      '1,200',
      '1,500',
      '12,000',
    ]);
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toBe('Tokens');
    await page.getByTestId('usage-senders-sort-who').click();
    expect((await cells(page, 'usage-senders')).map((r) => r[0])).toEqual([
      'Bobtelegram:2',
      'Sister · Anntelegram:1',
      'You',
    ]);
    await tokens.click();
    expect((await cells(page, 'usage-senders')).map((r) => r[1])).toEqual([
      '12,000',
      '1,500',
      '1,200',
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('fits from 600 to 2560 px wide without scrolling sideways', async () => {
    for (const width of [600, 900, 1440, 2560]) {
      await page.setViewportSize({ width, height: 900 });
      for (const range of ['today', '30d'] as const) {
        await page.getByTestId(`usage-range-${range}`).click();
        await page.getByTestId(`usage-panel-${range}`).waitFor();
        const [scroll, client] = await page.evaluate<[number, number]>(
          '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
        );
        expect(scroll, `${range} at ${width} px`).toBeLessThanOrEqual(client);
      }
    }
  });

  it('has no serious or critical axe violation on either range, light and dark', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const found: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const range of ['today', '30d'] as const) {
        await page.getByTestId(`usage-range-${range}`).click();
        await page.getByTestId(`usage-panel-${range}`).waitFor();
        for (const violation of await seriousViolations(page)) {
          found.push(`${range} (${scheme}): ${violation}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
