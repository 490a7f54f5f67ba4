import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UsageReport } from '../../src-shared/domain/usage.js';
import { writeConfig } from '../helpers/gateway-harness.js';
import { runCli } from '../helpers/cli.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

/** `clawdbot usage` on its own: no gateway, an empty or a broken state, bad arguments. */
describe('clawdbot usage', () => {
  const newStateDir = useTempStateDirs();
  const envFor = (stateDir: string): NodeJS.ProcessEnv => {
    const clock = join(dirname(stateDir), 'clock');
    writeFileSync(clock, new Date(2031, 5, 1, 9, 30).toISOString());
    return {
      CLAWDBOT_STATE_DIR: stateDir,
      CLAWDBOT_CONFIG_PATH: '',
      CLAWDBOT_TEST_CLOCK_FILE: clock,
    };
  };

  it('shows an empty day against the configured limits, with no gateway running', async () => {
    const stateDir = newStateDir();
    writeConfig(stateDir, { limits: { dailyTokens: 1_000_000, sender: { burst: 3 } } });
    const json = await runCli(['usage', '--json'], envFor(stateDir));
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as UsageReport;
    expect(report).toMatchObject({
      day: '2031-06-01',
      resetsAt: new Date(2031, 5, 2).getTime(),
      total: { tokens: 0, modelCalls: 0, dailyTokens: 1_000_000, exhausted: false },
      senders: [],
      sessions: [],
    });
    expect(report.limits.sender).toEqual({ messagesPerMinute: 20, burst: 3, dailyTokens: 200_000 });

    const human = await runCli(['usage'], envFor(stateDir));
    expect(human.stdout).toContain(
      'Today (2031-06-01); budgets reset at local midnight, in 14 h 30 min',
    );
    expect(human.stdout).toContain('everyone: 0 of 1,000,000 tokens');
    expect(human.stdout).toContain('No messages today.');
    expect(human.stdout).toContain(
      'each sender 20 messages a minute (3 at once), 200,000 tokens a day',
    );
  });

  it('says so when the config is broken, and shows the default limits', async () => {
    const stateDir = newStateDir();
    writeConfig(stateDir, { limits: { sender: { burst: 0 } } });
    const result = await runCli(['usage', '--json'], envFor(stateDir));
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'warning: the config file is invalid (limits.sender.burst: must be a whole number of messages from 1 to 1,000); showing the default limits',
    ]);
    expect((JSON.parse(result.stdout) as UsageReport).limits.sender.burst).toBe(5);
  });

  it('shows the last good config’s limits, as the gateway runs on them, while the file is broken', async () => {
    const stateDir = newStateDir();
    writeConfig(stateDir, { limits: { maxQueuedPerSession: 4, sender: { burst: 3 } } });
    // Any process that reads the valid file keeps it as the last good config.
    expect((await runCli(['status'], envFor(stateDir))).code).toBe(0);
    writeConfig(stateDir, { limits: { sender: { burst: 0 } } });
    const result = await runCli(['usage', '--json'], envFor(stateDir));
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^warning: the config file is invalid \(limits\.sender\.burst: must be a whole number of messages from 1 to 1,000\); showing the limits of the last good config \(from \d{4}-\d\d-\d\dT[\d:.]+Z\)$/,
      ),
    ]);
    const { limits } = JSON.parse(result.stdout) as UsageReport;
    expect(limits).toMatchObject({ maxQueuedPerSession: 4, sender: { burst: 3 } });
  });

  it('rejects an unknown option in one line', async () => {
    const result = await runCli(['usage', '--today'], envFor(newStateDir()));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("unknown option '--today'");
  });
});
