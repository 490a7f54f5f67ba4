import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageBuildState } from '../../src-shared/domain/image-build.js';
import { callSupervisor } from '../../src-main/cli/control-client.js';
import { imageBuildForHost } from '../../src-main/doctor/run-doctor.js';
import type { HeadlessSupervisor } from '../../src-main/web/headless.js';
import { UI_TIMEOUT_MS, chromiumMissing, requireBrowser, eventually } from '../helpers/browser.js';
import { TEST_IMAGE, dockerAvailable, testDockerClient } from '../helpers/docker.js';
import { writeConfig } from '../helpers/gateway-harness.js';
import { openWebUi } from '../helpers/web-ui.js';
import { testRunTag } from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

/**
 * The setup's sandbox step builds a missing image from the page, with a progress bar, through
 * the same code as `clawdbot doctor --fix` (`buildMissingSandboxImage` → `buildSandboxImage`
 * → the engine's build API, its progress over `imagebuild:changed`). The real recipe takes
 * minutes (debootstrap of Debian); this builds a four-step Dockerfile on the test image instead,
 * through the doctor's `docker build` path, and holds its third step on an HTTP request the
 * test answers, so a reload can be made while the build is known to be running.
 */
describe.skipIf((chromiumMissing && !requireBrowser) || !hasDocker)(
  'building the sandbox image from the setup page (web mode)',
  { tags: ['browser', 'docker'] },
  () => {
    const docker = testDockerClient(0);
    const image = `clawdbot-build-test:${testRunTag('image-build')}`;
    let root: string;
    let stateDir: string;
    let supervisor: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    let gate: Server;
    const pageErrors: string[] = [];
    /** The build's held step, waiting for the test to let it go. */
    const held: ServerResponse[] = [];
    /** Every `imagebuild:changed` the supervisor sent, in order. */
    const seen: ImageBuildState[] = [];

    const sandboxStep = async (): Promise<void> => {
      await page.getByTestId('nav-setup').click();
      await page.getByTestId('setup-step-sandbox').click();
      await page.getByTestId('setup-sandbox-checks').waitFor({ timeout: UI_TIMEOUT_MS });
    };
    const imageCheck = () =>
      page
        .getByTestId('setup-sandbox-checks')
        .locator('[data-check-id="sandbox.image"]')
        .getAttribute('data-status');

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-image-build-'));
      stateDir = join(root, 'state');
      gate = createServer((_req, res) => void held.push(res));
      await new Promise<void>((resolve) => gate.listen(0, '0.0.0.0', resolve));
      const bridge = (await docker.getNetwork('bridge').inspect()) as {
        IPAM?: { Config?: { Gateway?: string }[] };
      };
      const host = bridge.IPAM?.Config?.[0]?.Gateway ?? '172.17.0.1';
      const port = (gate.address() as AddressInfo).port;
      const recipe = join(root, 'recipe');
      mkdirSync(recipe);
      writeFileSync(join(recipe, 'packages.txt'), '# nothing to install\n');
      writeFileSync(
        join(recipe, 'Dockerfile'),
        [
          `FROM ${TEST_IMAGE}`,
          'RUN echo preparing the workspace',
          `RUN busybox wget -q -O /dev/null http://${host}:${port}/held`,
          'RUN echo finishing',
          '',
        ].join('\n'),
      );
      writeConfig(stateDir, { agent: { sandbox: { docker: { image } } } });
      const env: NodeJS.ProcessEnv = { ...process.env, CLAWDBOT_CONFIG_PATH: '' };
      ({ supervisor, browser, page } = await openWebUi(
        {
          stateDir,
          env,
          docker,
          imageBuild: imageBuildForHost(stateDir, env, { assetsDir: recipe, offline: false }),
        },
        pageErrors,
      ));
      supervisor.supervisor.events.on(
        'imagebuild:changed',
        (state) => void seen.push(state),
        new AbortController().signal,
      );
    });

    afterAll(async () => {
      for (const res of held.splice(0)) res.end('ok');
      await browser?.close();
      await supervisor?.close();
      await new Promise<void>((resolve) => gate?.close(() => resolve()));
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('offers to build the image the engine lacks', async () => {
      await sandboxStep();
      await eventually(imageCheck).toBe('error');
      await page.getByTestId('image-build-start').waitFor({ timeout: UI_TIMEOUT_MS });
    });

    it('shows the build moving step by step, still running after a reload, one at a time', async () => {
      await page.getByTestId('image-build-start').click();
      const build = page.getByTestId('image-build');
      await eventually(() => build.getAttribute('data-phase')).toBe('running');
      // The third step waits on the test's server: the build is running there now.
      await expect.poll(() => held.length, { timeout: 120_000 }).toBe(1);
      const bar = page.getByTestId('image-build-progress');
      await eventually(() => bar.getAttribute('value')).toBe('3');
      expect(await bar.getAttribute('max')).toBe('4');
      expect(await build.textContent()).toContain(`Building ${image}: step 3 of 4`);

      await page.reload();
      await sandboxStep();
      await eventually(() => build.getAttribute('data-phase')).toBe('running');
      await eventually(() => bar.getAttribute('value')).toBe('3');
      // Asked again (from the CLI's socket here) while it runs: the same build, not a second.
      const again = await callSupervisor(supervisor.controlSocket, 'imagebuild:start', {});
      expect(again).toMatchObject({ phase: 'running', step: 3, steps: 4 });
      expect(again.startedAt).toBe(seen.find((s) => s.phase === 'running')?.startedAt);

      for (const res of held.splice(0)) res.end('ok');
      await expect.poll(() => build.getAttribute('data-phase'), { timeout: 120_000 }).toBe('done');
      expect(await build.textContent()).toContain(`Built ${image}`);
      expect(await bar.getAttribute('value')).toBe('4');
      // The steps came in order, each once, and the build ended once.
      const steps = seen.map((s) => s.step).filter((step, i, all) => step !== all[i - 1]);
      expect(steps).toEqual([0, 1, 2, 3, 4]);
      expect(seen.filter((s) => s.phase !== 'running')).toHaveLength(1);
    });

    it('turns the step ok: the engine has the image now', async () => {
      await eventually(imageCheck).toBe('ok');
      expect((await docker.getImage(image).inspect()).Id).toMatch(/^sha256:/);
      expect(await page.getByTestId('image-build-start').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  },
);
