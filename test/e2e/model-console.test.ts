import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { openWebUi } from '../helpers/web-ui.js';
import { makeStateRoot } from '../helpers/temp-state.js';

/**
 * The owner talks to a configured model from the browser: web mode, the real gateway, the
 * OpenAI-compatible client over HTTP to the scripted server, and the transcript in SQLite.
 */
describe.skipIf(chromiumMissing && !requireBrowser)(
  'a configured model in web mode',
  { tags: ['browser'] },
  () => {
    let root: string;
    let model: ScriptedModelServer;
    let supervisor: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      model = await startScriptedModelServer((request) => {
        const last = request.messages.at(-1);
        return { text: `model heard: ${last?.role === 'user' ? last.text : '?'}` };
      });
      const state = makeStateRoot('clawdbot-model-e2e-', {
        agent: {
          model: {
            provider: 'openai',
            name: 'scripted-e2e',
            baseUrl: model.baseUrlFor('openai'),
          },
        },
      });
      root = state.root;
      const stateDir = state.stateDir;
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CLAWDBOT_CONFIG_PATH: '',
        CLAWDBOT_LOG_FILE: join(root, 'log-YYYY-MM-DD.log'),
      };
      delete env['OPENAI_API_KEY'];
      ({ supervisor, browser, page } = await openWebUi(
        {
          stateDir,
          env,
        },
        pageErrors,
      ));
      await page.getByTestId('gateway-state').filter({ hasText: 'Running' }).waitFor();
    });

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      await model?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('shows which model answers and that a local server needs no key', async () => {
      await eventually(() => page.getByTestId('model-name').textContent()).toContain(
        'openai / scripted-e2e',
      );
      expect(await page.getByTestId('model-card').textContent()).toContain(
        'fine for a local server',
      );
      // Web mode has no OS keychain: no key form is offered.
      expect(await page.getByTestId('model-key-input').count()).toBe(0);
    });

    it('answers the console with the model, and the transcript holds the turn', async () => {
      await page.getByTestId('nav-console').click();
      await page.getByTestId('console-input').fill('hello model');
      await page.getByTestId('console-send').click();
      await eventually(() => page.getByTestId('console-view').textContent()).toContain(
        'model heard: hello model',
      );
      // The turn's request (the dashboard's set-up check may ask the model too, meanwhile).
      const turn = model.requests.find((r) => JSON.stringify(r.messages).includes('hello model'));
      expect(turn?.system).toContain('## Security Rules');
      await page.getByTestId('nav-sessions').click();
      await page.getByTestId('session-open').first().click();
      await eventually(() => page.locator('body').textContent()).toContain(
        'model heard: hello model',
      );
      expect(pageErrors).toEqual([]);
    });

    it('shows today’s use on the dashboard, live, from the tokens the model reported', async () => {
      await page.getByTestId('nav-dashboard').click();
      // The scripted server reports 10 tokens in and 10 out for the one call so far.
      await eventually(() => page.getByTestId('usage-sender').first().textContent()).toBe(
        'You: 20 tokens',
      );
      await page.getByTestId('nav-console').click();
      await page.getByTestId('console-input').fill('once more');
      await page.getByTestId('console-send').click();
      await eventually(() => page.getByTestId('console-view').textContent()).toContain(
        'model heard: once more',
      );
      await page.getByTestId('nav-dashboard').click();
      await eventually(() => page.getByTestId('usage-total').textContent()).toContain(
        'Everyone: 40 tokens, 2 model calls',
      );
      expect(pageErrors).toEqual([]);
    });
  },
);
