import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig, ConfigSchema } from '../../src-shared/config/schema.js';
import { logFileForDay } from '../../src-main/logging/log-paths.js';
import { resolveLogDestination } from '../../src-main/logging/log-destination.js';
import { pruneLogFiles } from '../../src-main/logging/log-retention.js';
import {
  LOG_FILE_ENV,
  startProcessLogging,
  type ProcessLogging,
} from '../../src-main/logging/process-logging.js';
import { setProcessSecrets } from '../../src-main/logging/redact.js';
import { ConfigService } from '../../src-main/config/config-service.js';
import { resolveConfigPath } from '../../src-main/state-layout.js';
import { readAllLogText, readLogRecords } from '../helpers/log-files.js';

const dirs: string[] = [];
const running: ProcessLogging[] = [];
afterEach(() => {
  for (const logging of running.splice(0)) logging.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  setProcessSecrets([]);
});

/** A state dir with `config` as its config file, and a log pattern in a fresh directory. */
function setup(config: unknown = {}): { stateDir: string; logDir: string; pattern: string } {
  const root = mkdtempSync(join(tmpdir(), 'clawdbot-log-'));
  dirs.push(root);
  const stateDir = join(root, 'state');
  mkdirSync(stateDir);
  writeFileSync(join(stateDir, 'clawdbot.json'), JSON.stringify(config));
  const logDir = join(root, 'logs');
  return { stateDir, logDir, pattern: join(logDir, 'clawdbot-YYYY-MM-DD.log') };
}

function start(
  stateDir: string,
  pattern: string,
  extra: Partial<Parameters<typeof startProcessLogging>[0]> = {},
): { logging: ProcessLogging; echoed: string[] } {
  const echoed: string[] = [];
  const env = { [LOG_FILE_ENV]: pattern };
  const logging = startProcessLogging({
    process: 'gateway',
    stateDir,
    env,
    config: new ConfigService(resolveConfigPath(stateDir, env)),
    write: (line) => echoed.push(line),
    ...extra,
  });
  running.push(logging);
  return { logging, echoed };
}

