import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { openWebUi } from '../helpers/web-ui.js';
import { makeStateRoot } from '../helpers/temp-state.js';

/**
 * A config error must never make another card claim the opposite: while the config file is
 * rejected and the gateway runs on the last good config, the Model card shows that config's
 * model and says it is the last good one — live, and after a restart on the broken file.
 */
describe.skipIf(chromiumMissing && !requireBrowser)(
  'the model card during a rejected config edit',
  { tags: ['browser'] },
  () => {
    let root: string;
    let stateDir: string;
    let configPath: string;
    let env: NodeJS.ProcessEnv;
    let supervisor: HeadlessSupervisor | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const pageErrors: string[] = [];

    const open = async (): Promise<void> => {
      ({ supervisor, browser, page } = await openWebUi({ stateDir, env }, pageErrors));
      await page.getByTestId('gateway-state').waitFor({ state: 'visible' });
    };
    const close = async (): Promise<void> => {
      await browser?.close();
      await supervisor?.close();
      browser = undefined;
      supervisor = undefined;
    };

    beforeAll(async () => {
      ({ root, stateDir, configPath } = makeStateRoot('clawdbot-model-last-good-', {
        agent: {
          model: {
            provider: 'openai',
            name: 'last-good-model',
            baseUrl: 'http://127.0.0.1:9/v1',
          },
        },
      }));
      env = {
        ...process.env,
        CLAWDBOT_CONFIG_PATH: '',
        CLAWDBOT_LOG_FILE: join(root, 'log-YYYY-MM-DD.log'),
      };
      await open();
    });

    afterAll(async () => {
      await close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('shows the last good model, said to be the last good one, when an edit is rejected', async () => {
      await eventually(() => page.getByTestId('model-name').textContent()).toContain(
        'openai / last-good-model',
      );
      expect(await page.getByTestId('model-last-good').count()).toBe(0);
      // The owner's edit drops the model's name and breaks the file: the gateway keeps answering
      // with the last good config, so the card must keep naming its model.
      writeFileSync(
        configPath,
        JSON.stringify({ agent: { model: { provider: 'openai' } }, dmPolicy: 'everyone' }),
      );
      await page.getByTestId('config-errors').waitFor({ state: 'visible' });
      await page.getByTestId('model-last-good').waitFor({ state: 'visible' });
      expect(await page.getByTestId('model-name').textContent()).toContain(
        'openai / last-good-model',
      );
      expect(await page.getByTestId('no-model').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it('still shows it after a restart on the broken file', async () => {
      await close();
      await open();
      await page.getByTestId('config-errors').waitFor({ state: 'visible' });
      await page.getByTestId('model-last-good').waitFor({ state: 'visible' });
      expect(await page.getByTestId('model-name').textContent()).toContain(
        'openai / last-good-model',
      );
      expect(await page.getByTestId('no-model').count()).toBe(0);
    });

    it('says nothing about a last good config once the file is fixed', async () => {
      writeFileSync(
        configPath,
        JSON.stringify({
          agent: {
            model: { provider: 'openai', name: 'fixed-model', baseUrl: 'http://127.0.0.1:9/v1' },
          },
        }),
      );
      await eventually(() => page.getByTestId('model-name').textContent()).toContain(
        'openai / fixed-model',
      );
      expect(await page.getByTestId('model-last-good').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  },
);
