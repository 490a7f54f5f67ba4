import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KillReport } from '../../src-shared/domain/kill-switch.js';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import { EXIT_KILL_SWITCH_ENGAGED } from '../../src-main/gateway/run-gateway.js';
import { isSameProcess, processIdentity } from '../../src-main/process/process-identity.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createRuntimeRepo } from '../../src-main/store/runtime-repo.js';
import { runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { useSupervisors } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

interface StatusJson {
  gateway: { state: string; pid: number | null; message: string | null };
}

/** The CLI's kill, as JSON; exit code 2 only says Docker (absent here) could not be checked. */
async function cliKill(env: NodeJS.ProcessEnv): Promise<KillReport> {
  const result = await runCli(['kill', '--json', '--wait', '0'], env);
  expect(result.stderr).not.toMatch(/gateway: error/);
  return JSON.parse(result.stdout) as KillReport;
}

async function cliStatus(env: NodeJS.ProcessEnv): Promise<StatusJson> {
  const result = await runCli(['status', '--json'], env);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

/** A gateway process of ours that is still running (a zombie or a recycled pid is not). */
function running(pid: number, identity: string | null): boolean {
  return isSameProcess(pid, identity);
}

describe('a gateway the database does not know about', () => {
  const stateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();

  /**
   * A supervisor (a real `clawdbot supervise` process) whose gateway hangs (SIGSTOP: it cannot
   * notice anything), then the supervisor dies with SIGKILL: the hung gateway is an orphan.
   */
  async function orphanAHungGateway(
    env: NodeJS.ProcessEnv,
  ): Promise<{ pid: number; identity: string | null }> {
    const first: CliProcess = startCli(['supervise'], env);
    const status = await waitFor('the first supervisor’s gateway', async () => {
      const s = await cliStatus(env);
      return s.gateway.state === 'running' ? s : null;
    });
    const pid = status.gateway.pid!;
    const identity = processIdentity(pid);
    process.kill(pid, 'SIGSTOP');
    first.child.kill('SIGKILL');
    await waitFor(
      'the first supervisor to die',
      () => first.child.exitCode !== null || first.child.signalCode !== null,
    );
    expect(running(pid, identity)).toBe(true);
    return { pid, identity };
  }

  /** A new supervisor on the directory, started as at launch, once it says it waits for `pid`. */
  async function secondSupervisorWaitingFor(dir: string, pid: number) {
    const second = openSupervisor({ stateDir: dir });
    void second.startIfArmed();
    const waiting = await waitFor('the new supervisor to see the orphan', () =>
      second.manager.status().message?.includes(`pid ${pid}`) ? second.manager.status() : null,
    );
    return { second, waiting };
  }

  it('a new supervisor keeps the orphan’s record, and `clawdbot kill` finds and kills it', async () => {
    const dir = stateDir();
    const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: NO_DOCKER_HOST };
    const orphan = await orphanAHungGateway(env);
    try {
      // The new supervisor says what it is waiting for …
      const { second, waiting } = await secondSupervisorWaitingFor(dir, orphan.pid);
      expect(waiting.message).toMatch(/left running by a previous supervisor/);
      // … and does not erase the record that lets the CLI find it.
      expect((await cliStatus(env)).gateway.pid).toBe(orphan.pid);

      const report = await cliKill(env);
      expect(report.gateway.found).toBe(true);
      expect(report.gateway.killedPids).toContain(orphan.pid);
      await waitFor('the orphan to die', () => !running(orphan.pid, orphan.identity));
      // With the switch engaged, the orphan's end does not start a new gateway. Waiting for the
      // state only would race: the supervisor is already 'stopped' while it waits for the orphan.
      const stopped = await waitFor('the new supervisor to stop waiting for the orphan', () => {
        const now = second.manager.status();
        return now.message?.includes(`pid ${orphan.pid}`) ? null : now;
      });
      expect(stopped.state).toBe('stopped');
      expect(stopped.message).toBe('killed by the kill switch');
      expect(second.manager.childPid()).toBeUndefined();
    } finally {
      if (running(orphan.pid, orphan.identity)) process.kill(orphan.pid, 'SIGKILL');
    }
  });

  it('a new supervisor starts its own gateway once the orphan is gone, however long that takes', async () => {
    const dir = stateDir();
    const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: NO_DOCKER_HOST };
    const orphan = await orphanAHungGateway(env);
    try {
      const { second } = await secondSupervisorWaitingFor(dir, orphan.pid);
      // The orphan wakes up, notices its supervisor is gone and leaves by itself.
      process.kill(orphan.pid, 'SIGCONT');
      await waitFor('the orphan to leave', () => !running(orphan.pid, orphan.identity));
      const started = await waitFor('the new supervisor’s own gateway', () => {
        const s = second.manager.status();
        return s.state === 'running' && s.pid !== orphan.pid ? s : null;
      });
      expect(second.manager.childPid()).toBe(started.pid);
    } finally {
      if (running(orphan.pid, orphan.identity)) process.kill(orphan.pid, 'SIGKILL');
    }
  });

  it('`clawdbot kill` kills a foreground gateway whose database record was lost', async () => {
    const dir = stateDir();
    const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: NO_DOCKER_HOST };
    const gateway = startCli(['gateway', 'run'], env);
    try {
      await gateway.waitForOutput(/gateway running \(pid (\d+)\)/);
      const pid = gateway.child.pid!;
      const db = openDatabase(dir);
      createRuntimeRepo(db).writeGateway(idleGatewayStatus, null);
      db.close();
      expect((await cliStatus(env)).gateway.pid).toBeNull();

      const report = await cliKill(env);
      expect(report.gateway.killedPids).toContain(pid);
      await waitFor(
        'the gateway to die',
        () => gateway.child.exitCode !== null || gateway.child.signalCode !== null,
      );
      // Killed by the switch, or (if it saw the engaged switch first) stopped itself with code 3.
      expect(
        gateway.child.signalCode === 'SIGKILL' ||
          gateway.child.exitCode === EXIT_KILL_SWITCH_ENGAGED,
      ).toBe(true);
    } finally {
      await gateway.stop();
    }
  });

  it('`clawdbot kill` kills a supervised gateway with neither a record nor a lock file (its environment marks it)', async () => {
    const dir = stateDir();
    const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: NO_DOCKER_HOST };
    const orphan = await orphanAHungGateway(env);
    try {
      const db = openDatabase(dir);
      createRuntimeRepo(db).writeGateway(idleGatewayStatus, null);
      db.close();
      rmSync(join(dir, 'gateways'), { recursive: true, force: true });

      const report = await cliKill(env);
      expect(report.gateway.killedPids).toContain(orphan.pid);
      await waitFor('the orphan to die', () => !running(orphan.pid, orphan.identity));
    } finally {
      if (running(orphan.pid, orphan.identity)) process.kill(orphan.pid, 'SIGKILL');
    }
  });

  it('never kills a process whose pid a stale lock file names, and removes the stale file', async () => {
    const dir = stateDir();
    const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: NO_DOCKER_HOST };
    // Create the state directory (and its database) the way any command does.
    await cliStatus(env);
    const bystander = spawn('sleep', ['100000'], { stdio: 'ignore' });
    try {
      const locks = join(dir, 'gateways');
      const lockFile = join(locks, `${bystander.pid}.json`);
      mkdirSync(locks, { recursive: true });
      // A gateway that died in a crash once had this pid; the pid now belongs to `sleep`.
      writeFileSync(
        lockFile,
        JSON.stringify({ pid: bystander.pid, identity: 'linux-start:1', startedAt: 1 }),
      );
      const report = await cliKill(env);
      expect(report.gateway.found).toBe(false);
      expect(bystander.exitCode).toBeNull();
      expect(bystander.signalCode).toBeNull();
      expect(running(bystander.pid!, processIdentity(bystander.pid!))).toBe(true);
      expect(existsSync(lockFile)).toBe(false);
      expect(readdirSync(locks)).toEqual([]);
    } finally {
      bystander.kill('SIGKILL');
    }
  });
});
