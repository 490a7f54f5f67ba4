import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSON5 from 'json5';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import { UI_TIMEOUT_MS, chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { openWebUi } from '../helpers/web-ui.js';

/**
 * First-run setup and Settings in web mode, end to end: the headless supervisor on an empty
 * state directory, the built renderer in Chromium, a fake Bot API, and the config file on disk
 * as the source of truth. No file is written by the test.
 */

describe.skipIf(chromiumMissing && !requireBrowser)(
  'first-run setup and Settings (web mode)',
  { tags: ['browser'] },
  () => {
    let root: string;
    let stateDir: string;
    let supervisor: HeadlessSupervisor;
    let telegram: FakeTelegramApi;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    const configPath = () => join(stateDir, 'clawdbot.json');

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-setup-'));
      stateDir = join(root, 'state');
      telegram = await FakeTelegramApi.start({ username: 'clawd_test_bot' });
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CLAWDBOT_CONFIG_PATH: '',
        DOCKER_HOST: NO_DOCKER_HOST,
      };
      delete env['TELEGRAM_BOT_TOKEN'];
      ({ supervisor, browser, page } = await openWebUi({ stateDir, env }, pageErrors));
    });

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      await telegram?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('offers the setup on an empty state directory', async () => {
      await page.getByTestId('setup-open').click({ timeout: UI_TIMEOUT_MS });
      await page.getByTestId('setup-view').waitFor({ timeout: UI_TIMEOUT_MS });
      expect(
        await page.getByRole('button', { name: /1\. You, the owner/ }).getAttribute('aria-current'),
      ).toBe('step');
    });

    it('checks the Telegram token live, names the bot, and keeps the token in a private file', async () => {
      await page.getByTestId('setup-step-telegram').click();
      await page.getByText('Self-hosted Bot API server').click();
      await page.getByLabel('Server address').fill(telegram.apiRoot);
      await page.getByLabel('Bot token').fill('123456789:AAwrongwrongwrongwrongwrongwrong');
      await page.getByTestId('setup-telegram-check').click();
      await eventually(() => page.getByTestId('setup-error').textContent()).toMatch(
        /Telegram did not accept the token/,
      );
      // The error is tied to the field it is about.
      const token = page.getByLabel('Bot token');
      expect(await token.getAttribute('aria-invalid')).toBe('true');
      expect(await token.getAttribute('aria-describedby')).toBe('setup-error');

      await token.fill(telegram.token);
      await page.getByTestId('setup-telegram-check').click();
      await eventually(() => page.getByTestId('setup-telegram-bot').textContent()).toContain(
        '@clawd_test_bot',
      );
      const config = JSON5.parse<{ telegram: { tokenFile: string; apiRoot: string } }>(
        readFileSync(configPath(), 'utf8'),
      );
      expect(config.telegram.apiRoot).toBe(telegram.apiRoot);
      expect(readFileSync(config.telegram.tokenFile, 'utf8').trim()).toBe(telegram.token);
      expect(statSync(config.telegram.tokenFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(configPath(), 'utf8')).not.toContain(telegram.token);
    });

    it('resumes where it was left after a reload', async () => {
      await page.reload();
      await page.getByTestId('nav-setup').click();
      await page.getByTestId('setup-view').waitFor();
      expect(await page.getByTestId('setup-step-telegram').getAttribute('aria-current')).toBe(
        'step',
      );
    });

    it('shows a one-time owner code, and typing the id works too', async () => {
      await page.getByTestId('setup-step-owner').click();
      await page.getByTestId('setup-owner-code-button').click();
      await eventually(() => page.getByTestId('setup-owner-code').textContent()).toMatch(
        /^OWNER-[A-Z2-9]{8}$/,
      );
      await page.getByLabel('Id', { exact: true }).fill('4242');
      await page.getByRole('button', { name: 'Make owner' }).click();
      await eventually(() => page.getByTestId('setup-owners').textContent()).toContain(
        'Telegram 4242',
      );
    });

    it('Settings: a problem is shown beside its field, the diff before saving, comments kept', async () => {
      // The owner's own notes in the file, as an editor would leave them.
      writeFileSync(configPath(), `// my notes\n${readFileSync(configPath(), 'utf8')}`);

      await page.getByTestId('nav-settings').click();
      await page.getByTestId('settings-view').waitFor();
      const dm = page.getByRole('region', { name: 'Telegram' }).getByLabel('Direct messages');
      await dm.selectOption('open');
      await page.getByTestId('settings-review-button').click();
      await page.getByTestId('settings-invalid').waitFor();
      expect(await dm.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await dm.getAttribute('aria-describedby')) ?? '';
      const errorText = await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
      expect(errorText).toContain('requires telegram.allowFrom to include "*"');

      await dm.selectOption('allowlist');
      await page.getByTestId('settings-review-button').click();
      await eventually(() => page.getByTestId('settings-diff').textContent()).toContain(
        'telegram.dmPolicy',
      );
      await page.getByTestId('settings-save').click();
      await page.getByTestId('settings-saved').waitFor();
      const text = readFileSync(configPath(), 'utf8');
      expect(text).toContain('// my notes');
      expect(JSON5.parse<{ telegram: { dmPolicy: string } }>(text).telegram.dmPolicy).toBe(
        'allowlist',
      );
      // Saved means reloaded: the supervisor runs on it already.
      expect(supervisor.supervisor.config.current().config.telegram.dmPolicy).toBe('allowlist');
    });

    it('adds and labels an allowlist entry, showing where it came from', async () => {
      await page.getByTestId('settings-tab-allowlists').click();
      await page.getByTestId('allowlist-add-id-telegram').fill('777');
      await page
        .getByRole('form', { name: 'Add to the Telegram allowlist' })
        .getByLabel('Label')
        .fill('Ana');
      await page
        .getByRole('form', { name: 'Add to the Telegram allowlist' })
        .getByRole('button', { name: 'Add' })
        .click();
      const row = page.locator('[data-testid="settings-allowlist-entry"][data-entry-id="777"]');
      await eventually(() => row.textContent()).toContain('Ana');
      expect(await row.getByTestId('settings-allowlist-origin').textContent()).toContain(
        'Added by hand',
      );
      const owner = page.locator('[data-testid="settings-allowlist-entry"][data-entry-id="4242"]');
      expect(await owner.getByTestId('settings-allowlist-origin').textContent()).toContain(
        'Config file',
      );
      expect(pageErrors).toEqual([]);
    });
  },
);
