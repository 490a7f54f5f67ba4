import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import {
  containersNotFrozen,
  type KillReport,
  type SandboxSweep,
} from '../../src-shared/domain/kill-switch.js';
import { SandboxManager, type SandboxHandle } from '../../src-main/sandbox/sandbox-manager.js';
import { createKillSwitchRepo } from '../../src-main/store/kill-switch-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createRuntimeRepo } from '../../src-main/store/runtime-repo.js';
import { engageKillSwitch } from '../../src-main/supervisor/kill-switch.js';
import { REMOVING, sweepSandboxContainers } from '../../src-main/supervisor/sandbox-reaper.js';
import { installationId } from '../../src-main/installation-id.js';
import { findFreezerCgroup } from '../../src-main/docker/cgroup-freezer.js';
import type { FreezeRoute } from '../../src-main/docker/freeze-route.js';
import {
  BUSY_LOOP,
  actionsOf,
  lastTimestampMs,
  readTimestamps,
  recordContainerEvents,
  startBusyLoop,
  type ContainerEvent,
} from '../helpers/busy-sandbox.js';
import { chromiumMissing, requireBrowser } from '../helpers/browser.js';
import { runCli, startCli, waitForRunningGateway } from '../helpers/cli.js';
import { dockerAvailable, testContainerLabels, testDockerClient } from '../helpers/docker.js';
import {
  startPrivateDockerEngine,
  type PrivateDockerEngine,
} from '../helpers/private-docker-engine.js';
import { SANDBOX_IMAGE_BUILD_TIMEOUT_MS, ensureSandboxImage } from '../helpers/sandbox-image.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { openWebUi } from '../helpers/web-ui.js';
import { waitFor } from '../helpers/wait.js';
import { sandboxTestLog } from '../sandbox/sandbox-test-kit.js';
import { scratchDir } from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();
const requireDocker = process.env.CLAWDBOT_REQUIRE_DOCKER === '1';
const FREEZE_ROUTES: readonly FreezeRoute[] = ['auto', 'engine'];

/**
 * An OCI runtime that is runc in everything but pausing, which it refuses: an engine on which
 * the cgroup freezer is not available to containers (as on some rootless or VM setups).
 */