describe('process logging', () => {
  it('writes JSON lines {time, level, process, scope, msg, …fields} to the day file and stderr', () => {
    const { stateDir, logDir, pattern } = setup();
    const at = new Date(2030, 4, 6, 12, 0, 0);
    const { logging, echoed } = start(stateDir, pattern, { now: () => at });
    logging.log.info('hello', { n: 1, level: 'fake' });
    logging.log.child('providers').warn('careful');
    const file = logFileForDay(pattern, at);
    expect(file.endsWith('clawdbot-2030-05-06.log')).toBe(true);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        time: at.toISOString(),
        level: 'info',
        process: 'gateway',
        scope: 'main',
        msg: 'hello',
        n: 1,
      },
      {
        time: at.toISOString(),
        level: 'warn',
        process: 'gateway',
        scope: 'providers',
        msg: 'careful',
      },
    ]);
    expect(echoed).toEqual(lines);
    expect(readLogRecords(logDir)).toHaveLength(2);
  });

  it('filters by logging.level and follows a level change', () => {
    const { stateDir, logDir, pattern } = setup({ logging: { level: 'warn' } });
    const { logging } = start(stateDir, pattern);
    logging.log.info('dropped');
    logging.log.error('kept');
    const path = join(stateDir, 'clawdbot.json');
    logging.apply({
      config: ConfigSchema.parse({ logging: { level: 'debug' } }),
      path,
      source: 'file',
      lastGoodAt: null,
      errors: null,
    });
    logging.log.debug('now kept');
    expect(readLogRecords(logDir).map((r) => r['msg'])).toEqual(['kept', 'now kept']);
  });

  it('writes the next line after midnight to the next day file', () => {
    const { stateDir, pattern } = setup();
    let now = new Date(2030, 0, 31, 23, 59, 59, 900);
    const { logging } = start(stateDir, pattern, { now: () => now });
    logging.log.info('before');
    now = new Date(2030, 1, 1, 0, 0, 0, 100);
    logging.log.info('after');
    const before = readFileSync(logFileForDay(pattern, new Date(2030, 0, 31)), 'utf8');
    const after = readFileSync(logFileForDay(pattern, new Date(2030, 1, 1)), 'utf8');
    expect(before).toContain('"before"');
    expect(before).not.toContain('"after"');
    expect(after).toContain('"after"');
  });

  it('creates the directory 0700 and files 0600, tightening looser ones', () => {
    const { stateDir, logDir, pattern } = setup();
    const at = new Date(2030, 4, 6);
    mkdirSync(logDir, { mode: 0o755 });
    chmodSync(logDir, 0o755);
    const file = logFileForDay(pattern, at);
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const { logging } = start(stateDir, pattern, { now: () => at });
    logging.log.info('x');
    expect(statSync(logDir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // A fresh directory and a fresh day's file are created private too.
    const { stateDir: s2, logDir: d2, pattern: p2 } = setup();
    start(s2, p2, { now: () => at }).logging.log.info('y');
    expect(statSync(d2).mode & 0o777).toBe(0o700);
    expect(statSync(logFileForDay(p2, at)).mode & 0o777).toBe(0o600);
  });

  it('removes files older than keepDays on start and keeps the rest', () => {
    const { stateDir, logDir, pattern } = setup({ logging: { keepDays: 3 } });
    mkdirSync(logDir, { recursive: true });
    const now = new Date(2030, 4, 10, 9, 0);
    const day = (d: number): string => logFileForDay(pattern, new Date(2030, 4, d));
    for (const d of [1, 6, 7, 8, 9, 10]) writeFileSync(day(d), '{}\n');
    writeFileSync(join(logDir, 'unrelated.txt'), 'keep me');
    start(stateDir, pattern, { now: () => now });
    expect([1, 6, 7, 8, 9, 10].map((d) => existsSync(day(d)))).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect(existsSync(join(logDir, 'unrelated.txt'))).toBe(true);
    // The same rule when called on its own (the daily run).
    expect(pruneLogFiles(pattern, 1, now)).toEqual([day(7), day(8)]);
  });

  it('redacts configured secrets, env keys and token shapes in messages and fields', () => {
    const canary = 'canary-config-token-4c1d';
    const { stateDir, logDir, pattern } = setup({ telegram: { botToken: canary } });
    const envKey = 'sk-ant-env-canary-0123456789';
    const { logging, echoed } = start(stateDir, pattern, {
      env: {
        [LOG_FILE_ENV]: pattern,
        ANTHROPIC_API_KEY: envKey,
        OPENAI_API_KEY: 'plainenvkey-777',
      },
    });
    logging.log.error(`request to /bot${canary}/getMe failed`, {
      error: new Error(`key ${envKey} rejected`),
      nested: { list: ['plainenvkey-777', 'Bearer abcdefghijkl'] },
      creds: { advSecretKey: 'adv-secret', noiseKey: { private: 'p' } },
      tg: '987654321:AAbbccddeeffgghhiijjkkllmmnnooppqq',
    });
    const text = readAllLogText(logDir) + echoed.join('\n');
    for (const secret of [
      canary,
      envKey,
      'plainenvkey-777',
      'abcdefghijkl',
      'adv-secret',
      'AAbbcc',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });

  it('picks up a new secret from a config edit, even an edit that is rejected', () => {
    const { stateDir, logDir, pattern } = setup();
    const { logging } = start(stateDir, pattern);
    const path = join(stateDir, 'clawdbot.json');
    writeFileSync(path, JSON.stringify({ telegram: { botToken: 'edited-token-5678' }, bogus: 1 }));
    logging.apply({
      config: defaultConfig,
      path,
      errors: ['bogus: unknown key'],
      source: 'defaults',
      lastGoodAt: null,
    });
    logging.log.info('token edited-token-5678 in a message');
    expect(readAllLogText(logDir)).not.toContain('edited-token-5678');
  });

  it('with redactSensitive false writes secrets as they are (only there)', () => {
    const canary = 'canary-config-token-4c1d';
    const { stateDir, logDir, pattern } = setup({
      telegram: { botToken: canary },
      logging: { redactSensitive: false },
    });
    const { logging } = start(stateDir, pattern);
    logging.log.info(`token ${canary}`);
    expect(readAllLogText(logDir)).toContain(canary);
  });

  it('refuses a directory that is a symlink: lines go under the state directory, said once, and nothing reaches the target', () => {
    const { stateDir, logDir, pattern } = setup();
    const target = join(dirname(stateDir), 'elsewhere');
    mkdirSync(target);
    symlinkSync(target, logDir);
    const notices: string[] = [];
    const at = new Date(2030, 4, 6, 12);
    const { logging } = start(stateDir, pattern, { now: () => at, notice: (l) => notices.push(l) });
    logging.log.info('first');
    logging.log.info('second');
    expect(readdirSync(target)).toEqual([]);
    const fallback = join(stateDir, 'logs', 'clawdbot-2030-05-06.log');
    const lines = readFileSync(fallback, 'utf8');
    expect(lines).toContain('"first"');
    expect(lines).toContain('"second"');
    expect(statSync(join(stateDir, 'logs')).mode & 0o777).toBe(0o700);
    expect(notices).toEqual([
      `not logging to ${logFileForDay(pattern, at)}: ${logDir} is a symbolic link, which could lead our logs anywhere; logging to ${fallback} instead`,
    ]);
  });

  it('says so loudly when not even the fallback can be written', () => {
    const { stateDir, logDir, pattern } = setup();
    writeFileSync(logDir, 'not a directory');
    writeFileSync(join(stateDir, 'logs'), 'not a directory either');
    const notices: string[] = [];
    const { logging } = start(stateDir, pattern, { notice: (l) => notices.push(l) });
    logging.log.error('lost');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^NO LOG IS BEING WRITTEN: .*is not a directory; and the fallback failed too: .*logs is not a directory$/,
    );
  });

  it('looking (status, the audit, readers) creates nothing; writing creates the directory 0700', () => {
    const { stateDir, logDir, pattern } = setup();
    expect(resolveLogDestination(pattern, stateDir, { prepare: false })).toEqual({
      pattern,
      fallback: null,
      error: null,
    });
    expect(existsSync(logDir)).toBe(false);
    resolveLogDestination(pattern, stateDir, { prepare: true });
    expect(statSync(logDir).mode & 0o777).toBe(0o700);
  });
});
