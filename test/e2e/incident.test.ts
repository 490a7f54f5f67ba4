import type { Database } from 'better-sqlite3';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logFileForDay } from '../../src-main/logging/log-paths.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo, type SessionIdentity } from '../../src-main/store/sessions-repo.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { openWebUi } from '../helpers/web-ui.js';

/**
 * The Incident view in web mode: sessions active before the kill and log lines written just
 * before it must be on the page after the kill switch is pulled from the UI; a ticked secret
 * survives a reload; a saved security prompt lands in the config file with its comments.
 */
const TOKEN = '987654321:AAE-incident-e2e-planted-token';
const MARKER = 'incident-e2e-marker';

const mallory: SessionIdentity = {
  key: 'dm:telegram:4242',
  provider: 'telegram',
  chatKind: 'dm',
  peerId: '4242',
  title: 'Mallory',
  trust: 'allowed',
  toolsRunIn: 'sandbox',
};
const stale: SessionIdentity = {
  ...mallory,
  key: 'dm:telegram:5151',
  peerId: '5151',
  title: 'Old',
};

describe.skipIf(chromiumMissing && !requireBrowser)(
  'the Incident view in web mode',
  { tags: ['browser'] },
  () => {
    let root: string;
    let configPath: string;
    let pattern: string;
    let db: Database;
    let supervisor: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-incident-'));
      const stateDir = join(root, 'state');
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      configPath = join(stateDir, 'clawdbot.json');
      // Telegram off: its token is still a secret to rotate, but nothing dials out.
      writeFileSync(
        configPath,
        `// Owner's notes: keep me.\n{\n  telegram: { enabled: false, botToken: "${TOKEN}" },\n}\n`,
        { mode: 0o600 },
      );
      pattern = join(root, 'logs', 'clawdbot-YYYY-MM-DD.log');

      db = openDatabase(stateDir);
      const repo = createSessionsRepo(db);
      const now = Date.now();
      repo.upsert(stale, now - 5 * 3_600_000);
      repo.append({
        sessionKey: stale.key,
        at: now - 4 * 3_600_000,
        kind: 'inbound',
        actor: 'Old',
        text: 'long ago',
      });
      repo.upsert(mallory, now - 20 * 60_000);
      repo.append({
        sessionKey: mallory.key,
        at: now - 10 * 60_000,
        kind: 'inbound',
        actor: 'Mallory',
        text: 'list your files',
      });
      repo.append({
        sessionKey: mallory.key,
        at: now - 60_000,
        kind: 'assistant',
        actor: 'assistant',
        text: 'I will not.',
      });

      ({ supervisor, browser, page } = await openWebUi(
        {
          stateDir,
          env: {
            ...process.env,
            CLAWDBOT_LOG_FILE: pattern,
            DOCKER_HOST: NO_DOCKER_HOST,
            TELEGRAM_BOT_TOKEN: '',
            ANTHROPIC_API_KEY: '',
            OPENAI_API_KEY: '',
            CLAWDBOT_CONFIG_PATH: configPath,
          },
        },
        pageErrors,
      ));
      await page.getByTestId('kill-switch').filter({ hasText: 'Stop everything' }).waitFor();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      db?.close();
      await supervisor?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('after the kill switch shows the sessions and the log lines of that time', async () => {
      // Written just before the kill: the last lines of the log at the moment it is pulled.
      const file = logFileForDay(pattern, new Date());
      mkdirSync(dirname(file), { recursive: true });
      for (let i = 0; i < 3; i++) {
        const line = {
          time: new Date().toISOString(),
          level: 'warn',
          process: 'gateway',
          scope: 'agent',
          msg: `${MARKER} ${i}`,
        };
        appendFileSync(file, `${JSON.stringify(line)}\n`);
      }
      await page.getByTestId('kill-switch').click();
      await page.getByTestId('kill-report').waitFor();
      await page.getByTestId('incident-link').click();
      await page.getByTestId('incident-view').waitFor();

      const sessions = page.getByTestId('incident-session');
      await eventually(() => sessions.count()).toBe(1);
      expect(await sessions.first().getAttribute('data-session-key')).toBe(mallory.key);
      expect(await sessions.first().getByTestId('incident-session-events').textContent()).toBe(
        '2 / 2',
      );

      const markers = page.getByTestId('incident-log-line').filter({ hasText: MARKER });
      await eventually(() => markers.count()).toBe(3);
      expect(await markers.first().textContent()).toContain('gateway/agent');
      expect(await page.getByTestId('incident-stop').getByTestId('kill-report').isVisible()).toBe(
        true,
      );
    });

    it('lists secrets without their values, and a tick survives a reload', async () => {
      const telegram = page.locator(
        '[data-testid="incident-secret"][data-secret="telegram-token"]',
      );
      await telegram.waitFor();
      expect(await telegram.textContent()).toContain(`telegram.botToken in ${configPath}`);
      expect(await page.getByTestId('incident-secret').count()).toBe(2); // + the web token
      expect(await page.content()).not.toContain(TOKEN.slice(0, 12));

      await telegram.getByTestId('incident-secret-check').check();
      await eventually(() => page.getByTestId('incident-secrets-progress').textContent()).toBe(
        '1 of 2 rotated',
      );
      await page.reload();
      await page.getByTestId('incident-view').waitFor();
      await eventually(() =>
        page
          .locator('[data-testid="incident-secret"][data-secret="telegram-token"]')
          .getByTestId('incident-secret-check')
          .isChecked(),
      ).toBe(true);
    });

    it('saves a security prompt into the config file, comments kept', async () => {
      const rule = 'Never read files for anyone but me.';
      await page.getByTestId('incident-prompt-text').fill(rule);
      await page.getByTestId('incident-prompt-save').click();
      await page.getByTestId('incident-prompt-saved').waitFor();
      const file = readFileSync(configPath, 'utf8');
      expect(file).toContain(rule);
      expect(file).toContain("// Owner's notes: keep me.");
      expect(await page.getByTestId('incident-default-rules').textContent()).toContain(
        '## Security Rules',
      );
    });

    it('opens a session’s transcript from the list', async () => {
      await page.getByTestId('incident-session-open').click();
      await page.getByTestId('sessions-view').waitFor();
      await page.getByTestId('transcript').getByText('list your files').waitFor();
      expect(pageErrors).toEqual([]);
    });
  },
);
