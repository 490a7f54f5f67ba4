import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSON5 from 'json5';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { APPROVED_TEXT } from '../../src-shared/domain/access.js';
import { SESSION_KEY_LABEL } from '../../src-main/docker/sandbox-labels.js';
import { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { UI_TIMEOUT_MS, chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import { sandboxImageMissing } from '../helpers/sandbox-image.js';
import { waitFor } from '../helpers/wait.js';
import { openWebUi } from '../helpers/web-ui.js';
import { removeRunSandboxes, testRunTag } from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

/** A turn that starts the friend's first sandbox may take a while on a busy engine. */
const TURN_TIMEOUT_MS = 90_000;

/**
 * The first run as a new owner lives it, in web mode: the headless supervisor on an empty state
 * directory (with the real gateway child), the built page in Chromium, a fake Telegram Bot API
 * and a scripted model. Every step is done in the page or from a Telegram account through the
 * Bot API; the test never writes a file. It ends with a friend's message answered by the model
 * after a tool call that ran in a sandbox on the test engine.
 */
describe.skipIf((chromiumMissing && !requireBrowser) || !hasDocker || sandboxImageMissing())(
  'first run: from an empty state directory to a friend answered in a sandbox (web mode)',
  { tags: ['browser', 'docker', 'sandbox-image'] },
  () => {
    const docker = testDockerClient(0);
    const run = testRunTag('first-run');
    // The friend's id carries the run tag, so this file's containers are found and removed.
    const friend = Number(`7${parseInt(run.slice(-8), 16)}`);
    const owner = 31337;
    const sessionKey = `dm:telegram:${friend}`;
    let root: string;
    let stateDir: string;
    let supervisor: HeadlessSupervisor;
    let telegram: FakeTelegramApi;
    let model: ScriptedModelServer;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    const configPath = () => join(stateDir, 'clawdbot.json');
    const config = () =>
      JSON5.parse<Record<string, Record<string, unknown>>>(readFileSync(configPath(), 'utf8'));

    /** A DM from `from` through the Bot API; resolves with the bot's next answer to them. */
    async function dm(from: number, text: string, timeout = UI_TIMEOUT_MS): Promise<string> {
      const before = telegram.sentTo(String(from)).length;
      telegram.pushUpdate({
        message: {
          message_id: telegram.messageId(),
          date: Math.floor(Date.now() / 1000),
          chat: { id: from, type: 'private', first_name: `Person ${from}` },
          from: { id: from, is_bot: false, first_name: `Person ${from}` },
          text,
        },
      } as unknown as Parameters<FakeTelegramApi['pushUpdate']>[0]);
      return waitFor(
        `an answer to ${from} after ${JSON.stringify(text)}`,
        () => telegram.sentTo(String(from))[before],
        timeout,
      );
    }

    async function nextStep(step: string): Promise<void> {
      await page.getByTestId('setup-next').click();
      await eventually(() =>
        page.getByTestId(`setup-step-${step}`).getAttribute('aria-current'),
      ).toBe('step');
    }

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-first-run-'));
      stateDir = join(root, 'state');
      telegram = await FakeTelegramApi.start({ username: 'clawd_first_run_bot' });
      model = await startScriptedModelServer(obeyingAttacker());
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CLAWDBOT_CONFIG_PATH: '',
        // Web mode: the model key stays in the environment, as the model step says.
        OPENAI_API_KEY: 'sk-first-run-test-key',
      };
      delete env['TELEGRAM_BOT_TOKEN'];
      delete env['ANTHROPIC_API_KEY'];
      ({ supervisor, browser, page } = await openWebUi({ stateDir, env, docker }, pageErrors));
    });

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      await telegram?.close();
      await model?.close();
      await removeRunSandboxes(docker, String(friend));
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('opens the setup by itself on an empty state directory', async () => {
      expect(existsSync(configPath())).toBe(false);
      await page.getByTestId('setup-open').click({ timeout: UI_TIMEOUT_MS });
      await page.getByTestId('setup-view').waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await page.getByTestId('setup-step-owner').getAttribute('aria-current')).toBe('step');
    });

    let ownerCode = '';
    it('shows a one-time owner code, and says no bot can carry it yet', async () => {
      await page.getByTestId('setup-owner-code-button').click();
      ownerCode = (await page.getByTestId('setup-owner-code').textContent()) ?? '';
      expect(ownerCode).toMatch(/^OWNER-[A-Z2-9]{8}$/);
      await page.getByTestId('setup-owner-no-bot').waitFor({ timeout: UI_TIMEOUT_MS });
    });

    it('connects the bot: the pasted token is checked with getMe and the bot named', async () => {
      await page.getByTestId('setup-step-telegram').click();
      await page.getByText('Self-hosted Bot API server').click();
      await page.getByLabel('Server address').fill(telegram.apiRoot);
      await page.getByLabel('Bot token').fill(telegram.token);
      await page.getByTestId('setup-telegram-check').click();
      await eventually(() => page.getByTestId('setup-telegram-bot').textContent()).toContain(
        '@clawd_first_run_bot',
      );
      expect(readFileSync(configPath(), 'utf8')).not.toContain(telegram.token);
      // The gateway picks the token up from the config file and polls the Bot API.
      await waitFor('the gateway polling the Bot API', () => telegram.count('getUpdates') > 0);
    });

    it('makes the sender of the one-time code the owner', async () => {
      await page.getByTestId('setup-step-owner').click();
      // The same code, still waiting, now that a bot can carry it.
      expect(await page.getByTestId('setup-owner-code').textContent()).toBe(ownerCode);
      await eventually(() => page.getByTestId('setup-owner-no-bot').count()).toBe(0);
      const reply = await dm(owner, ownerCode);
      expect(reply).toMatch(/owner/i);
      await eventually(() => page.getByTestId('setup-owner-claimed').textContent()).toContain(
        String(owner),
      );
      expect(config()['owner']).toMatchObject({ telegram: [String(owner)] });
      // The code was never handed to a model.
      expect(model.requests).toEqual([]);
    });

    it('saves the scripted model, names the key variable, and checks it with one call', async () => {
      await page.getByTestId('setup-step-model').click();
      await page.getByLabel('Provider (API)').selectOption('openai');
      await page.getByTestId('setup-model-name').fill('scripted-model');
      await page.getByTestId('setup-model-base-url').fill(model.baseUrlFor('openai'));
      expect(await page.locator('.settings-field__help').first().textContent()).toContain(
        'OPENAI_API_KEY',
      );
      await page.getByTestId('setup-model-save').click();
      await page.getByTestId('setup-model-saved').waitFor({ timeout: UI_TIMEOUT_MS });
      expect(config()['agent']).toMatchObject({
        model: { provider: 'openai', name: 'scripted-model', baseUrl: model.baseUrlFor('openai') },
      });
      const check = page.getByTestId('setup-model-check').locator('[data-check-id="model"]');
      await page.getByTestId('setup-model-check').locator('..').getByRole('button').click();
      await eventually(() => check.getAttribute('data-status')).toBe('ok');
      expect(model.requests.length).toBeGreaterThan(0);
    });

    it('finds the engine and the sandbox image', async () => {
      await nextStep('sandbox');
      const checks = page.getByTestId('setup-sandbox-checks');
      await eventually(() =>
        checks.locator('[data-check-id="docker.engine"]').getAttribute('data-status'),
      ).toBe('ok');
      await eventually(() =>
        checks.locator('[data-check-id="sandbox.image"]').getAttribute('data-status'),
      ).toBe('ok');
    });

    it('audits the result and finishes', async () => {
      await nextStep('audit');
      await page.getByTestId('setup-audit-run').click();
      const result = page.getByTestId('setup-audit-result');
      await result.waitFor({ timeout: UI_TIMEOUT_MS });
      // What the setup made leaves nothing high for the audit to find.
      expect(await result.textContent()).toMatch(/^0 high/);
      await page.getByTestId('setup-finish').click();
      await eventually(() => page.getByTestId('nav-dashboard').getAttribute('aria-current')).toBe(
        'page',
      );
      expect(await page.getByTestId('setup-view').count()).toBe(0);
      await eventually(() => page.getByTestId('setup-banner').count()).toBe(0);
    });

    it("a friend's message, once the owner approves them in the page, is answered in a sandbox", async () => {
      const pairingReply = await dm(friend, 'hi, it is me');
      const code = /\b([A-Z2-9]{8})\b/.exec(pairingReply)?.[1];
      expect(code, pairingReply).toBeDefined();

      await page.getByTestId('nav-pairing').click();
      const row = page.getByTestId('pairing-row').filter({ hasText: code ?? '' });
      await row.waitFor({ timeout: UI_TIMEOUT_MS });
      expect(await row.getByTestId('pairing-sender').textContent()).toBe(String(friend));
      // Approve in the row asks first; the dialog's Approve gives access.
      await row.getByTestId('pairing-approve').click();
      await page.getByTestId('pairing-dialog').getByTestId('pairing-dialog-approve').click();
      await page.getByTestId('pairing-empty').waitFor({ timeout: UI_TIMEOUT_MS });
      // The gateway tells the friend they are in before anything else reaches them.
      await waitFor('the approval message', () =>
        telegram.sentTo(String(friend)).includes(APPROVED_TEXT),
      );

      const answer = await dm(friend, 'run: echo "ran as $(id -un) in $HOME"', TURN_TIMEOUT_MS);
      expect(answer).toContain('ran as sandbox in /workspace');

      // It ran in a container on the test engine, labelled for the friend's session.
      const containers = await docker.listContainers({
        all: true,
        filters: { label: [`${SESSION_KEY_LABEL}=${sessionKey}`] },
      });
      expect(containers).toHaveLength(1);
      // And its transcript, as the page's Sessions view is given it, says where it ran.
      const call = supervisor.supervisor.sessions
        .page(sessionKey, { limit: 100 })
        .events.find((e) => e.kind === 'tool-call');
      expect(call?.data).toMatchObject({ where: 'sandbox' });
      expect(pageErrors).toEqual([]);
    });
  },
);
