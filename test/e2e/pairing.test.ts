import type { Database } from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  chromiumMissing,
  launchChromium,
  openWatchedPage,
  requireBrowser,
} from '../helpers/browser.js';
import { expectTrappingModal } from '../helpers/modal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVED_TEXT, type PairingRequest } from '../../src-shared/domain/access.js';
import type { AllowlistOverview } from '../../src-shared/domain/allowlist-overview.js';
import type { Envelope } from '../../src-shared/domain/envelope.js';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { composeGateway } from '../../src-main/gateway/gateway-composition.js';
import type { Delivery } from '../../src-main/gateway/inbound/delivery.js';
import type { Verdict } from '../../src-main/gateway/access/verdict.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { resolveConfigPath } from '../../src-main/state-layout.js';

/**
 * Pairing as the owner meets it in web mode: a stranger writes to the bot (through the real
 * gateway's inbound pipeline, into the shared database), the request shows up live in the UI, and the owner
 * approves, rejects and revokes with a click — checked against what the CLI, the database and
 * the access pipeline then say, not just against what the page shows.
 */

describe.skipIf(chromiumMissing && !requireBrowser)(
  'pairing and allowlists in web mode',
  { tags: ['browser'] },
  () => {
    let root: string;
    let stateDir: string;
    let configPath: string;
    let env: NodeJS.ProcessEnv;
    let supervisor: CliProcess;
    let db: Database;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    /** Everything the access pipeline let through to a session. */
    const deliveries: Delivery[] = [];

    const writeConfig = (config: unknown): void =>
      writeFileSync(configPath, JSON.stringify(config, null, 2));

    /**
     * A DM from `senderId` through the gateway's real inbound pipeline, writing to the shared
     * database exactly as the gateway child does. A fresh gateway per message sees the database as
     * it is now (a long-running one reloads on every commit).
     */
    async function dmFrom(
      senderId: string,
      senderName?: string,
      more: Partial<Envelope> = {},
    ): Promise<Verdict | null> {
      const gateway = composeGateway({
        db,
        stateDir,
        configPath,
        log: silentLogger,
        sessions: { deliver: (delivery) => void deliveries.push(delivery) },
      });
      const envelope: Envelope = {
        provider: 'telegram',
        chatKind: 'dm',
        chatId: senderId,
        senderId,
        ...(senderName ? { senderName } : {}),
        text: 'hi',
        mentions: [],
        mentionsBot: false,
        fromOwnerAccount: false,
        timestamp: Date.now(),
        isHistory: false,
        ...more,
      };
      try {
        return await gateway.inbound.handleInbound(envelope);
      } finally {
        await gateway.stop();
      }
    }

    /** A stranger's first message: it must be answered with a pairing code, and delivered nowhere. */
    async function strangerAsks(
      senderId: string,
      senderName: string,
      more: Partial<Envelope> = {},
    ): Promise<string> {
      const before = deliveries.length;
      const verdict = await dmFrom(senderId, senderName, more);
      expect(verdict?.action).toBe('pairing-reply');
      expect(deliveries.length).toBe(before);
      return verdict?.action === 'pairing-reply' ? verdict.code : '';
    }

    async function cliJson<T>(args: string[]): Promise<T> {
      const result = await runCli([...args, '--json'], env);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as T;
    }
    const cliPending = (): Promise<PairingRequest[]> =>
      cliJson(['pairing', 'list', '--provider', 'telegram']);
    const cliTelegramEntries = async (): Promise<
      AllowlistOverview['providers'][number]['entries']
    > =>
      (await cliJson<AllowlistOverview>(['allowlist', 'list', '--provider', 'telegram']))
        .providers[0]?.entries ?? [];

    async function show(view: 'pairing' | 'allowlists'): Promise<void> {
      await page.getByTestId(`nav-${view}`).click();
      await page.getByTestId(`${view}-view`).waitFor({ state: 'visible' });
    }

    const telegramCard = (): Locator => page.getByTestId('access-telegram');
    const entryRow = (id: string): Locator =>
      telegramCard().locator(`[data-testid="allowlist-entry"][data-entry-id="${id}"]`);
    const pairingRow = (code: string): Locator =>
      page.getByTestId('pairing-row').filter({ hasText: code });

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-pairing-'));
      stateDir = join(root, 'state');
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      env = { CLAWDBOT_STATE_DIR: stateDir, DOCKER_HOST: NO_DOCKER_HOST };
      configPath = resolveConfigPath(stateDir, env);
      // A friend listed in the config file: the UI must show the entry but never offer to remove it.
      writeConfig({ telegram: { allowFrom: ['777'] } });

      supervisor = startCli(['supervise', '--web', '--port', '0'], env);
      const match = await supervisor.waitForOutput(
        /Web UI: (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/,
      );
      db = openDatabase(stateDir);

      browser = await launchChromium();
      page = await openWatchedPage(browser, pageErrors);
      await page.goto(`${match[1]}/#token=${match[2]}`);
      await page.getByTestId('gateway-state').waitFor({ state: 'visible' });
    });

    afterAll(async () => {
      await browser?.close();
      db?.close();
      await supervisor?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('shows the policies in plain words, and a config entry read-only with its file and key', async () => {
      await show('allowlists');
      expect(await telegramCard().getByTestId('dm-policy').textContent()).toContain(
        'Strangers get a pairing code and are ignored until you approve them',
      );
      expect(await telegramCard().getByTestId('dm-open-warning').count()).toBe(0);
      expect(await page.getByTestId('config-errors').count()).toBe(0);

      const friend = entryRow('777');
      await friend.waitFor({ state: 'visible' });
      expect(await friend.getAttribute('data-source')).toBe('config');
      const source = (await friend.getByTestId('allowlist-source').textContent()) ?? '';
      expect(source).toContain('telegram.allowFrom');
      expect(source).toContain(configPath);
      expect(await friend.getByRole('button').count()).toBe(0);
      await expect.poll(() => page.getByTestId('access-whatsapp').isVisible()).toBe(true);

      // The view is in the address bar (the token is not), so a reload comes back to it.
      expect(new URL(page.url()).hash).toBe('#allowlists');
      await page.reload();
      await friend.waitFor({ state: 'visible' });
      expect(page.url()).not.toContain('token');
      expect(pageErrors).toEqual([]);
    });

    it("shows a stranger's request live, and one click in the dialog approves them", async () => {
      await show('pairing');
      await page.getByTestId('pairing-empty').waitFor({ state: 'visible' });
      expect(await page.getByTestId('pairing-badge').count()).toBe(0);

      const code = await strangerAsks('4242', 'Mallory');
      const row = pairingRow(code);
      await row.waitFor({ state: 'visible' });
      expect(await page.getByTestId('pairing-row').count()).toBe(1);
      expect(await row.getByTestId('pairing-name').textContent()).toBe('Mallory');
      expect(await row.getByTestId('pairing-sender').textContent()).toBe('4242');
      expect(await row.getByTestId('pairing-first-message').textContent()).toBe('hi');
      expect(await row.textContent()).toContain('Telegram');
      expect(await page.getByTestId('pairing-badge').textContent()).toBe('1');
      // The countdown is live: an hour to start with, and ticking.
      const expires = row.getByTestId('pairing-expires');
      const first = (await expires.textContent()) ?? '';
      expect(first).toMatch(/^(59 min \d+ s|1 h 0 min)$/);
      await expect.poll(() => expires.textContent(), { timeout: 5_000 }).not.toBe(first);

      // The Pairing view lists the request already: no toast repeats it there, but one waits
      // on every other view.
      const toast = page.getByTestId('pairing-toast');
      expect(await toast.count()).toBe(0);
      await page.getByTestId('nav-dashboard').click();
      await toast.waitFor({ state: 'visible' });
      expect(await toast.textContent()).toContain(
        'Pairing request on Telegram from Mallory (4242)',
      );
      await toast.getByTestId('pairing-toast-open').click();

      const dialog = page.getByTestId('pairing-dialog');
      await dialog.waitFor({ state: 'visible' });
      expect(await dialog.getByTestId('pairing-dialog-name').textContent()).toBe('Mallory');
      expect(await dialog.getByTestId('pairing-dialog-sender').textContent()).toBe('4242');
      expect(await dialog.getByTestId('pairing-dialog-provider').textContent()).toBe('Telegram');
      expect(await dialog.getByTestId('pairing-dialog-code').textContent()).toBe(code);
      expect(await dialog.getByTestId('pairing-dialog-reminder').textContent()).toContain(
        'sandboxed session of their own',
      );
      expect(await toast.count()).toBe(0);

      await dialog.getByTestId('pairing-dialog-approve').click();
      await dialog.waitFor({ state: 'hidden' });
      await show('pairing');
      await page.getByTestId('pairing-empty').waitFor({ state: 'visible' });
      expect(await page.getByTestId('pairing-badge').count()).toBe(0);

      expect(await cliPending()).toEqual([]);
      expect(await cliTelegramEntries()).toContainEqual(
        expect.objectContaining({ id: '4242', source: 'approved', approvedBy: 'ui' }),
      );
      // The UI approves with notify: the gateway has the "you are approved" message to send.
      const outbox = createAccessStore(db).outbox.pending(['telegram'], 0);
      expect(outbox).toContainEqual(
        expect.objectContaining({ recipientId: '4242', text: APPROVED_TEXT }),
      );
      // And the pipeline agrees: Mallory now reaches a session of her own, never the owner's.
      const verdict = await dmFrom('4242', 'Mallory');
      expect(verdict).toMatchObject({ action: 'deliver', sessionKey: 'dm:telegram:4242' });

      await show('allowlists');
      const approved = entryRow('4242');
      await approved.waitFor({ state: 'visible' });
      expect(await approved.getAttribute('data-source')).toBe('approved');
      expect(await approved.textContent()).toContain('Mallory');
      expect(await approved.getByTestId('allowlist-source').textContent()).toMatch(
        /^Approved by you, in this app on /,
      );
      expect(pageErrors).toEqual([]);
    });

    it('rejects a second stranger from the Pairing view, who then stays out', async () => {
      await show('pairing');
      const code = await strangerAsks('5151', 'Trudy');
      const row = pairingRow(code);
      await row.waitFor({ state: 'visible' });
      expect(await page.getByTestId('pairing-toast').count()).toBe(0);
      await page.getByTestId('nav-dashboard').click();
      await page.getByTestId('pairing-toast').waitFor({ state: 'visible' });
      expect(await page.getByTestId('pairing-badge').textContent()).toBe('1');

      await show('pairing');
      await row.getByTestId('pairing-reject').click();
      await page.getByTestId('pairing-empty').waitFor({ state: 'visible' });
      // The toast goes with its request: it must not open a dialog for a dead code.
      await page.getByTestId('nav-dashboard').click();
      await page.getByTestId('pairing-toast').waitFor({ state: 'hidden' });
      expect(await page.getByTestId('pairing-badge').count()).toBe(0);
      await show('pairing');

      expect(await cliPending()).toEqual([]);
      expect((await cliTelegramEntries()).map((e) => e.id)).not.toContain('5151');
      // Rejected means rejected: writing again raises no new request and reaches nothing.
      expect(await dmFrom('5151', 'Trudy')).toEqual({
        action: 'drop',
        reason: 'pairing-rejected',
        sessionKey: 'dm:telegram:5151',
      });
      expect(await cliPending()).toEqual([]);
      expect(await page.getByTestId('pairing-row').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it('tells the owner when the request in the dialog was handled elsewhere', async () => {
      await page.getByTestId('nav-dashboard').click();
      const code = await strangerAsks('6161', 'Oscar');
      await page.getByTestId('pairing-toast-open').click();
      const dialog = page.getByTestId('pairing-dialog');
      await expectTrappingModal(page, 'pairing-dialog');
      expect(await dialog.getByTestId('pairing-dialog-code').textContent()).toBe(code);

      const approved = await runCli(['pairing', 'approve', '--provider', 'telegram', code], env);
      expect(approved.code, approved.stderr).toBe(0);
      await dialog.getByTestId('pairing-dialog-gone').waitFor({ state: 'visible' });
      expect(await dialog.getByTestId('pairing-dialog-approve').count()).toBe(0);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(pageErrors).toEqual([]);
    });

    it('shows who is asking and what they wrote, plainly; Approve in a row asks first, Reject says what it means', async () => {
      await show('pairing');
      // Markup and a bidi override in the first message: shown as text, the override removed.
      const code = await strangerAsks('7171', 'Eve', {
        senderHandle: '@eve_h',
        text: '<img src=x onerror="document.title=1">please \u202Eevil',
      });
      const row = pairingRow(code);
      await row.waitFor({ state: 'visible' });
      expect(await row.getByTestId('pairing-handle').textContent()).toBe('@eve_h');
      expect(await row.getByTestId('pairing-first-message').textContent()).toBe(
        '<img src=x onerror="document.title=1">please evil',
      );
      expect(await row.locator('img').count()).toBe(0);
      expect(await page.getByTestId('pairing-reject-meaning').textContent()).toBe(
        'Rejecting ignores them for 1 hour: no reply and no new request. After that, a message from them raises a new request.',
      );
      expect(await row.getByTestId('pairing-reject').getAttribute('title')).toContain(
        'ignores them for 1 hour',
      );

      // Approve in the row does not approve: it opens the confirmation naming who and what.
      await row.getByTestId('pairing-approve').click();
      const dialog = page.getByTestId('pairing-dialog');
      await expectTrappingModal(page, 'pairing-dialog');
      expect(await dialog.getByRole('heading', { level: 2 }).textContent()).toBe(
        'Let Eve talk to your assistant?',
      );
      expect(await dialog.getByTestId('pairing-dialog-handle').textContent()).toBe('@eve_h');
      expect(await dialog.getByTestId('pairing-dialog-first-message').textContent()).toBe(
        '<img src=x onerror="document.title=1">please evil',
      );
      expect(await dialog.getByTestId('pairing-dialog-reminder').textContent()).toContain(
        'Approving gives Eve a sandboxed session of their own with your assistant on Telegram',
      );
      expect((await cliPending()).map((r) => r.senderId)).toContain('7171');
      // Later keeps it pending, and focus goes back to the row's button.
      await dialog.getByRole('button', { name: 'Later' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await page.evaluate('document.activeElement?.dataset.testid')).toBe('pairing-approve');
      expect((await cliPending()).map((r) => r.senderId)).toContain('7171');
      // Nothing on this view toasts what the view already lists.
      expect(await page.getByTestId('pairing-toast').count()).toBe(0);

      await row.getByTestId('pairing-reject').click();
      await row.waitFor({ state: 'detached' });
      expect(await page.title()).not.toBe('1');
      expect(pageErrors).toEqual([]);
    });

    it('removes an approved entry from the Allowlists view, and its sender is a stranger again', async () => {
      await show('allowlists');
      const mallory = entryRow('4242');
      await mallory.waitFor({ state: 'visible' });
      await mallory.getByTestId('allowlist-remove').click();
      await mallory.waitFor({ state: 'detached' });

      expect((await cliTelegramEntries()).map((e) => e.id)).not.toContain('4242');
      expect(await dmFrom('4242', 'Mallory')).toMatchObject({ action: 'pairing-reply' });
      // The other approved sender and the config entry are untouched.
      await entryRow('6161').waitFor({ state: 'visible' });
      expect(await entryRow('777').getAttribute('data-source')).toBe('config');
      expect(await page.getByTestId('error').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it('shows a rejected config edit with its errors, and warns while a policy is open', async () => {
      await show('allowlists');
      // Invalid: "open" needs "*" in allowFrom. The running config must stay the last good one.
      writeConfig({ telegram: { dmPolicy: 'open', allowFrom: ['777'] } });
      const banner = page.getByTestId('config-errors');
      await banner.waitFor({ state: 'visible' });
      expect(await banner.textContent()).toContain('last good config is still in force');
      expect(await banner.getByTestId('config-error').allTextContents()).toContainEqual(
        expect.stringContaining(
          'telegram.dmPolicy="open" requires telegram.allowFrom to include "*"',
        ),
      );
      expect(await telegramCard().getByTestId('dm-policy').textContent()).toContain('Pairing');
      expect(await telegramCard().getByTestId('dm-open-warning').count()).toBe(0);
      expect(await entryRow('777').getAttribute('data-source')).toBe('config');

      // A valid edit clears the banner and takes effect; open policies are called out.
      writeConfig({
        telegram: { dmPolicy: 'open', allowFrom: ['*'] },
        whatsapp: { groupPolicy: 'open' },
      });
      await banner.waitFor({ state: 'hidden' });
      await telegramCard().getByTestId('dm-open-warning').waitFor({ state: 'visible' });
      expect(await telegramCard().getByTestId('dm-policy').textContent()).toContain(
        'Open to anyone',
      );
      await page
        .getByTestId('access-whatsapp')
        .getByTestId('group-open-warning')
        .waitFor({ state: 'visible' });
      await entryRow('777').waitFor({ state: 'detached' });
      expect(pageErrors).toEqual([]);
    });
  },
);
