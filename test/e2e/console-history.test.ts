import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessSupervisor, type HeadlessSupervisor } from '../../src-main/web/headless.js';
import { chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import { builtGateway, builtRenderer } from '../helpers/paths.js';
import { unreachableDocker } from '../helpers/supervisor.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { openWebUi } from '../helpers/web-ui.js';
import { makeStateRoot } from '../helpers/temp-state.js';

// What a person sees of the console's layout, asked in the page (the tests have no DOM types).
const LAYOUT_PROBE = `(() => {
  const composer = document.querySelector('.console__composer').getBoundingClientRect();
  const statusBar = document.querySelector('.statusbar').getBoundingClientRect();
  const list = document.querySelector('[data-testid="console-messages"]');
  return {
    composerAboveStatusBar: composer.bottom <= statusBar.top + 1,
    composerInWindow: composer.top >= 0 && composer.bottom <= window.innerHeight,
    pageScrolls: document.documentElement.scrollHeight > window.innerHeight + 1,
    listScrolls: list.scrollHeight > list.clientHeight,
    // The newest line is in view: the list follows the conversation.
    atEnd: list.scrollHeight - list.scrollTop - list.clientHeight < 2,
  };
})()`;

/**
 * The owner's console keeps its conversation: it is read from the `main` transcript, so a
 * restarted supervisor (and its gateway) and a reloaded page show what was said, and the
 * owner's tool calls appear inline with where they ran and how they ended.
 */
describe.skipIf(chromiumMissing && !requireBrowser)(
  'the console after a restart',
  { tags: ['browser'] },
  () => {
    let root: string;
    let stateDir: string;
    let env: NodeJS.ProcessEnv;
    let model: ScriptedModelServer;
    let supervisor: HeadlessSupervisor | undefined;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      // The first turn writes a file on the host (the owner's session runs there), then answers.
      model = await startScriptedModelServer((request) => {
        const last = request.messages.at(-1);
        if (last?.role === 'user' && last.text.includes('write a note')) {
          return {
            toolCalls: [{ name: 'write', args: { path: 'note.txt', content: 'remember milk' } }],
          };
        }
        if (last?.role === 'tool') return { text: 'The note is written.' };
        return { text: `model heard: ${last?.role === 'user' ? last.text : '?'}` };
      });
      ({ root, stateDir } = makeStateRoot('clawdbot-console-history-', {
        agent: {
          model: {
            provider: 'openai',
            name: 'scripted-e2e',
            baseUrl: model.baseUrlFor('openai'),
          },
        },
      }));
      env = {
        ...process.env,
        CLAWDBOT_CONFIG_PATH: '',
        CLAWDBOT_LOG_FILE: join(root, 'log-YYYY-MM-DD.log'),
      };
      delete env['OPENAI_API_KEY'];
      ({ supervisor, browser, page } = await openWebUi({ stateDir, env }, pageErrors));
      await page.getByTestId('gateway-state').filter({ hasText: 'Running' }).waitFor();
    });

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      await model?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('shows the owner’s tool call inline, with where it ran and how it ended', async () => {
      await page.getByTestId('nav-console').click();
      await page.getByTestId('console-input').fill('please write a note');
      await page.getByTestId('console-send').click();
      await eventually(() => page.getByTestId('console-view').textContent()).toContain(
        'The note is written.',
      );
      const call = page.getByTestId('console-tool-call');
      await eventually(() => call.count()).toBe(1);
      expect(await call.getAttribute('data-state')).toBe('ok');
      expect(await call.getAttribute('data-where')).toBe('host');
      expect(await call.textContent()).toContain('note.txt');
      expect(await call.textContent()).toContain('On the host');
      // Shown once: the owner's line and the reply are not doubled by the transcript.
      await eventually(() => page.getByTestId('console-message').allTextContents()).toEqual([
        expect.stringContaining('please write a note'),
        expect.stringContaining('The note is written.'),
      ]);
    });

    it('shows the conversation so far after the supervisor restarts and the page reloads', async () => {
      // Leave first: a page left on a closed supervisor's URL reports its reconnects as errors.
      await page.goto('about:blank');
      await supervisor?.close();
      supervisor = undefined;
      supervisor = await startHeadlessSupervisor({
        stateDir,
        env,
        gatewayEntry: builtGateway,
        docker: unreachableDocker(),
        web: { host: '127.0.0.1', port: 0, rendererDir: builtRenderer },
      });
      await page.goto(supervisor.webUrl ?? '');
      await page.getByTestId('nav-console').click();
      await eventually(() => page.getByTestId('console-message').allTextContents()).toEqual([
        expect.stringContaining('please write a note'),
        expect.stringContaining('The note is written.'),
      ]);
      const call = page.getByTestId('console-tool-call');
      expect(await call.count()).toBe(1);
      expect(await call.getAttribute('data-state')).toBe('ok');
      expect(await call.textContent()).toContain('note.txt');
      await page.reload();
      await page.getByTestId('nav-console').click();
      await eventually(() => page.getByTestId('console-message').count()).toBe(2);
      expect(await page.getByTestId('console-tool-call').count()).toBe(1);
      expect(pageErrors).toEqual([]);
    });

    it('keeps the composer in sight at 1440×900 and 900×700: the conversation scrolls, not the page', async () => {
      const input = page.getByTestId('console-input');
      // A conversation longer than any window.
      for (let i = 1; i <= 12; i++) {
        await input.fill(`line ${i}`);
        await input.press('Enter');
        await page
          .getByTestId('console-message-text')
          .filter({ hasText: `model heard: line ${i}` })
          .waitFor();
      }
      for (const size of [
        { width: 1440, height: 900 },
        { width: 900, height: 700 },
      ]) {
        await page.setViewportSize(size);
        await eventually(() => page.evaluate(LAYOUT_PROBE)).toEqual({
          composerAboveStatusBar: true,
          composerInWindow: true,
          pageScrolls: false,
          listScrolls: true,
          atEnd: true,
        });
        expect(await page.getByTestId('console-model').textContent()).toContain(
          'openai / scripted-e2e',
        );
      }
      expect(pageErrors).toEqual([]);
    });
  },
);
