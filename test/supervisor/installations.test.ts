import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KillReport, SandboxSweep } from '../../src-shared/domain/kill-switch.js';
import { INSTALLATION_LABEL } from '../../src-main/docker/sandbox-labels.js';
import { installationIdFile, sandboxesDir } from '../../src-main/state-layout.js';
import { CREATED_AT_LABEL, WORKSPACE_LABEL } from '../../src-main/sandbox/container-spec.js';
import { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { runCli } from '../helpers/cli.js';
import {
  TEST_IMAGE,
  containerExists,
  dockerAvailable,
  testContainerLabels,
} from '../helpers/docker.js';
import {
  startPrivateDockerEngine,
  type PrivateDockerEngine,
} from '../helpers/private-docker-engine.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { sandboxTestLog } from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

interface StatusJson {
  sandboxEngine: { installation: string | null };
}

/** `clawdbot status --json`'s installation id for a state directory. */
async function statusInstallation(stateDir: string, dockerHost: string): Promise<string> {
  const result = await runCli(['status', '--json'], {
    CLAWDBOT_STATE_DIR: stateDir,
    DOCKER_HOST: dockerHost,
  });
  expect(result.stderr).toBe('');
  const id = (JSON.parse(result.stdout) as StatusJson).sandboxEngine.installation;
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  return id!;
}

// Its own engine: `--all-installations` and legacy sandboxes (which every installation's kill
// switch removes) would reach other tests' containers on a shared one.
describe.skipIf(!hasDocker)(
  'two installations (state directories) on one Docker engine',
  { tags: ['docker'] },
  () => {
    const stateDir = useTempStateDirs();
    let engine: PrivateDockerEngine;

    beforeAll(async () => {
      engine = await startPrivateDockerEngine();
    });
    afterAll(async () => {
      await engine?.stop();
    });

    it('an installation id is created once, privately, and every process agrees on it, at once or after a restart', async () => {
      const dir = stateDir();
      // Four CLI processes start together on a fresh state directory: one id wins, all see it.
      const ids = await Promise.all([1, 2, 3, 4].map(() => statusInstallation(dir, engine.host)));
      expect(new Set(ids).size).toBe(1);
      expect(statSync(installationIdFile(dir)).mode & 0o777).toBe(0o600);
      // Later runs (a restart) read the same id, and so does the sandbox manager.
      expect(await statusInstallation(dir, engine.host)).toBe(ids[0]);
      const manager = new SandboxManager({
        stateDir: dir,
        docker: engine.docker,
        log: sandboxTestLog,
      });
      expect(manager.installationId).toBe(ids[0]);
      expect(await statusInstallation(stateDir(), engine.host)).not.toBe(ids[0]);
    });

    it("killing one leaves the other's sandboxes running; --all-installations removes both; a legacy one goes with either", async () => {
      const [a, b] = [stateDir(), stateDir()];
      const [idA, idB] = [
        await statusInstallation(a, engine.host),
        await statusInstallation(b, engine.host),
      ];
      const ofA = await engine.startSandboxes(3, 'clawdbot-sbx-a', { installationId: idA });
      const ofB = await engine.startSandboxes(3, 'clawdbot-sbx-b', { installationId: idB });
      // Created before sandboxes carried an installation label.
      const [legacy] = await engine.startSandboxes(1, 'clawdbot-sbx-legacy', 'legacy');

      // Listing is scoped: each installation sees its own.
      const list = async (dir: string): Promise<string[]> =>
        (
          await new SandboxManager({
            stateDir: dir,
            docker: engine.docker,
            log: sandboxTestLog,
          }).list({ usage: false })
        )
          .map((s) => s.id)
          .sort();
      expect(await list(a)).toEqual([...ofA].sort());
      expect(await list(b)).toEqual([...ofB].sort());
      // And `sandbox stop` refuses the other's.
      const managerA = new SandboxManager({
        stateDir: a,
        docker: engine.docker,
        log: sandboxTestLog,
      });
      await expect(managerA.stop(ofB[0]!)).rejects.toThrow(/another Clawdbot installation/);

      const env = { CLAWDBOT_STATE_DIR: a, DOCKER_HOST: engine.host };
      const kill = await runCli(['kill', '--json', '--wait', '0'], env);
      expect(kill.stderr).toBe('');
      expect(kill.code).toBe(0);
      const report = JSON.parse(kill.stdout) as KillReport & { sweep: SandboxSweep };
      expect(report.sandboxes.reach).toBe('installation');
      expect(report.sandboxes.containers.map((c) => c.id).sort()).toEqual([...ofA, legacy!].sort());
      for (const id of [...ofA, legacy!])
        expect(await containerExists(engine.docker, id)).toBe(false);
      for (const id of ofB) {
        const info = await engine.docker.getContainer(id).inspect();
        expect(info.State).toMatchObject({ Running: true, Paused: false });
        expect(info.Config.Labels[INSTALLATION_LABEL]).toBe(idB);
      }

      const all = await runCli(['kill', '--all-installations', '--wait', '0'], env);
      expect(all.stderr).toBe('');
      expect(all.code).toBe(0);
      expect(all.stdout).toMatch(
        /^sandboxes: of every Clawdbot installation on this engine \(--all-installations\), not only this one$/m,
      );
      expect(all.stdout).toMatch(/removed in [\d.]+ ms \(3 of 3\)/);
      expect(await engine.labelledContainers()).toEqual([]);
    });

    it('a legacy sandbox counts as the installation whose state directory holds its workspace, for listing and pruning', async () => {
      const [a, b] = [stateDir(), stateDir()];
      const container = await engine.docker.createContainer({
        name: 'clawdbot-sbx-legacy-workspace',
        Image: TEST_IMAGE,
        Cmd: ['/bin/sleep', '100000'],
        Labels: {
          ...testContainerLabels('legacy', 'clawdbot-sbx-legacy-workspace'),
          [WORKSPACE_LABEL]: join(sandboxesDir(a), 'legacy-0123abcd'),
          // Created two weeks ago: past the default maxAgeDays.
          [CREATED_AT_LABEL]: String(Date.now() - 14 * 86_400_000),
        },
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
      const manager = (dir: string): SandboxManager =>
        new SandboxManager({ stateDir: dir, docker: engine.docker, log: sandboxTestLog });
      expect((await manager(a).list({ usage: false })).map((s) => s.id)).toEqual([container.id]);
      expect(await manager(b).list({ usage: false })).toEqual([]);
      expect(await manager(b).prune()).toEqual([]);
      expect(await containerExists(engine.docker, container.id)).toBe(true);
      expect((await manager(a).prune()).map((p) => p.why)).toEqual(['too-old']);
      expect(await containerExists(engine.docker, container.id)).toBe(false);
    });
  },
);
