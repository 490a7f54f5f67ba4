import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UI_TIMEOUT_MS, chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import { escapeReturnsFocus, expectTrappingModal } from '../helpers/modal.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { hostWorkspaceDir } from '../../src-main/state-layout.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { createApprovalsRepo } from '../../src-main/store/approvals-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { openWebUi } from '../helpers/web-ui.js';
import { newApproval } from '../helpers/approval-request.js';
import type { SandboxEngineRef } from '../../src-shared/domain/sandbox-engine-ref.js';
import { makeStateRoot } from '../helpers/temp-state.js';

/**
 * The approval dialog in web mode: the owner's host command (from the console, through the real
 * gateway child and an obedient scripted model) waits until the owner decides in Chromium.
 */
describe.skipIf(chromiumMissing && !requireBrowser)('exec approvals in the web UI', () => {
  let root: string;
  let stateDir: string;
  let model: ScriptedModelServer;
  let supervisor: HeadlessSupervisor;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    model = await startScriptedModelServer(obeyingAttacker());
    ({ root, stateDir } = makeStateRoot('clawdbot-approvals-e2e-', {
      agent: {
        model: { provider: 'openai', name: 'obedient', baseUrl: model.baseUrlFor('openai') },
      },
    }));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CLAWDBOT_CONFIG_PATH: '',
      CLAWDBOT_LOG_FILE: join(root, 'log-YYYY-MM-DD.log'),
      OPENAI_API_KEY: 'test-key',
    };
    ({ supervisor, browser, page } = await openWebUi({ stateDir, env }, pageErrors));
    // Headless Chromium shows no OS notifications: the page's Notification API is replaced by
    // one that records what the page raised (permission granted, as after the one question).
    await page.addInitScript(`(() => {
      window.__notifications = [];
      window.Notification = class {
        static permission = 'granted';
        static requestPermission() { return Promise.resolve('granted'); }
        constructor(title, options) { window.__notifications.push({ title, body: options?.body }); }
      };
    })()`);
    await page.reload();
    await page
      .getByTestId('gateway-state')
      .filter({ hasText: 'Running' })
      .waitFor()
      .catch(async (error: unknown) => {
        throw new Error(
          `${String(error)}\n${pageErrors.join('\n')}\n${await page.locator('body').textContent()}`,
        );
      });
  });

  afterAll(async () => {
    await browser?.close();
    await supervisor?.close();
    await model?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function ownerTypes(text: string): Promise<void> {
    await page.getByTestId('nav-console').click();
    await page.getByTestId('console-input').fill(text);
    await page.getByTestId('console-send').click();
  }
  const file = (name: string): string => join(hostWorkspaceDir(stateDir), name);

  it('shows the exact command with hidden characters marked, Deny focused, Allow armed after a second; Allow once runs it', async () => {
    // Whether Allow was disabled when it first appeared, seen by the page itself: asked later from
    // the test, a loaded machine could let the second pass before the question arrives.
    await page.evaluate(`(() => {
      const observer = new MutationObserver(() => {
        const allow = document.querySelector('[data-testid="approval-allow-once"]');
        if (!allow) return;
        window.__allowDisabledAtOpen = allow.disabled;
        observer.disconnect();
      });
      observer.observe(document, { childList: true, subtree: true });
    })()`);
    await ownerTypes('run: echo web\u200b-ok > web.txt');
    const dialog = page.getByTestId('approval-dialog');
    await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('approval-command').textContent()).toBe(
      'echo web⟨U+200B⟩-ok > web.txt',
    );
    expect(await page.getByTestId('approval-where').textContent()).toBe('this computer (host)');
    expect(await page.getByTestId('approval-cwd').textContent()).toBe(hostWorkspaceDir(stateDir));
    expect(await page.getByTestId('approval-risk').textContent()).toContain('invisible');
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('approval-deny');
    expect(await page.title()).toMatch(/^\(1\) /);
    // A background tab still alerts: the favicon carries the count, and a notification is raised
    // with the hidden character marked.
    expect(await page.locator('link[rel="icon"]').getAttribute('data-count')).toBe('1');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^data:image\/png/);
    expect(await page.evaluate('window.__notifications')).toEqual([
      { title: 'Clawdbot: approval needed', body: 'host: echo web⟨U+200B⟩-ok > web.txt' },
    ]);
    // Armed only after a second: first disabled, then enabled (waited for, never slept).
    expect(await page.evaluate('window.__allowDisabledAtOpen')).toBe(true);
    await eventually(() => page.getByTestId('approval-allow-once').isEnabled()).toBe(true);
    expect(existsSync(file('web.txt'))).toBe(false);
    await page.getByTestId('approval-allow-once').click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await eventually(() => Promise.resolve(existsSync(file('web.txt')))).toBe(true);
    expect(readFileSync(file('web.txt'), 'utf8')).toBe('web\u200b-ok\n');
    await eventually(() => page.title()).not.toMatch(/^\(\d+\) /);
    expect(await page.locator('link[rel="icon"]').getAttribute('data-count')).toBe('0');
  });

  it('Allow always shows the entry before saving it; an edited pattern that misses the command decides nothing, one that matches is saved', async () => {
    await ownerTypes('run: touch remembered-1.txt');
    const dialog = page.getByTestId('approval-dialog');
    await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await eventually(() => page.getByTestId('approval-allow-always').isEnabled()).toBe(true);
    await page.getByTestId('approval-allow-always').click();
    const command = page.getByTestId('approval-remember-command');
    expect(await command.inputValue()).toBe('touch remembered-1.txt');
    expect(await page.getByTestId('approval-remember-match').inputValue()).toBe('exact');

    await page.getByTestId('approval-remember-match').selectOption('prefix');
    await command.fill('touch other.txt');
    expect(await page.getByTestId('approval-remember-preview').textContent()).toContain(
      'touch other.txt',
    );
    await page.getByTestId('approval-remember-save').click();
    await eventually(() => page.getByTestId('approval-error').textContent()).toContain(
      'does not match the command being approved',
    );
    expect(await dialog.isVisible()).toBe(true);
    expect(existsSync(file('remembered-1.txt'))).toBe(false);

    await command.fill('touch');
    await page.getByTestId('approval-remember-save').click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await eventually(() => Promise.resolve(existsSync(file('remembered-1.txt')))).toBe(true);
    const config = JSON.parse(readFileSync(join(stateDir, 'clawdbot.json'), 'utf8')) as {
      agent: { approvals: { allowlist: Record<string, unknown>[] } };
    };
    expect(config.agent.approvals.allowlist).toContainEqual(
      expect.objectContaining({ command: 'touch', match: 'prefix', addedBy: 'web' }),
    );
  });

  it('Escape denies; the Approvals view lists the decisions with where they were made', async () => {
    await ownerTypes('run: echo nope > esc.txt');
    const dialog = page.getByTestId('approval-dialog');
    await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await expectTrappingModal(page, 'approval-dialog');
    // It opened by itself (the send button that had focus is disabled while the turn runs).
    await escapeReturnsFocus(page, 'approval-dialog', null);
    await eventually(() => page.getByTestId('console-view').textContent()).toContain(
      'the owner denied this command',
    );
    expect(existsSync(file('esc.txt'))).toBe(false);
    const db = openDatabase(stateDir);
    try {
      const history = createApprovalsRepo(db, silentLogger).history(0);
      expect(history.map((r) => [r.outcome, r.decidedVia])).toEqual([
        ['deny', 'web'],
        ['always', 'web'],
        ['once', 'web'],
      ]);
    } finally {
      db.close();
    }
    await page.getByTestId('nav-approvals').click();
    await eventually(() => page.getByTestId('approvals-history').textContent()).toContain(
      'echo nope > esc.txt',
    );
    // Each decision says where its command ran or would have: these, on this computer.
    const places = await page
      .getByTestId('approvals-history')
      .getByTestId('approval-runs-on')
      .allTextContents();
    expect(places).toEqual([
      'this computer (host)',
      'this computer (host)',
      'this computer (host)',
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('a sandboxed request shows the engine and runtime it was asked for, not the one configured now; one stored before says so', async () => {
    // Stored as the gateway stores them: one asked for on a remote engine under gVisor (this
    // app's engine is the local default), and one from before the engine was recorded.
    const db = openDatabase(stateDir);
    try {
      const repo = createApprovalsRepo(db, silentLogger);
      const asked = (id: string, engine: SandboxEngineRef | null) =>
        repo.insert(
          newApproval(id, `echo ${id}`, { sessionKey: 'dm:telegram:42', where: 'sandbox', engine }),
        );
      asked('rmtgvs', { endpoint: 'ssh://ci@build.example:22', runtime: 'runsc' });
      asked('oldsbx', null);
      for (const id of ['rmtgvs', 'oldsbx']) {
        repo.decide(id, { outcome: 'deny', by: 'owner', via: 'cli', at: Date.now() });
      }
      asked('waitng', { endpoint: 'tcp://build.example:2376', runtime: null });
    } finally {
      db.close();
    }
    const dialog = page.getByTestId('approval-dialog');
    await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('approval-where').textContent()).toBe(
      'sandbox on tcp://build.example:2376, the engine’s default runtime',
    );
    await page.getByTestId('approval-deny').click();
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });

    await page.getByTestId('nav-approvals').click();
    const runsOn = (id: string) =>
      page.getByTestId(`approval-history-${id}`).getByTestId('approval-runs-on').textContent();
    await eventually(() => runsOn('waitng')).toBe(
      'sandbox on tcp://build.example:2376, the engine’s default runtime',
    );
    expect(await runsOn('rmtgvs')).toBe('sandbox on ssh://ci@build.example:22, runsc');
    expect(await runsOn('oldsbx')).toBe('sandbox (engine not recorded)');
    expect(pageErrors).toEqual([]);
  });
});
