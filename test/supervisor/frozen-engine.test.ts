import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KillSwitchState } from '../../src-shared/domain/kill-switch.js';
import { installationId } from '../../src-main/installation-id.js';
import { createKillSwitchRepo } from '../../src-main/store/kill-switch-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { runCli, startCli, waitForRunningGateway } from '../helpers/cli.js';
import { dockerAvailable } from '../helpers/docker.js';
import {
  startPrivateDockerEngine,
  type PrivateDockerEngine,
} from '../helpers/private-docker-engine.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

const hasDocker = await dockerAvailable();

/** The kill switch as the state directory's database holds it now. */
function killSwitchIn(stateDir: string): KillSwitchState {
  const db = openDatabase(stateDir);
  try {
    return createKillSwitchRepo(db).read();
  } finally {
    db.close();
  }
}

// Its own engine: the kill switch removes every labelled container on the engine it reaches, and
// a frozen engine must not stall anyone else's tests.
describe.skipIf(!hasDocker)(
  'the kill switch with a Docker engine that stops answering',
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

    it('`clawdbot kill` exits 2 saying what may remain; the running supervisor removes every sandbox once the engine answers', async () => {
      const dir = stateDir();
      const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: engine.host };
      const sandboxes = await engine.startSandboxes(12, 'clawdbot-sbx-frozen', {
        installationId: installationId(dir),
      });
      const supervisor = startCli(['supervise'], env);
      try {
        await waitForRunningGateway(env);
        engine.freeze();
        try {
          const kill = await runCli(['kill', '--reason', 'engine frozen'], env);
          expect(kill.code).toBe(2);
          expect(kill.stdout).toMatch(/gateway: killed pid \d+/);
          expect(kill.stdout).toMatch(/sandboxes: MAY REMAIN — the Docker engine did not answer/);
          const reason = kill.stderr.trim().split('\n');
          expect(reason).toHaveLength(1);
          expect(reason[0]).toMatch(
            /sandbox containers may remain .*the supervisor \(pid \d+\) keeps removing them/,
          );
          expect(killSwitchIn(dir).sweep).toMatchObject({ state: 'may-remain' });
          const status = JSON.parse((await runCli(['status', '--json'], env)).stdout) as {
            killSwitch: KillSwitchState;
          };
          expect(status.killSwitch.sweep?.state).toBe('may-remain');
        } finally {
          engine.thaw();
        }
        // Within 10 s of the engine answering again, the supervisor has confirmed none remain.
        const cleared = await waitFor(
          'the supervisor to remove every sandbox',
          () => {
            const sweep = killSwitchIn(dir).sweep;
            return sweep?.state === 'clear' ? sweep : null;
          },
          10_000,
        );
        expect(cleared.removedLater).toBeGreaterThanOrEqual(sandboxes.length);
        expect(await engine.labelledContainers()).toEqual([]);
      } finally {
        engine.thaw();
        await supervisor.stop();
      }
    });

    it('with no supervisor, `clawdbot kill` keeps retrying and finishes the job when the engine answers within --wait', async () => {
      const dir = stateDir();
      const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: engine.host };
      await engine.startSandboxes(6, 'clawdbot-sbx-retry', {
        installationId: installationId(dir),
      });
      engine.freeze();
      const kill = startCli(['kill', '--wait', '300'], env);
      try {
        await kill.waitForOutput(/retrying for up to 300 s/, 30_000);
        engine.thaw();
        const code = await new Promise<number | null>((resolve) => {
          if (kill.child.exitCode !== null) resolve(kill.child.exitCode);
          else kill.child.once('exit', (c) => resolve(c));
        });
        expect(kill.output()).toMatch(/sandboxes: no sandbox container remains \(6 removed/);
        expect(code).toBe(0);
        expect(await engine.labelledContainers()).toEqual([]);
        expect(killSwitchIn(dir).sweep).toMatchObject({ state: 'clear', removedLater: 6 });
      } finally {
        engine.thaw();
        await kill.stop();
      }
    });

    it('with no supervisor and an engine that stays frozen, `clawdbot kill` gives up after --wait and says nothing is retrying', async () => {
      const dir = stateDir();
      const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: engine.host };
      const left = await engine.startSandboxes(2, 'clawdbot-sbx-stays', {
        installationId: installationId(dir),
      });
      engine.freeze();
      try {
        const kill = await runCli(['kill', '--wait', '1'], env, 60_000);
        expect(kill.code).toBe(2);
        expect(kill.stderr).toMatch(
          /sandbox containers may remain \(the Docker engine did not answer .*\); nothing is retrying now \(retried for 1 s\)/,
        );
        expect(killSwitchIn(dir).sweep?.state).toBe('may-remain');
      } finally {
        engine.thaw();
      }
      expect(await engine.labelledContainers()).toEqual(expect.arrayContaining(left));
    });
  },
);
