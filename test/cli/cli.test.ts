import { describe, expect, it } from 'vitest';
import { EXIT_KILL_SWITCH_ENGAGED } from '../../src-main/gateway/run-gateway.js';
import { isRunning } from '../../src-main/process/process-identity.js';
import { runCli, startCli } from '../helpers/cli.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

interface StatusJson {
  gateway: {
    state: string;
    pid: number | null;
    restarts: number;
    message: string | null;
    nextRestartAt: number | null;
  };
  killSwitch: { engaged: boolean; reason: string | null; engagedAt: number | null };
  supervisor: { running: boolean; pid: number | null };
}

describe('the clawdbot command', () => {
  const stateDir = useTempStateDirs();
  const envFor = (dir: string): NodeJS.ProcessEnv => ({
    CLAWDBOT_STATE_DIR: dir,
    DOCKER_HOST: NO_DOCKER_HOST,
  });
  const status = async (env: NodeJS.ProcessEnv): Promise<StatusJson> => {
    const result = await runCli(['status', '--json'], env);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as StatusJson;
  };

  it('prints --help for every command', async () => {
    const env = envFor(stateDir());
    for (const args of [
      [],
      ['status'],
      ['kill'],
      ['rearm'],
      ['gateway'],
      ['gateway', 'run'],
      ['gateway', 'start'],
      ['gateway', 'stop'],
      ['gateway', 'restart'],
      ['supervise'],
    ]) {
      const result = await runCli([...args, '--help'], env);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: clawdbot/);
    }
  });

  it('status --json on a fresh state directory: stopped, armed, no supervisor', async () => {
    expect(await status(envFor(stateDir()))).toMatchObject({
      gateway: { state: 'stopped', pid: null, restarts: 0 },
      killSwitch: { engaged: false, reason: null, engagedAt: null },
      supervisor: { running: false, pid: null },
    });
  });

  it('rejects bad arguments with a one-line reason and a non-zero exit', async () => {
    const env = envFor(stateDir());
    const port = await runCli(['supervise', '--port', 'eighty'], env);
    expect(port.code).not.toBe(0);
    expect(port.stderr).toMatch(/port number/);
    const unknown = await runCli(['explode'], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command 'explode'/);
    const start = await runCli(['gateway', 'start'], env);
    expect(start.code).toBe(1);
    expect(start.stderr.trim()).toMatch(/^clawdbot: no supervisor is running/);
    expect(start.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('kill from a second process while a supervisor runs: the gateway dies and is not restarted', async () => {
    const env = envFor(stateDir());
    const supervisor = startCli(['supervise'], env);
    try {
      const running = await waitFor('the supervised gateway', async () => {
        const s = await status(env);
        return s.gateway.state === 'running' ? s : null;
      });
      expect(running.supervisor.running).toBe(true);
      const gatewayPid = running.gateway.pid!;

      const kill = await runCli(['kill', '--reason', 'it messaged a stranger'], env);
      // No Docker here: the switch cannot confirm that no sandbox remains, and says so.
      expect(kill.code).toBe(2);
      expect(kill.stdout).toContain(`killed pid ${gatewayPid}`);
      expect(kill.stdout).toMatch(/sandboxes: MAY REMAIN — the Docker engine did not answer/);
      expect(kill.stderr.trim().split('\n')).toHaveLength(1);
      expect(kill.stderr).toMatch(
        /sandbox containers may remain .*the supervisor \(pid \d+\) keeps removing them/,
      );
      // Dead when the command returns: gone, or a zombie its supervisor has yet to reap.
      expect(isRunning(gatewayPid)).toBe(false);

      // The supervisor saw its gateway go and decided: stopped by the switch, no restart.
      await supervisor.waitForOutput(
        /"msg":"gateway stopped"[^\n]*"message":"killed by the kill switch"/,
      );
      const after = await status(env);
      expect(after.gateway).toMatchObject({ state: 'stopped', nextRestartAt: null });
      expect(after.killSwitch).toMatchObject({ engaged: true, reason: 'it messaged a stranger' });

      // The supervisor refuses to start it while engaged, and says how to re-arm.
      const refused = await runCli(['gateway', 'start'], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/kill switch is engaged.*clawdbot rearm/);

      // Re-arming does not start anything; `gateway start` (through the supervisor) does.
      expect((await runCli(['rearm'], env)).code).toBe(0);
      // The supervisor has seen the re-arm (it logs it once it has acted on it).
      await supervisor.waitForOutput(/"msg":"kill switch re-armed"/);
      expect((await status(env)).gateway).toMatchObject({ state: 'stopped', nextRestartAt: null });
      const started = await runCli(['gateway', 'start'], env);
      expect(started.code).toBe(0);
      const again = await waitFor('the restarted gateway', async () => {
        const s = await status(env);
        return s.gateway.state === 'running' ? s : null;
      });
      expect(again.gateway.pid).not.toBe(gatewayPid);
    } finally {
      await supervisor.stop();
    }
  });

  it('keeps the switch engaged across a supervisor restart: the new supervisor starts nothing', async () => {
    const env = envFor(stateDir());
    expect((await runCli(['kill', '--wait', '0'], env)).code).toBe(2);
    const supervisor = startCli(['supervise'], env);
    try {
      // Printed once the host is up, after its one decision whether to start the gateway.
      await supervisor.waitForOutput(/gateway not started: the kill switch is engaged/);
      const s = await status(env);
      expect(s.supervisor.running).toBe(true);
      expect(s.gateway).toMatchObject({ state: 'stopped', nextRestartAt: null });
      expect(s.killSwitch.engaged).toBe(true);
    } finally {
      await supervisor.stop();
    }
  });

  it('gateway run refuses while engaged, naming the switch and how to re-arm', async () => {
    const env = envFor(stateDir());
    await runCli(['kill', '--reason', 'drill', '--wait', '0'], env);
    const run = await runCli(['gateway', 'run'], env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/kill switch is engaged.*drill.*clawdbot rearm/);
  });

  it('gateway run in the foreground is found and killed by `clawdbot kill` with no supervisor', async () => {
    const env = envFor(stateDir());
    const gateway = startCli(['gateway', 'run'], env);
    try {
      await gateway.waitForOutput(/gateway running \(pid (\d+)\)/);
      const s = await status(env);
      expect(s.gateway).toMatchObject({ state: 'running', pid: gateway.child.pid });
      expect(s.supervisor.running).toBe(false);
      // A second foreground gateway is refused while the first runs.
      const second = await runCli(['gateway', 'run'], env);
      expect(second.code).not.toBe(0);
      expect(second.stderr).toMatch(/another gateway is already running/);

      const kill = await runCli(['kill', '--wait', '0'], env);
      expect(kill.code).toBe(2);
      expect(kill.stderr).toMatch(/may remain .*nothing is retrying now/);
      await waitFor(
        'the foreground gateway to die',
        () => gateway.child.exitCode !== null || gateway.child.signalCode !== null,
      );
      // Killed by the switch, or (if it saw the engaged switch first) stopped itself with code 3.
      expect(
        gateway.child.signalCode === 'SIGKILL' ||
          gateway.child.exitCode === EXIT_KILL_SWITCH_ENGAGED,
      ).toBe(true);
      expect((await status(env)).gateway.state).toBe('stopped');
    } finally {
      await gateway.stop();
    }
  });

  it('one gateway at a time: a supervisor does not start a second one beside a foreground gateway', async () => {
    const env = envFor(stateDir());
    const foreground = startCli(['gateway', 'run'], env);
    await foreground.waitForOutput(/gateway running \(pid (\d+)\)/);
    const supervisor = startCli(['supervise'], env);
    try {
      await waitFor('the supervisor', async () => (await status(env)).supervisor.running);
      // The supervisor found the foreground gateway and decided to wait for it.
      await supervisor.waitForOutput(
        new RegExp(
          `waiting for a gateway running in the foreground \\(pid ${foreground.child.pid}\\)`,
        ),
      );
      // Still the foreground gateway, and no second gateway process was started.
      expect((await status(env)).gateway.pid).toBe(foreground.child.pid);
      // The foreground one refuses to be joined by another while the supervisor runs, too.
      const another = await runCli(['gateway', 'run'], env);
      expect(another.code).not.toBe(0);

      // When it goes, the supervisor takes over.
      await foreground.stop();
      const taken = await waitFor('the supervised gateway', async () => {
        const s = await status(env);
        return s.gateway.state === 'running' && s.gateway.pid !== foreground.child.pid ? s : null;
      });
      expect(taken.supervisor.running).toBe(true);
    } finally {
      await foreground.stop();
      await supervisor.stop();
    }
  });

  it('a second supervisor on the same state directory is refused', async () => {
    const env = envFor(stateDir());
    const first = startCli(['supervise'], env);
    try {
      await waitFor('the first supervisor', async () => (await status(env)).supervisor.running);
      const second = await runCli(['supervise'], env);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/another supervisor is already running/);
    } finally {
      await first.stop();
    }
  });

  it('supervise --web prints the URL with a fresh token each time, and warns when bound beyond loopback', async () => {
    const env = envFor(stateDir());
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const web = startCli(['supervise', '--web', '--port', '0'], env);
      try {
        const match = await web.waitForOutput(
          /Web UI: http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{32,})/,
        );
        tokens.push(match[2]!);
      } finally {
        await web.stop();
      }
    }
    expect(tokens[0]).not.toBe(tokens[1]);
    const wide = startCli(['supervise', '--web', '--host', '0.0.0.0', '--port', '0'], env);
    try {
      await wide.waitForOutput(/Web UI: /);
      expect(wide.output()).toMatch(/WARNING: the web UI is bound to 0\.0\.0\.0/);
    } finally {
      await wide.stop();
    }
  });
});
