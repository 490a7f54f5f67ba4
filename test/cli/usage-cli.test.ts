import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UsageReport } from '../../src-shared/domain/usage.js';
import type { UsageHistory } from '../../src-shared/domain/usage-history.js';
import { createAllowlistNotesRepo } from '../../src-main/store/allowlist-notes-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createUsageRepo } from '../../src-main/store/usage-repo.js';
import { writeConfig } from '../helpers/gateway-harness.js';
import { runCli } from '../helpers/cli.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

/** The CLI's environment: this state, no config path, the clock at 2031-06-01 09:30 local. */
function envFor(stateDir: string): NodeJS.ProcessEnv {
  const clock = join(dirname(stateDir), 'clock');
  writeFileSync(clock, new Date(2031, 5, 1, 9, 30).toISOString());
  return {
    CLAWDBOT_STATE_DIR: stateDir,
    CLAWDBOT_CONFIG_PATH: '',
    CLAWDBOT_TEST_CLOCK_FILE: clock,
  };
}

/** `clawdbot usage` on its own: no gateway, an empty or a broken state, bad arguments. */
describe('clawdbot usage', () => {
  const newStateDir = useTempStateDirs();

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

/** `clawdbot usage --days N`: the last N local days per day, sender and session. */
describe('clawdbot usage --days', () => {
  const newStateDir = useTempStateDirs();

  /** Ann (labelled "Sister" in the allowlist) over her budget today, the owner a month ago. */
  function seeded(): string {
    const stateDir = newStateDir();
    writeConfig(stateDir, {
      telegram: { allowFrom: ['1'] },
      limits: { sender: { dailyTokens: 1_000 } },
    });
    const db = openDatabase(stateDir);
    const usage = createUsageRepo(db);
    const call = (day: string, sender: string, sessionKey: string, tokens: number) =>
      usage.recordModelCall(
        {
          day,
          sender,
          senderName: sender === 'owner' ? null : 'Ann',
          owner: sender === 'owner',
          sessionKey,
        },
        { inputTokens: tokens - 100, outputTokens: 100, estimated: false },
      );
    call('2031-06-01', 'telegram:1', 'dm:telegram:1', 1_200);
    call('2031-05-03', 'owner', 'main', 500);
    call('2031-05-02', 'telegram:1', 'dm:telegram:1', 9_999); // 31 days ago: outside
    createAllowlistNotesRepo(db).label('telegram', 'dm', '1', 'Sister', Date.now());
    db.close();
    return stateDir;
  }

  it('prints 30 days as JSON: every day, each sender with the allowlist’s label', async () => {
    const result = await runCli(['usage', '--days', '30', '--json'], envFor(seeded()));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const history = JSON.parse(result.stdout) as UsageHistory;
    expect(history).toMatchObject({ days: 30, from: '2031-05-03', to: '2031-06-01' });
    expect(history.perDay).toHaveLength(30);
    expect(history.perDay[0]).toMatchObject({ day: '2031-05-03', tokens: 500 });
    expect(history.perDay[29]).toMatchObject({ day: '2031-06-01', tokens: 1_200 });
    expect(history.total.tokens).toBe(1_700);
    expect(history.senders).toEqual([
      expect.objectContaining({
        sender: 'telegram:1',
        label: 'Sister',
        name: 'Ann',
        tokens: 1_200,
        dailyTokens: 1_000,
        daysAtBudget: 1,
        exhausted: true,
      }),
      expect.objectContaining({ sender: 'owner', tokens: 500, dailyTokens: null }),
    ]);
  });

  it('prints the days, senders and sessions for a person to read', async () => {
    const result = await runCli(['usage', '--days', '30'], envFor(seeded()));
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(
      'Last 30 days (2031-05-03 to 2031-06-01); budgets are daily and reset at local midnight',
    );
    expect(lines[1]).toBe(
      'everyone: 1,700 tokens, 2 model calls, 0 tool calls, 0 messages (0 dropped by limits); busiest day 1,200 (no budget)',
    );
    expect(lines).toContainEqual(expect.stringMatching(/^2031-05-03 +500 +1 +0 +0 +0$/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^Sister, Ann \(telegram:1\) +1,200 +1,200 of 1,000 \(1 day at budget\) USED UP today +1 +0 +0$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^you \(owner\) +500 +500 \(no budget\) /));
    expect(lines).toContainEqual(expect.stringMatching(/^dm:telegram:1 +1,200 +1,200 of 1,000/));
  });

  it('prints today alone with --days 1', async () => {
    const result = await runCli(['usage', '--days', '1'], envFor(seeded()));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Today (2031-06-01); budgets are daily');
    expect(result.stdout).not.toContain('you (owner)');
  });

  it('rejects a number of days it does not keep, in one line naming the option', async () => {
    for (const days of ['0', '91', 'x', '2.5']) {
      const result = await runCli(['usage', '--days', days], envFor(newStateDir()));
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim()).toBe(
        `clawdbot: option '--days <n>' argument '${days}' is invalid. expected a whole number from 1 to 90 (see \`clawdbot usage --help\`)`,
      );
    }
  });
});
