import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreezerCgroup } from '../../src-main/docker/cgroup-freezer.js';
import type { SandboxHandle } from '../../src-main/sandbox/sandbox-manager.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { chromiumMissing, requireBrowser } from '../helpers/browser.js';
import { containerExists, dockerAvailable } from '../helpers/docker.js';
import { SANDBOX_IMAGE_BUILD_TIMEOUT_MS, sandboxImageMissing } from '../helpers/sandbox-image.js';
import { useSandboxRun } from '../sandbox/sandbox-test-kit.js';
import { openWebUi } from '../helpers/web-ui.js';
import { waitFor } from '../helpers/wait.js';
import {
  actionsOf,
  lastTimestampMs,
  readTimestamps,
  recordContainerEvents,
  startBusyLoop,
} from '../helpers/busy-sandbox.js';

/**
 * The Sandboxes view in web mode against the real Docker engine: a session's sandbox, created the
 * way the agent creates it, is listed with its session and memory, and Stop removes it from the
 * engine. Skipped without Docker or Chromium, unless CI requires them.
 */

const hasDocker = await dockerAvailable();

describe.skipIf(!hasDocker || sandboxImageMissing() || (chromiumMissing && !requireBrowser))(
  'the Sandboxes view in web mode',
  { tags: ['docker', 'sandbox-image', 'browser'] },
  () => {
    const sandboxes = useSandboxRun('ui');
    const { docker, run } = sandboxes;
    const stateDir = join(sandboxes.dir, 'state');
    const sessionKey = `dm:telegram:${run}`;
    let handle: SandboxHandle;
    let supervisor: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    const row = (): Locator =>
      page.locator(`[data-testid="sandbox-row"][data-sandbox-name="${handle.name}"]`);

    beforeAll(async () => {
      handle = await sandboxes.manager().ensure(sessionKey);
      ({ supervisor, browser, page } = await openWebUi(
        {
          stateDir,
          docker,
        },
        pageErrors,
      ));
      await page.getByTestId('nav-sandboxes').click();
      await page.getByTestId('sandboxes-view').waitFor({ state: 'visible' });
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      await browser?.close();
      await supervisor?.close();
    });

    it('lists the session’s sandbox with its session key, image, state, engine, runtime and memory', async () => {
      await row().waitFor({ state: 'visible' });
      expect(await row().getByTestId('sandbox-session').textContent()).toBe(sessionKey);
      expect(await row().getByTestId('sandbox-state').textContent()).toBe('running');
      // Where it runs: this engine (a local socket here), under the engine's default runtime.
      await expect
        .poll(() => row().getByTestId('sandbox-engine').textContent(), { timeout: 30_000 })
        .toMatch(/^Docker \d[\w.+~-]* local$/);
      const endpoint = process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
      expect(await row().getByTestId('sandbox-engine').getAttribute('title')).toContain(endpoint);
      expect(await row().getByTestId('sandbox-runtime').textContent()).toBe('runc');
      expect(await row().getByTestId('sandbox-image').textContent()).toContain('clawdbot-sandbox');
      // Stats arrive with the list (the engine samples for about a second per container).
      await expect
        .poll(() => row().getByTestId('sandbox-memory').textContent(), { timeout: 20_000 })
        .toMatch(/^[\d.]+ (B|KiB|MiB|GiB) \/ [\d.]+ (KiB|MiB|GiB|TiB)$/);
      expect(await row().getByTestId('sandbox-cpu').textContent()).toMatch(/^[\d.]+ %$/);
      expect(await page.getByTestId('docker-error').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it("the dashboard's engine card says where sandboxes run, the image and its age, the runtime and this installation's sandboxes", async () => {
      await page.getByTestId('nav-dashboard').click();
      const card = page.getByTestId('engine-card');
      await card.waitFor({ state: 'visible', timeout: 30_000 });
      expect(await card.getByTestId('engine-state').textContent()).toBe('Reachable');
      const endpoint = process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
      expect(await card.getByTestId('engine-address').textContent()).toContain(endpoint);
      expect(await card.getByTestId('engine-version').textContent()).toMatch(/^Docker \d/);
      expect(await card.getByTestId('engine-image').textContent()).toMatch(
        /clawdbot-sandbox.*(built today|\d+ days? old)/,
      );
      expect(await card.getByTestId('engine-runtime').textContent()).toContain('runc');
      expect(Number(await card.getByTestId('engine-sandboxes').textContent())).toBeGreaterThan(0);
      await page.getByTestId('nav-sandboxes').click();
      await page.getByTestId('sandboxes-view').waitFor({ state: 'visible' });
    });

    it('reads a file the tool wrote in the workspace, through the engine, and names what it refuses', async () => {
      await sandboxes.manager().writeFile(sessionKey, 'notes/hello.txt', 'written by a tool\n');
      await row().waitFor({ state: 'visible' });
      const reader = page.getByRole('region', { name: 'Read a workspace file' });
      await reader.getByTestId('workspace-file-sandbox').selectOption(handle.name);
      await reader.getByLabel('Path in /workspace').fill('notes/hello.txt');
      await reader.getByTestId('workspace-file-read').click();
      await reader.getByTestId('workspace-file-text').waitFor();
      expect(await reader.getByTestId('workspace-file-text').textContent()).toBe(
        'written by a tool\n',
      );

      // Outside the workspace: refused, saying so, next to the field.
      await reader.getByLabel('Path in /workspace').fill('../etc/passwd');
      await reader.getByTestId('workspace-file-read').click();
      await reader.getByTestId('workspace-file-error').waitFor();
      expect(await reader.getByTestId('workspace-file-error').textContent()).toContain(
        'not a path inside the workspace',
      );
      expect(await reader.getByTestId('workspace-file').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it('stops a sandbox after a confirmation, freezing it before removing it, and Docker no longer has it', async () => {
      await startBusyLoop(docker, handle.id, 12);
      await waitFor('the sandbox to write timestamps', async () => {
        const text = await readTimestamps(docker, handle.id).catch(() => '');
        return text.split('\n').length > 5;
      });
      await row().getByTestId('sandbox-stop').click();
      const dialog = page.getByTestId('confirm-dialog');
      await dialog.waitFor({ state: 'visible' });
      expect(await dialog.textContent()).toContain(sessionKey);
      // Cancel first: nothing happens.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await containerExists(docker, handle.id)).toBe(true);

      await row().getByTestId('sandbox-stop').click();
      // Frozen in the kernel where the supervisor may write the cgroup (root here and in CI),
      // else through the engine's pause.
      const direct = findFreezerCgroup(handle.id) !== null;
      if (process.env.CLAWDBOT_REQUIRE_DOCKER === '1') expect(direct).toBe(true);
      const recorder = await recordContainerEvents(docker);
      try {
        await dialog.getByRole('button', { name: 'Stop sandbox' }).click();
        await row().waitFor({ state: 'detached' });
        expect(await containerExists(docker, handle.id)).toBe(false);
        expect(await page.getByTestId('sandboxes-error').count()).toBe(0);
        expect(pageErrors).toEqual([]);
        // Frozen first, then killed and removed; never resumed.
        await waitFor('the engine to log the removal', () =>
          actionsOf(recorder.events, handle.id).includes('destroy'),
        );
        const actions = actionsOf(recorder.events, handle.id).filter((a) => !a.startsWith('exec_'));
        expect(actions).not.toContain('unpause');
        const ours = recorder.events.filter((e) => e.id === handle.id);
        let pausedAt: number;
        if (direct) {
          // The engine was not asked to pause: the first it saw was its processes' end.
          expect(actions).not.toContain('pause');
          pausedAt = ours.find((e) => e.action === 'kill' || e.action === 'die')!.at;
        } else {
          expect(actions.slice(0, 2)).toEqual(['pause', 'kill']);
          pausedAt = ours.find((e) => e.action === 'pause')!.at;
        }
        // Nothing was written after the freeze: the workspace (kept) says so.
        const text = (await sandboxes.manager().readWorkspaceFile(sessionKey, 'ts')).toString(
          'utf8',
        );
        expect(lastTimestampMs(text)).toBeGreaterThan(0);
        expect(lastTimestampMs(text)).toBeLessThanOrEqual(pausedAt);
      } finally {
        recorder.stop();
      }
    });
  },
);