function writeNoPauseRuntime(dir: string): string {
  const path = join(dir, 'runc-no-pause');
  writeFileSync(
    path,
    `#!/bin/sh
for arg in "$@"; do
  if [ "$arg" = pause ]; then echo 'this runtime cannot pause containers' >&2; exit 1; fi
done
exec runc "$@"
`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** Every pause of these containers came before any of them was killed or removed. */
function expectFrozenBeforeRemoved(events: readonly ContainerEvent[], ids: readonly string[]) {
  const ours = events.filter((e) => ids.includes(e.id));
  const pauses = ours.filter((e) => e.action === 'pause');
  const ends = ours.filter((e) => ['kill', 'die', 'destroy'].includes(e.action));
  expect(new Set(pauses.map((e) => e.id))).toEqual(new Set(ids));
  expect(ends.length).toBeGreaterThan(0);
  expect(Math.max(...pauses.map((e) => e.at))).toBeLessThanOrEqual(
    Math.min(...ends.map((e) => e.at)),
  );
  // Nothing frozen is ever resumed.
  expect(ours.filter((e) => e.action === 'unpause')).toEqual([]);
}

// Its own engine: the kill switch removes every labelled container on the engine it reaches, and
// this engine also has a runtime that cannot pause.
describe.skipIf(!hasDocker)('the kill switch freezes every sandbox before removing them', () => {
  const stateDir = useTempStateDirs();
  const scratch = scratchDir('kill-freeze');
  let engine: PrivateDockerEngine;

  beforeAll(async () => {
    const runtime = writeNoPauseRuntime(scratch.dir);
    engine = await startPrivateDockerEngine({ runtimes: { 'no-pause': runtime } });
    const testDocker = testDockerClient(0);
    await ensureSandboxImage(testDocker);
    await engine.copyImageFrom(testDocker, DEFAULT_SANDBOX_IMAGE);
  }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await engine?.stop();
    scratch.remove();
  });

  /**
   * Real sandboxes (workspace images and all), each running `loops` busy loops, each seen
   * writing. Several loops each: the engine's forced removal thaws a frozen container after
   * signalling only its first process, and each loop is one more process that may win the race
   * to write again, so a removal that let them run is caught in almost every run.
   */
  async function busySandboxes(
    manager: SandboxManager,
    keys: string[],
    loops: number,
  ): Promise<SandboxHandle[]> {
    const handles: SandboxHandle[] = [];
    for (const key of keys) handles.push(await manager.ensure(key));
    await Promise.all(handles.map((h) => startBusyLoop(engine.docker, h.id, loops)));
    for (const h of handles) {
      await waitFor(`${h.name} to write timestamps`, async () => {
        const text = await readTimestamps(engine.docker, h.id).catch(() => '');
        return text.split('\n').length > 5;
      });
    }
    return handles;
  }

  /**
   * A labelled container made by hand, as the sandbox of `stateDir`'s installation would be, on a
   * runtime of our choosing.
   */
  async function labelledContainer(
    name: string,
    options: { stateDir: string; cmd: string[]; runtime?: string; workspace?: string },
  ): Promise<Docker.Container> {
    const container = await engine.docker.createContainer({
      name,
      Image: DEFAULT_SANDBOX_IMAGE,
      Cmd: options.cmd,
      User: '0',
      Labels: testContainerLabels({ installationId: installationId(options.stateDir) }, name),
      HostConfig: {
        NetworkMode: 'none',
        ...(options.runtime ? { Runtime: options.runtime } : {}),
        ...(options.workspace ? { Binds: [`${options.workspace}:/workspace`] } : {}),
      },
    });
    await container.start();
    return container;
  }

  it.each(FREEZE_ROUTES)(
    'frozen %s: after the report says stopped no workspace file grows, and after it says removed no labelled container exists',
    async (route) => {
      const dir = stateDir();
      const manager = new SandboxManager({
        stateDir: dir,
        docker: engine.docker,
        log: sandboxTestLog,
      });
      const keys = ['a', 'b', 'c', 'd'].map((k) => `group:telegram:busy-${route}-${k}`);
      const handles = await busySandboxes(manager, keys, 12);
      const ids = handles.map((h) => h.id);
      // Through the kernel's freezer where this test may write cgroups (root here and in CI).
      const direct = route === 'auto' && findFreezerCgroup(ids[0]!) !== null;
      if (route === 'auto' && requireDocker) expect(direct).toBe(true);
      const db = openDatabase(dir);
      const recorder = await recordContainerEvents(engine.docker);
      try {
        const killSwitch = createKillSwitchRepo(db);
        const atStop = new Map<string, string>();
        let sweepAtStop: SandboxSweep | null = null;
        const report = await engageKillSwitch(
          {
            killSwitch,
            runtime: createRuntimeRepo(db),
            stateDir: dir,
            docker: engine.docker,
            reach: { kind: 'installation', id: installationId(dir) },
            freeze: route,
            // The moment the report calls stopped: the containers are frozen, not yet removed, and
            // their files can still be read through the engine.
            onStopped: async () => {
              for (const h of handles) atStop.set(h.id, await readTimestamps(engine.docker, h.id));
              sweepAtStop = killSwitch.read().sweep;
            },
          },
          'busy sandboxes',
          'ui',
        );

        expect(report.stoppedMs).not.toBeNull();
        expect(report.removedMs).not.toBeNull();
        expect(report.removedMs!).toBeGreaterThanOrEqual(report.stoppedMs!);
        expect(report.sandboxes).toMatchObject({
          dockerReachable: true,
          stoppedMs: report.stoppedMs,
          removedMs: report.removedMs,
        });
        const ours = report.sandboxes.containers.filter((c) => ids.includes(c.id));
        expect(ours.map((c) => [c.stop, c.freezeError, c.error])).toEqual(
          ids.map(() => ['frozen', null, null]),
        );
        // The stopped moment was recorded before any removal, for the UI and `clawdbot status`.
        expect(sweepAtStop).toMatchObject({
          state: 'may-remain',
          error: REMOVING,
          stoppedAt: Math.round(report.engagedAt + report.stoppedMs!),
        });
        // After "removed": the engine lists no labelled container.
        expect(await engine.labelledContainers()).toEqual([]);
        expect(killSwitch.read().sweep).toMatchObject({ state: 'clear', error: null });

        await waitFor('the engine to log every removal', () =>
          ids.every((id) => actionsOf(recorder.events, id).includes('destroy')),
        );
        if (direct) {
          // Frozen in the kernel, not by the engine: it never paused (nor resumed) one.
          const engineFreezes = recorder.events.filter(
            (e) => ids.includes(e.id) && ['pause', 'unpause'].includes(e.action),
          );
          expect(engineFreezes).toEqual([]);
        } else {
          // The engine logged every pause before any kill or removal, and never resumed one.
          expectFrozenBeforeRemoved(recorder.events, ids);
        }

        // The workspaces outlive their containers: brought back (a new container, no loop in it),
        // each file is exactly what it was at the stopped moment, and its last write came before it.
        const stoppedAt = report.engagedAt + report.stoppedMs!;
        for (const [i, key] of keys.entries()) {
          const after = (await manager.readWorkspaceFile(key, 'ts')).toString('utf8');
          const frozen = atStop.get(handles[i]!.id)!;
          expect(after.length).toBeGreaterThan(0);
          expect(after).toBe(frozen);
          expect(lastTimestampMs(after)).toBeLessThanOrEqual(stoppedAt + 1);
        }
      } finally {
        recorder.stop();
        db.close();
        await Promise.all(keys.map((k) => manager.stop(manager.containerNameFor(k))));
      }
      // Six real sandboxes, each with its workspace image, are made one after another (and read
      // back after): on a loaded machine that alone can take over a minute.
    },
    240_000,
  );

  it('`clawdbot kill` kills a sandbox the engine cannot pause and one that had exited, says why neither was frozen, and prints both moments', async () => {
    const dir = stateDir();
    const workspace = join(scratch.dir, 'no-pause-workspace');
    mkdirSync(workspace, { recursive: true });
    const refusing = await labelledContainer('clawdbot-sbx-no-pause', {
      stateDir: dir,
      cmd: ['bash', '-c', BUSY_LOOP],
      runtime: 'no-pause',
      workspace,
    });
    const frozen = await labelledContainer('clawdbot-sbx-pausable', {
      stateDir: dir,
      cmd: ['sleep', 'infinity'],
    });
    const exited = await labelledContainer('clawdbot-sbx-exited', {
      stateDir: dir,
      cmd: ['true'],
    });
    await exited.wait({ condition: 'not-running' });
    await waitFor('the unpausable sandbox to write timestamps', () => {
      try {
        return readFileSync(join(workspace, 'ts'), 'utf8').split('\n').length > 5;
      } catch {
        return false;
      }
    });

    // Through the engine, whose runtime refuses to pause (a direct freeze would not ask it).
    const kill = await runCli(['kill', '--reason', 'pause refused', '--wait', '0'], {
      CLAWDBOT_STATE_DIR: dir,
      DOCKER_HOST: engine.host,
      CLAWDBOT_SANDBOX_FREEZE: 'engine',
    });

    expect(kill.stderr).toBe('');
    expect(kill.code).toBe(0);
    expect(kill.stdout).toMatch(
      /^sandboxes: stopped in [\d.]+ ms \(1 of 3 frozen\), removed in [\d.]+ ms \(3 of 3\)$/m,
    );
    expect(kill.stdout).toMatch(
      /removed clawdbot-sbx-no-pause \(session test:clawdbot-sbx-no-pause\) — killed \(could not be frozen: .*pause.*\)/,
    );
    expect(kill.stdout).toMatch(/removed clawdbot-sbx-pausable .* — frozen$/m);
    expect(kill.stdout).toMatch(
      /removed clawdbot-sbx-exited .* — was not running \(could not be frozen: .*is not running.*\)/,
    );

    const db = openDatabase(dir);
    let report: KillReport;
    try {
      report = createKillSwitchRepo(db).read().lastReport!;
    } finally {
      db.close();
    }
    expect(report.stoppedMs).not.toBeNull();
    expect(report.removedMs).not.toBeNull();
    expect(
      containersNotFrozen(report.sandboxes)
        .map((c) => [c.id, c.stop])
        .sort(),
    ).toEqual(
      [
        [refusing.id, 'killed'],
        [exited.id, 'not-running'],
      ].sort(),
    );
    expect(report.sandboxes.containers.find((c) => c.id === frozen.id)?.stop).toBe('frozen');
    expect(await engine.labelledContainers()).toEqual([]);
    // The unpausable sandbox was dead by the stopped moment: its last write came before it.
    const text = readFileSync(join(workspace, 'ts'), 'utf8');
    expect(lastTimestampMs(text)).toBeLessThanOrEqual(report.engagedAt + report.stoppedMs! + 1);
  });

  it.skipIf(chromiumMissing && !requireBrowser)(
    "the window's kill report shows both moments and what could not be frozen, and the Incident view keeps them across a reload",
    async () => {
      const dir = stateDir();
      await labelledContainer('clawdbot-sbx-ui-frozen', {
        stateDir: dir,
        cmd: ['sleep', 'infinity'],
      });
      const exited = await labelledContainer('clawdbot-sbx-ui-exited', {
        stateDir: dir,
        cmd: ['true'],
      });
      await exited.wait({ condition: 'not-running' });
      const pageErrors: string[] = [];
      const { supervisor, browser, page } = await openWebUi(
        { stateDir: dir, env: { ...process.env, DOCKER_HOST: engine.host }, docker: engine.docker },
        pageErrors,
      );
      try {
        await page.getByTestId('kill-switch').filter({ hasText: 'Stop everything' }).click();
        await page.getByTestId('kill-report').waitFor();
        const shown = async (): Promise<string[]> => [
          (await page.getByTestId('kill-stopped').textContent()) ?? '',
          (await page.getByTestId('kill-removed').textContent()) ?? '',
          (await page.getByTestId('kill-not-frozen').textContent()) ?? '',
        ];
        await page.getByTestId('kill-stopped').waitFor();
        const report = supervisor.supervisor.snapshot().killSwitch.lastReport!;
        expect(report.stoppedMs).not.toBeNull();
        expect(report.removedMs).not.toBeNull();
        const expected = [
          `${report.stoppedMs} ms — every sandboxed process frozen or dead`,
          `${report.removedMs} ms — every sandbox container gone`,
          expect.stringMatching(/^clawdbot-sbx-ui-exited: Container \w+ is not running$/),
        ];
        expect(await shown()).toEqual(expected);
        expect(
          await page
            .locator('[data-testid="kill-container"][data-stop="frozen"]')
            .filter({ hasText: 'clawdbot-sbx-ui-frozen' })
            .count(),
        ).toBe(1);

        await page.getByTestId('incident-link').click();
        await page.getByTestId('incident-view').waitFor();
        await page.reload();
        await page.getByTestId('incident-view').waitFor();
        await page.getByTestId('incident-stop').getByTestId('kill-stopped').waitFor();
        expect(await shown()).toEqual(expected);
        expect(pageErrors).toEqual([]);
      } finally {
        await browser.close();
        await supervisor.close();
      }
    },
  );

  it('the reaper that keeps removing survivors freezes them first too, and says so before they are gone', async () => {
    const dir = stateDir();
    const busy = await Promise.all(
      [1, 2].map((i) =>
        labelledContainer(`clawdbot-sbx-survivor-${i}`, {
          stateDir: dir,
          cmd: ['bash', '-c', 'sleep infinity'],
        }),
      ),
    );
    const ids = busy.map((c) => c.id);
    const recorder = await recordContainerEvents(engine.docker);
    try {
      const progress: SandboxSweep[] = [];
      const sweep = await sweepSandboxContainers(engine.docker, {
        reach: { kind: 'installation', id: installationId(dir) },
        onProgress: (p) => progress.push(p),
        freeze: 'engine',
      });
      expect(sweep).toMatchObject({ state: 'clear', error: null, removedLater: 2 });
      expect(progress[0]).toMatchObject({ state: 'may-remain', error: REMOVING });
      expect(progress[0]!.stoppedAt).toBeGreaterThan(0);
      expect(sweep.stoppedAt).toBe(progress[0]!.stoppedAt);
      await waitFor('the engine to log both removals', () =>
        ids.every((id) => actionsOf(recorder.events, id).includes('destroy')),
      );
      expectFrozenBeforeRemoved(recorder.events, ids);
    } finally {
      recorder.stop();
    }
  });

  it('with a supervisor removing them at the same time, `clawdbot kill` still reports every sandbox stopped and removed, and exits 0', async () => {
    const dir = stateDir();
    const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: engine.host };
    const sandboxes = await engine.startSandboxes(8, 'clawdbot-sbx-race', {
      installationId: installationId(dir),
    });
    const supervisor = startCli(['supervise'], env);
    try {
      await waitForRunningGateway(env);
      const kill = await runCli(['kill', '--json', '--wait', '0'], env);
      expect(kill.stderr).toBe('');
      expect(kill.code).toBe(0);
      const report = JSON.parse(kill.stdout) as KillReport & { sweep: SandboxSweep };
      expect(report.stoppedMs).not.toBeNull();
      expect(report.removedMs).not.toBeNull();
      expect(report.sandboxes.containers.filter((c) => c.error !== null)).toEqual([]);
      expect(report.sweep.state).toBe('clear');
      expect(await engine.labelledContainers()).toEqual([]);
      expect(sandboxes).toHaveLength(8);
    } finally {
      await supervisor.stop();
    }
  });
});
