import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GatewayStatus } from '../../src-shared/domain/gateway.js';
import { isAlive } from '../../src-main/process/process-identity.js';
import { createRuntimeRepo } from '../../src-main/store/runtime-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { fixturesDir } from '../helpers/paths.js';
import { recordingTimers } from '../helpers/recording-timers.js';
import { fastPolicy, useSupervisors, waitForState } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

describe('the supervisor with a real gateway process', () => {
  const stateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();

  it('starts the gateway, waits for ready, and records pid and state in SQLite', async () => {
    const dir = stateDir();
    const supervisor = openSupervisor({ stateDir: dir });
    supervisor.startGateway();
    const running = await waitForState(supervisor, 'running');
    expect(running.pid).toBeGreaterThan(0);
    expect(isAlive(running.pid!)).toBe(true);
    expect(running.readyAt).not.toBeNull();
    // A second process (the CLI) reading the same database sees the same gateway.
    const db = openDatabase(dir);
    expect(createRuntimeRepo(db).readGateway().status).toMatchObject({
      state: 'running',
      pid: running.pid,
    });
    db.close();
  });

  it('restarts a gateway killed with SIGKILL, counting the restart', async () => {
    const supervisor = openSupervisor({ stateDir: stateDir(), policy: fastPolicy });
    supervisor.startGateway();
    const first = await waitForState(supervisor, 'running');
    process.kill(first.pid!, 'SIGKILL');
    const second = await waitFor('a new gateway process', () => {
      const s = supervisor.manager.status();
      return s.state === 'running' && s.pid !== first.pid ? s : null;
    });
    expect(second.restarts).toBe(1);
    expect(second.lastExit).toMatchObject({ signal: 'SIGKILL' });
  });

  it('ends crashed after 5 crashes on start, with the exit code and the stderr tail', async () => {
    const timers = recordingTimers();
    const supervisor = openSupervisor({
      stateDir: stateDir(),
      policy: fastPolicy,
      entry: join(fixturesDir, 'crashing-gateway.mjs'),
      timers,
    });
    const states: GatewayStatus['state'][] = [];
    supervisor.manager.onChange((s) => states.push(s.state));
    supervisor.startGateway();
    const crashed = await waitForState(supervisor, 'crashed');
    expect(crashed.restarts).toBe(4);
    expect(crashed.lastExit).toMatchObject({ code: 7, signal: null });
    expect(crashed.lastExit?.stderrTail).toContain('fixture crash');
    expect(crashed.message).toMatch(/gave up after 5 crashes/);
    // It really stopped trying: nothing is scheduled that could start it again.
    expect(timers.pending()).toBe(0);
    expect(supervisor.manager.status()).toMatchObject({ state: 'crashed', nextRestartAt: null });
    expect(states.filter((s) => s === 'starting').length).toBeGreaterThanOrEqual(5);
  });

  it('kills and restarts a gateway that stops heart-beating', async () => {
    const supervisor = openSupervisor({
      stateDir: stateDir(),
      policy: fastPolicy,
      heartbeatTimeoutMs: 400,
      entry: join(fixturesDir, 'silent-gateway.mjs'),
    });
    supervisor.startGateway();
    const first = await waitForState(supervisor, 'running');
    await waitFor('the hung gateway to be killed', () => !isAlive(first.pid!));
    const next = await waitFor('a restart', () => {
      const s = supervisor.manager.status();
      return s.pid !== null && s.pid !== first.pid ? s : null;
    });
    expect(next.restarts).toBe(1);
    expect(supervisor.manager.status().lastExit?.signal).toBe('SIGKILL');
  });

  it('stops gracefully with a shutdown message (no restart, exit code 0)', async () => {
    const supervisor = openSupervisor({ stateDir: stateDir() });
    supervisor.startGateway();
    const running = await waitForState(supervisor, 'running');
    const stopped = await supervisor.stopGateway();
    expect(stopped.state).toBe('stopped');
    expect(stopped.lastExit).toMatchObject({ code: 0, signal: null });
    expect(isAlive(running.pid!)).toBe(false);
  });

  it('SIGKILLs a gateway that ignores shutdown once the grace period ends', async () => {
    const supervisor = openSupervisor({
      stateDir: stateDir(),
      stopGraceMs: 300,
      entry: join(fixturesDir, 'stubborn-gateway.mjs'),
    });
    supervisor.startGateway();
    const running = await waitForState(supervisor, 'running');
    const stopped = await supervisor.stopGateway();
    expect(stopped).toMatchObject({ state: 'stopped', lastExit: { signal: 'SIGKILL' } });
    expect(isAlive(running.pid!)).toBe(false);
  });

  it('restart gives a new process and resets the crash count', async () => {
    const supervisor = openSupervisor({ stateDir: stateDir() });
    supervisor.startGateway();
    const first = await waitForState(supervisor, 'running');
    await supervisor.restartGateway();
    const second = await waitFor('the restarted gateway', () => {
      const s = supervisor.manager.status();
      return s.state === 'running' && s.pid !== first.pid ? s : null;
    });
    expect(second.restarts).toBe(0);
    expect(isAlive(first.pid!)).toBe(false);
  });
});
