import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logFileForDay } from '../../src-main/logging/log-paths.js';
import { runCli, startCli } from '../helpers/cli.js';

/** `clawdbot logs` against real files, with the clock pinned through the test-only clock file. */
let dir: string;
let pattern: string;
let clockFile: string;
let env: NodeJS.ProcessEnv;

const day1 = new Date(2025, 2, 3, 12);
const day2 = new Date(2025, 2, 4, 12);
const day3 = new Date(2025, 2, 5, 12);

function entry(time: Date, level: string, msg: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    time: time.toISOString(),
    level,
    process: 'gateway',
    scope: 'telegram',
    msg,
    ...extra,
  });
}
const write = (date: Date, lines: string[]): string => {
  const path = logFileForDay(pattern, date);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
};
const setClock = (at: Date): void => writeFileSync(clockFile, at.toISOString());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clawdbot-logs-cli-'));
  pattern = join(dir, 'logs', 'bot-YYYY-MM-DD.log');
  mkdirSync(join(dir, 'logs'));
  clockFile = join(dir, 'clock');
  setClock(new Date(2025, 2, 4, 18));
  env = {
    CLAWDBOT_STATE_DIR: join(dir, 'state'),
    CLAWDBOT_LOG_FILE: pattern,
    CLAWDBOT_TEST_CLOCK_FILE: clockFile,
  };
  write(day1, [entry(new Date(2025, 2, 3, 23), 'info', 'yesterday late')]);
  write(day2, [
    entry(new Date(2025, 2, 4, 9), 'debug', 'noise'),
    entry(new Date(2025, 2, 4, 10), 'info', 'started', { port: 8080, name: 'two words' }),
    '{"time":"2025-03-04T1',
    entry(new Date(2025, 2, 4, 17), 'error', 'went wrong'),
  ]);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('clawdbot logs', () => {
  it("prints today's lines in human form, malformed lines as written", async () => {
    const result = await runCli(['logs'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      `${new Date(2025, 2, 4, 10).toISOString()} INFO  gateway/telegram started port=8080 name="two words"`,
    );
    expect(lines[2]).toBe('{"time":"2025-03-04T1');
  });

  it('filters by minimum level, prints JSON, and reads back across days with --since', async () => {
    const warn = await runCli(['logs', '--level', 'warn', '--json'], env);
    expect(
      warn.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { malformed: true, raw: '{"time":"2025-03-04T1' },
      JSON.parse(entry(new Date(2025, 2, 4, 17), 'error', 'went wrong')),
    ]);
    const since = await runCli(['logs', '--since', '1d', '--level', 'info'], env);
    expect(since.stdout).toContain('yesterday late');
    expect(since.stdout).toContain('went wrong');
    expect(since.stdout).not.toContain('noise');
    const iso = await runCli(['logs', '--since', new Date(2025, 2, 4, 12).toISOString()], env);
    expect(iso.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(iso.stdout).toContain('went wrong');
  });

  it('rejects a bad --since or --level in one line naming the value', async () => {
    const bad = await runCli(['logs', '--since', 'last tuesday'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('"last tuesday"');
    const level = await runCli(['logs', '--level', 'loud'], env);
    expect(level.code).not.toBe(0);
    expect(level.stderr).toContain('loud');
  });

  it('reads logging.file from the config when the environment does not override it', async () => {
    const fromConfig = join(dir, 'cfg', 'x.log');
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(
      join(dir, 'state', 'clawdbot.json'),
      JSON.stringify({ logging: { file: fromConfig } }),
    );
    mkdirSync(join(dir, 'cfg'));
    writeFileSync(logFileForDay(fromConfig, day2), `${entry(day2, 'warn', 'from config')}\n`);
    const result = await runCli(['logs'], { ...env, CLAWDBOT_LOG_FILE: '' });
    expect(result.stdout).toContain('from config');
  });

  it('reads where the last good config sends the logs while the file is broken, as the writers do', async () => {
    const fromConfig = join(dir, 'cfg', 'x.log');
    const configFile = join(dir, 'state', 'clawdbot.json');
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(configFile, JSON.stringify({ logging: { file: fromConfig } }));
    mkdirSync(join(dir, 'cfg'));
    writeFileSync(
      logFileForDay(fromConfig, day2),
      `${entry(day2, 'warn', 'kept by the gateway')}\n`,
    );
    const fromFile = { ...env, CLAWDBOT_LOG_FILE: '' };
    // Any process that reads the valid file keeps it as the last good config.
    expect((await runCli(['status'], fromFile)).code).toBe(0);
    writeFileSync(configFile, '{ logging: { level: "loud" } }');
    const result = await runCli(['logs'], fromFile);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kept by the gateway');
  });

  it('follows appended lines, switches to the new day at midnight, and exits 0 on SIGTERM', async () => {
    const follow = startCli(['logs', '--follow'], env);
    try {
      await follow.waitForOutput(/went wrong/);
      appendFileSync(
        logFileForDay(pattern, day2),
        `${entry(new Date(2025, 2, 4, 23), 'info', 'before midnight')}\n`,
      );
      await follow.waitForOutput(/before midnight/);
      // Midnight passes, and the new day's file appears: the follower moves on at whichever it
      // sees first (each rule alone is tested in log-reader.test.ts); here, that it does.
      setClock(new Date(2025, 2, 5, 0, 0, 5));
      write(day3, [entry(new Date(2025, 2, 5, 0, 0, 6), 'info', 'after midnight')]);
      await follow.waitForOutput(/after midnight/);
      appendFileSync(
        logFileForDay(pattern, day3),
        `${entry(new Date(2025, 2, 5, 1), 'info', 'next day goes on')}\n`,
      );
      await follow.waitForOutput(/next day goes on/);
    } finally {
      await follow.stop();
    }
    expect(follow.child.exitCode).toBe(0);
    expect(follow.output().match(/went wrong/g)).toHaveLength(1);
  });
});
