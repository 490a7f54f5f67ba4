import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { INSTALLATION_LABEL } from '../../src-main/docker/sandbox-labels.js';
import { installationId } from '../../src-main/installation-id.js';
import { createSessionsRepo } from '../../src-main/store/sessions-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import { SANDBOX_IMAGE_BUILD_TIMEOUT_MS, ensureSandboxImage } from '../helpers/sandbox-image.js';
import { openWebUi } from '../helpers/web-ui.js';
import { makeStateRoot } from '../helpers/temp-state.js';

const hasDocker = await dockerAvailable();

/**
 * A tool call cut short by the kill switch ends in the transcript as killed: the real supervisor
 * and gateway child, an obedient scripted model asking for `sleep` in the owner's sandbox on the
 * real engine, the kill switch pulled from the status bar of the Sessions view in Chromium while
 * the command runs. The gateway dies mid-call and cannot write it; the kill switch does.
 */
describe.skipIf((chromiumMissing && !requireBrowser) || !hasDocker)(
  'a tool call stopped by the kill switch',
  { tags: ['browser', 'docker', 'sandbox-image'] },
  () => {
    const docker = testDockerClient();
    let root: string;
    let stateDir: string;
    let model: ScriptedModelServer;
    let supervisor: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    const stored = (): TranscriptEvent[] => {
      const db = openDatabase(stateDir);
      try {
        return createSessionsRepo(db).events('main', { limit: 5000 });
      } finally {
        db.close();
      }
    };

    beforeAll(async () => {
      await ensureSandboxImage(docker);
      model = await startScriptedModelServer(obeyingAttacker());
      ({ root, stateDir } = makeStateRoot('clawdbot-transcript-kill-', {
        agent: {
          model: { provider: 'openai', name: 'obedient', baseUrl: model.baseUrlFor('openai') },
          // The owner's own session in a sandbox too, so the call runs on the test engine.
          sandbox: { mode: 'all' },
          tools: { timeoutSec: 600 },
        },
      }));
      ({ supervisor, browser, page } = await openWebUi(
        {
          stateDir,
          docker,
          env: {
            ...process.env,
            CLAWDBOT_CONFIG_PATH: '',
            CLAWDBOT_LOG_FILE: join(root, 'log-YYYY-MM-DD.log'),
            OPENAI_API_KEY: 'test-key',
          },
        },
        pageErrors,
      ));
      await page.getByTestId('gateway-state').filter({ hasText: 'Running' }).waitFor();
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
      await model?.close();
      // The crash test leaves its sandbox behind (only the kill switch removes them all).
      if (stateDir) {
        const mine = await docker.listContainers({
          all: true,
          filters: { label: [`${INSTALLATION_LABEL}=${installationId(stateDir)}`] },
        });
        await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true })));
      }
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('records the running call as killed and shows it closed, in one row with where it ran', async () => {
      await page.getByTestId('nav-console').click();
      await page.getByTestId('console-input').fill('run: sleep 600');
      await page.getByTestId('console-send').click();

      // The call is stored, and its command really runs in the session's container.
      await eventually(() => stored().some((e) => e.kind === 'tool-call')).toBe(true);
      const call = stored().find((e) => e.kind === 'tool-call')!;
      expect(call.data).toMatchObject({ tool: 'bash', where: 'sandbox' });
      await eventually(async () => {
        const [container] = await docker.listContainers({
          filters: { label: ['clawdbot.sessionKey=main'] },
        });
        if (!container) return false;
        const top = (await docker.getContainer(container.Id).top()) as { Processes: string[][] };
        return top.Processes.some((p) => p.join(' ').includes('sleep 600'));
      }).toBe(true);

      await page.getByTestId('nav-sessions').click();
      await page
        .locator('[data-testid="session-row"][data-session-key="main"]')
        .getByTestId('session-open')
        .click();
      const row: Locator = page.locator(
        `[data-testid="transcript-event"][data-event-id="${call.id}"]`,
      );
      await row.waitFor();
      expect(await row.getByTestId('tool-status').getAttribute('data-status')).toBe('running');
      // Where it runs: the sandbox, and which engine (the address the gateway resolved).
      expect(typeof call.data?.['engine']).toBe('string');
      expect(await row.getByTestId('tool-where').textContent()).toContain('sandbox');
      expect(await row.getByTestId('tool-engine').textContent()).toContain(
        call.data?.['engine'] as string,
      );

      // Pulled from the status bar, on the Sessions view, while the command runs.
      await page.getByTestId('statusbar-kill-switch').click();

      await eventually(() =>
        stored().find(
          (e) => e.kind === 'tool-result' && e.data?.['callId'] === call.data?.['callId'],
        ),
      ).toMatchObject({
        kind: 'tool-result',
        actor: 'bash',
        text: 'killed by the kill switch; no result',
        data: { ok: false, status: 'killed', where: 'sandbox' },
      });
      // Exactly one result, written after the call.
      const results = stored().filter((e) => e.kind === 'tool-result');
      expect(results).toHaveLength(1);
      expect(results[0]!.id).toBeGreaterThan(call.id);

      // The row closes live, without a reload: the call and how it ended, one row.
      await eventually(() => row.getByTestId('tool-status').getAttribute('data-status')).toBe(
        'killed',
      );
      expect(await row.getByTestId('tool-status').textContent()).toMatch(/killed/i);
      expect(
        await page.locator(`[data-testid="transcript-event"][data-kind="tool-result"]`).count(),
      ).toBe(0);
      await row.getByTestId('tool-toggle').click();
      expect(await row.getByTestId('tool-result').textContent()).toBe(
        'killed by the kill switch; no result',
      );
      expect(pageErrors).toEqual([]);
    });

    it('closes a call cut short by a crash as interrupted when the gateway comes back', async () => {
      const { supervisor: host } = supervisor;
      host.rearm();
      host.startGateway();
      await eventually(() => host.manager.status().state).toBe('running');
      const crashedPid = host.manager.status().pid!;
      const callsBefore = stored().filter((e) => e.kind === 'tool-call').length;
      await page.getByTestId('nav-console').click();
      await page.getByTestId('console-input').fill('run: sleep 601');
      await page.getByTestId('console-send').click();
      await eventually(() => stored().filter((e) => e.kind === 'tool-call').length).toBe(
        callsBefore + 1,
      );
      const call = stored()
        .filter((e) => e.kind === 'tool-call')
        .at(-1)!;

      // A crash, not the kill switch: the process dies and the supervisor restarts it.
      process.kill(crashedPid, 'SIGKILL');
      await eventually(() => {
        const { state, pid } = host.manager.status();
        return state === 'running' && pid !== crashedPid;
      }).toBe(true);
      await eventually(() =>
        stored().find(
          (e) => e.kind === 'tool-result' && e.data?.['callId'] === call.data?.['callId'],
        ),
      ).toMatchObject({
        text: 'the gateway stopped before this call finished; no result',
        data: { ok: false, status: 'interrupted', where: 'sandbox' },
      });

      await page.getByTestId('nav-sessions').click();
      await page
        .locator('[data-testid="session-row"][data-session-key="main"]')
        .getByTestId('session-open')
        .click();
      const row = page.locator(`[data-testid="transcript-event"][data-event-id="${call.id}"]`);
      await eventually(() => row.getByTestId('tool-status').getAttribute('data-status')).toBe(
        'interrupted',
      );
      expect(pageErrors).toEqual([]);
    });
  },
);
