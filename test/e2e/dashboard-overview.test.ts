import type { Database } from 'better-sqlite3';
import type Docker from 'dockerode';
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PairingService } from '../../src-main/access/pairing-service.js';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { installationId } from '../../src-main/installation-id.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { createApprovalsRepo } from '../../src-main/store/approvals-repo.js';
import { createBlockedCountsRepo } from '../../src-main/store/blocked-counts-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo } from '../../src-main/store/sessions-repo.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { pendingApproval } from '../helpers/approval-request.js';
import { chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import {
  dockerAvailable,
  ensureTestImage,
  startTestContainer,
  testDockerClient,
} from '../helpers/docker.js';
import { openWebUi } from '../helpers/web-ui.js';
import { makeStateRoot } from '../helpers/temp-state.js';

const hasDocker = await dockerAvailable();

/**
 * The dashboard as a live overview, over real data: sessions in SQLite (one running a command
 * in its sandbox, one waiting for the model), a stranger held for pairing, a message from a
 * refused group and two over a friend's rate (blocked attempts, as the gateway counts them),
 * a command waiting for approval, and a sandbox running on the test's Docker engine, labelled
 * as this installation's. Then the status bar on another view says the same.
 */
describe.skipIf(!hasDocker || (chromiumMissing && !requireBrowser))(
  'the dashboard overview and the status bar in web mode',
  { tags: ['docker', 'browser'] },
  () => {
    let root: string;
    let stateDir: string;
    let db: Database;
    let docker: Docker;
    let sandbox: Docker.Container | undefined;
    let supervisor: HeadlessSupervisor | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      ({ root, stateDir } = makeStateRoot('clawdbot-dashboard-'));
      db = openDatabase(stateDir);
      const now = Date.now();
      const sessions = createSessionsRepo(db);
      const friend = (n: number) => ({
        key: `dm:telegram:${n}`,
        provider: 'telegram',
        chatKind: 'dm' as const,
        peerId: String(n),
        title: `Friend ${n}`,
        trust: 'allowed' as const,
        toolsRunIn: 'sandbox' as const,
      });
      sessions.upsert(friend(501), now - 60_000);
      sessions.append({
        sessionKey: 'dm:telegram:501',
        at: now - 60_000,
        kind: 'inbound',
        actor: 'Friend 501',
        text: 'list my files',
      });
      sessions.upsert(friend(502), now - 30_000);
      sessions.append({
        sessionKey: 'dm:telegram:502',
        at: now - 30_000,
        kind: 'inbound',
        actor: 'Friend 502',
        text: 'hello',
      });
      // A stranger's DM, held for pairing: a pending request and a blocked attempt.
      new PairingService(createAccessStore(db)).onStranger('telegram', '9009', 'Mallory');
      // A message from a group the bot is not allowed in, and two over a friend's rate, counted
      // as the gateway counts them.
      const blocked = createBlockedCountsRepo(db);
      blocked.count({
        at: now,
        provider: 'telegram',
        chatId: '-100777',
        senderId: '',
        reason: 'group-not-allowed',
      });
      for (const at of [now, now + 1]) {
        blocked.count({
          at,
          provider: 'telegram',
          chatId: '501',
          senderId: '501',
          reason: 'rate-limited',
        });
      }

      docker = testDockerClient();
      await ensureTestImage(docker);
      sandbox = await startTestContainer(docker, `clawdbot-dash-${process.pid}`, {
        installationId: installationId(stateDir),
      });
      ({ supervisor, browser, page } = await openWebUi({ stateDir, docker }, pageErrors));
      // A gateway denies what an earlier run left pending when it starts: ask once it runs.
      await page.getByTestId('gateway-state').filter({ hasText: 'Running' }).waitFor();
      // A command under way, stored once the gateway runs: a starting gateway closes the calls
      // an earlier run left open (as interrupted), which a call stored before it would be.
      sessions.append({
        sessionKey: 'dm:telegram:501',
        at: now - 50_000,
        kind: 'tool-call',
        actor: 'assistant',
        text: 'exec ls -la',
        data: { tool: 'exec', args: { command: 'ls -la' }, callId: 'c1', where: 'sandbox' },
      });
    });

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      await sandbox?.remove({ force: true }).catch(() => undefined);
      db?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('shows one card per provider, saying why one that is off is off', async () => {
      const telegram = page.getByTestId('overview-provider-telegram');
      await telegram.waitFor({ state: 'visible' });
      expect(await telegram.getByTestId('overview-provider-state').textContent()).toContain(
        'no bot token configured',
      );
      await page.getByTestId('overview-provider-whatsapp').waitFor({ state: 'visible' });
    });

    it('shows what each active session is doing now, live', async () => {
      const row = (key: string) =>
        page.locator(`[data-testid="active-session"][data-session-key="${key}"]`);
      await eventually(() => row('dm:telegram:501').textContent()).toContain(
        'running ls -la in its sandbox',
      );
      expect(await row('dm:telegram:501').textContent()).toContain('Friend 501');
      expect(await row('dm:telegram:502').textContent()).toContain('waiting for the model');
      // The command's result and the answer arrive: the card follows without a reload.
      const sessions = createSessionsRepo(db);
      sessions.append({
        sessionKey: 'dm:telegram:501',
        at: Date.now(),
        kind: 'assistant',
        actor: 'assistant',
        text: 'Here are your files.',
      });
      await eventually(() => row('dm:telegram:501').textContent()).toContain('idle just now');
    });

    it('counts the running sandbox on the engine and links to the Sandboxes view', async () => {
      await eventually(() => page.getByTestId('overview-sandboxes-count').textContent()).toBe(
        '1 running',
      );
      expect(await page.getByTestId('overview-sandbox').first().textContent()).toContain(
        `test:clawdbot-dash-${process.pid}`,
      );
    });

    it('links from the overview to the view that lists the details', async () => {
      await page
        .getByTestId('overview-sandboxes')
        .getByRole('button', { name: 'Sandboxes' })
        .click();
      await page.getByTestId('sandboxes-view').waitFor({ state: 'visible' });
      await page.getByTestId('nav-dashboard').click();
      await page.getByTestId('overview-waiting').getByRole('button', { name: 'Pairing' }).click();
      await page.getByTestId('pairing-view').waitFor({ state: 'visible' });
    });

    it('shows what waits for the owner and what was blocked today', async () => {
      await page.getByTestId('nav-dashboard').click();
      // A command waiting for the owner, stored as the gateway stores one (its dialog opens).
      createApprovalsRepo(db, silentLogger).insert(pendingApproval('appr1', 'rm -rf /tmp/x'));
      await eventually(() => page.getByTestId('overview-approvals').textContent()).toBe(
        '1 command waiting for approval',
      );
      expect(await page.getByTestId('overview-pairing').textContent()).toBe('1 pairing request');
      await eventually(() => page.getByTestId('overview-blocked-count').textContent()).toBe(
        '4 attempts blocked',
      );
      expect(pageErrors).toEqual([]);
    });

    it('keeps the status bar on another view: gateway, engine detail, waiting counts, kill switch', async () => {
      // The approval's dialog is modal: the view changes through the address, as Back would.
      await page.evaluate("location.hash = '#logs'");
      await page.getByTestId('logs-view').waitFor({ state: 'visible' });
      const engine = page.getByTestId('status-engine');
      await eventually(() => engine.textContent()).toMatch(/^Docker \S+ · \S+/);
      expect(await engine.getAttribute('data-health')).not.toBe('bad');
      expect(await page.getByTestId('status-gateway').textContent()).toContain('Gateway');
      await eventually(() => page.getByTestId('status-approvals').textContent()).toBe('1 approval');
      expect(await page.getByTestId('status-pairing').textContent()).toBe('1 pairing');
      expect(await page.getByTestId('statusbar-kill-switch').isEnabled()).toBe(true);
      expect(pageErrors).toEqual([]);
    });
  },
);
