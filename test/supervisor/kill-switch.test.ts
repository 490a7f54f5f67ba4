import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, processIdentity } from '../../src-main/process/process-identity.js';
import { installationId } from '../../src-main/installation-id.js';
import { engageKillSwitch } from '../../src-main/supervisor/kill-switch.js';
import { createKillSwitchRepo } from '../../src-main/store/kill-switch-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createRuntimeRepo } from '../../src-main/store/runtime-repo.js';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import {
  containerExists,
  dockerAvailable,
  ensureTestImage,
  startTestContainer,
  testDockerClient,
} from '../helpers/docker.js';
import { builtGateway, fixturesDir } from '../helpers/paths.js';
import { recordingTimers } from '../helpers/recording-timers.js';
import { unreachableDocker, useSupervisors, waitForState } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';
import { spawn } from 'node:child_process';

const hasDocker = await dockerAvailable();

describe('the kill switch without Docker', () => {
  const stateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();

  it('kills the gateway and its whole process tree, and says Docker was not reachable', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'clawdbot-grandchild-'));
    const pidFile = join(scratch, 'grandchild.pid');
    try {
      const timers = recordingTimers();
      const supervisor = openSupervisor({
        stateDir: stateDir(),
        entry: join(fixturesDir, 'gateway-with-grandchild.mjs'),
        env: { ...process.env, GRANDCHILD_PID_FILE: pidFile, REAL_GATEWAY_ENTRY: builtGateway },
        timers,
      });
      supervisor.startGateway();
      const running = await waitForState(supervisor, 'running');
      const grandchild = Number(readFileSync(pidFile, 'utf8'));
      expect(isAlive(grandchild)).toBe(true);

      const report = await supervisor.engageKillSwitch('test', 'ui');
      expect(report.gateway).toMatchObject({ found: true, pid: running.pid, error: null });
      expect(report.gateway.killedPids).toEqual(expect.arrayContaining([running.pid, grandchild]));
      expect(report.sandboxes.dockerReachable).toBe(false);
      expect(report.sandboxes.error).toMatch(/Docker is not reachable/);
      await waitFor('the grandchild to die', () => !isAlive(grandchild));
      const stopped = await waitForState(supervisor, 'stopped');
      expect(stopped.message).toBe('killed by the kill switch');
      // It does not come back on its own: nothing is scheduled that could start it.
      expect(timers.pending()).toBe(0);
      expect(supervisor.manager.status()).toMatchObject({ state: 'stopped', nextRestartAt: null });
      expect(supervisor.snapshot().killSwitch).toMatchObject({
        engaged: true,
        reason: 'test',
        source: 'ui',
      });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('refuses to start while engaged; after re-arming it stays stopped until started', async () => {
    const supervisor = openSupervisor({ stateDir: stateDir() });
    await supervisor.engageKillSwitch('first', 'tray');
    expect(() => supervisor.startGateway()).toThrow(/kill switch is engaged.*clawdbot rearm/);
    supervisor.rearm();
    expect(supervisor.manager.status().state).toBe('stopped');
    supervisor.startGateway();
    await waitForState(supervisor, 'running');
  });

  it('never kills a recorded pid that now belongs to another process', async () => {
    const dir = stateDir();
    const db = openDatabase(dir);
    const bystander = spawn('sleep', ['100000'], { stdio: 'ignore' });
    try {
      const runtime = createRuntimeRepo(db);
      // A stale record: the bystander's pid with a different start identity.
      runtime.writeGateway(
        { ...idleGatewayStatus, state: 'running', pid: bystander.pid! },
        'linux-start:1',
      );
      const report = await engageKillSwitch(
        {
          killSwitch: createKillSwitchRepo(db),
          runtime,
          stateDir: dir,
          docker: unreachableDocker(),
          reach: { kind: 'installation', id: installationId(dir) },
        },
        'stale',
        'cli',
      );
      expect(report.gateway.found).toBe(false);
      expect(isAlive(bystander.pid!)).toBe(true);
      // With the right identity it is killed.
      runtime.writeGateway(
        { ...idleGatewayStatus, state: 'running', pid: bystander.pid! },
        processIdentity(bystander.pid!),
      );
      const second = await engageKillSwitch(
        {
          killSwitch: createKillSwitchRepo(db),
          runtime,
          stateDir: dir,
          docker: unreachableDocker(),
          reach: { kind: 'installation', id: installationId(dir) },
        },
        'real',
        'cli',
      );
      expect(second.gateway.killedPids).toContain(bystander.pid);
    } finally {
      bystander.kill('SIGKILL');
      db.close();
    }
  });
});

describe.skipIf(!hasDocker)(
  'the kill switch with the real Docker engine',
  { tags: ['docker'] },
  () => {
    const docker = testDockerClient();
    const stateDir = useTempStateDirs();
    const openSupervisor = useSupervisors();
    const created: string[] = [];

    beforeAll(async () => {
      await ensureTestImage(docker);
    });
    afterAll(async () => {
      await Promise.all(
        created.map((id) =>
          docker
            .getContainer(id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
    });

    it("kills and removes every one of its installation's sandboxes in parallel and leaves unlabelled containers alone", async () => {
      const suffix = Date.now().toString(36);
      const dir = stateDir();
      const labelled = await Promise.all(
        [1, 2, 3, 4].map((i) =>
          startTestContainer(docker, `clawdbot-sbx-test-${suffix}-${i}`, {
            installationId: installationId(dir),
          }),
        ),
      );
      const bystander = await startTestContainer(docker, `not-clawdbot-${suffix}`, 'not-a-sandbox');
      created.push(...labelled.map((c) => c.id), bystander.id);

      const supervisor = openSupervisor({ stateDir: dir, docker });
      supervisor.startGateway();
      const running = await waitForState(supervisor, 'running');
      const report = await supervisor.engageKillSwitch('sandbox escape suspected', 'ui');

      expect(report.sandboxes.dockerReachable).toBe(true);
      // Every sandbox of this installation goes (and legacy ones without an installation label,
      // should the engine hold any); the unlabelled container is checked below.
      expect(report.sandboxes.containers.map((c) => c.id)).toEqual(
        expect.arrayContaining(labelled.map((c) => c.id)),
      );
      expect(report.sandboxes.containers.map((c) => c.id)).not.toContain(bystander.id);
      expect(report.sandboxes.containers.every((c) => c.error === null)).toBe(true);
      expect(report.sandboxes.containers.map((c) => c.sessionKey)).toContain(
        `test:clawdbot-sbx-test-${suffix}-1`,
      );
      for (const container of labelled)
        expect(await containerExists(docker, container.id)).toBe(false);
      expect((await docker.getContainer(bystander.id).inspect()).State.Running).toBe(true);
      expect(report.gateway.killedPids).toContain(running.pid);
      expect(report.durationMs).toBeGreaterThan(0);
      // The report is persisted for the UI and the CLI.
      expect(supervisor.snapshot().killSwitch.lastReport).toEqual(report);
    });
  },
);
