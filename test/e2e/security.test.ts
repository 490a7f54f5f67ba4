import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import JSON5 from 'json5';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { openWebUi } from '../helpers/web-ui.js';
import { makeStateRoot } from '../helpers/temp-state.js';

/**
 * The Security view in web mode, end to end: the real headless supervisor auditing a real state
 * directory, the built renderer in Debian's Chromium, and the config file on disk as the
 * source of truth for what "Fix safe issues" did.
 */

const OPEN_GROUPS = `// groups anyone may use
{
  telegram: { groupPolicy: 'open' },
}
`;

describe.skipIf(chromiumMissing && !requireBrowser)(
  'the Security view (web mode)',
  { tags: ['browser'] },
  () => {
    let root: string;
    let configPath: string;
    let supervisor: HeadlessSupervisor;
    const dockerHost = process.env['DOCKER_HOST'];
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      const state = makeStateRoot('clawdbot-security-', OPEN_GROUPS);
      root = state.root;
      configPath = state.configPath;
      const stateDir = state.stateDir;
      chmodSync(configPath, 0o600);
      // The audit asks the engine named by DOCKER_HOST: make "unreachable" a fixed fact here.
      process.env['DOCKER_HOST'] = NO_DOCKER_HOST;
      ({ supervisor, browser, page } = await openWebUi(
        {
          stateDir,
          env: { ...process.env, CLAWDBOT_CONFIG_PATH: '' },
        },
        pageErrors,
      ));
    });

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      if (dockerHost === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = dockerHost;
      if (root) rmSync(root, { recursive: true, force: true });
    });

    const total = (): Promise<string | null> => page.getByTestId('audit-total').textContent();
    const finding = (id: string) => page.locator(`[data-finding-id="${id}"]`);

    it('counts the findings on the dashboard and lists them in the Security view', async () => {
      // The open group policy, and the unreachable engine while non-main sessions are sandboxed.
      await eventually(total).toBe('2 findings');
      expect(await page.getByTestId('audit-count-medium').textContent()).toContain('2');
      await page.getByTestId('audit-summary-link').click();
      await page.getByTestId('security-view').waitFor();
      const open = finding('groups.policy-open');
      await open.waitFor();
      expect(await open.textContent()).toContain('telegram.groupPolicy');
      expect(await open.textContent()).toContain('fixable');
      expect(
        await page.getByTestId('findings-medium').locator('[data-testid="finding"]').count(),
      ).toBe(2);
    });

    it('fixes the safe issues after a confirmation, and the finding and the count go down', async () => {
      await page.getByTestId('nav-security').click();
      await page.getByTestId('security-fix').click();
      const dialog = page.getByTestId('confirm-dialog');
      await dialog.waitFor({ state: 'visible' });
      await dialog.getByRole('button', { name: 'Fix', exact: true }).click();

      await finding('groups.policy-open').waitFor({ state: 'detached' });
      expect(await page.getByTestId('security-changes').textContent()).toContain(
        'telegram.groupPolicy: "open" → "allowlist"',
      );
      const text = readFileSync(configPath, 'utf8');
      expect(text).toContain('// groups anyone may use');
      expect(JSON5.parse<{ telegram: { groupPolicy: string } }>(text).telegram.groupPolicy).toBe(
        'allowlist',
      );
      expect(await finding('docker.unreachable').count()).toBe(1);

      await page.getByTestId('nav-dashboard').click();
      await eventually(total).toBe('1 finding');
    });

    it('re-audits when the config is edited elsewhere', async () => {
      await page.getByTestId('nav-dashboard').click();
      writeFileSync(configPath, OPEN_GROUPS);
      await eventually(total).toBe('2 findings');
      expect(pageErrors).toEqual([]);
    });
  },
);
