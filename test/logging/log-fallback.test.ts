import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UI_TIMEOUT_MS,
  chromiumMissing,
  launchChromium,
  openWatchedPage,
  requireBrowser,
} from '../helpers/browser.js';
import { runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { readLogRecords } from '../helpers/log-files.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

/** The uid `nobody` has on Debian: another user, who must not get our logs. */
const NOBODY = 65534;

/**
 * A log directory someone else owns, as another user of the machine would leave
 * `/tmp/clawdbot` for us: created and handed to `nobody` when the tests run as root, or else a
 * system directory that root owns (which is then "someone else" too).
 */
function foreignDirectory(root: string): string {
  if (process.getuid?.() !== 0) return '/usr';
  const dir = join(root, 'shared-tmp', 'clawdbot');
  mkdirSync(dir, { recursive: true, mode: 0o777 });
  chownSync(dir, NOBODY, NOBODY);
  return dir;
}

/**
 * `logging.file` pointing into a directory that belongs to another user: the writers refuse it
 * (correct), and instead of logging nothing they log under `$CLAWDBOT_STATE_DIR/logs/` and say
 * so — on stderr, in `status --json`, in the UI, in the security audit — with the real
 * supervisor, its gateway child, the CLI and the dashboard in Chromium.
 */
describe('logs when the configured directory belongs to someone else', () => {
  let root: string;
  let stateDir: string;
  let foreign: string;
  let env: NodeJS.ProcessEnv;
  let supervisor: CliProcess;
  let webUrl: string;
  const today = (): string => dayStamp(new Date());
  const fallbackDir = (): string => join(stateDir, 'logs');

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-logfallback-'));
    stateDir = join(root, 'state');
    mkdirSync(stateDir, { mode: 0o700 });
    foreign = foreignDirectory(root);
    writeFileSync(
      join(stateDir, 'clawdbot.json'),
      JSON.stringify({ logging: { file: join(foreign, 'clawdbot-fallback-test-YYYY-MM-DD.log') } }),
    );
    // No CLAWDBOT_LOG_FILE: the config decides, as on a user's machine.
    env = { CLAWDBOT_STATE_DIR: stateDir, DOCKER_HOST: NO_DOCKER_HOST, CLAWDBOT_LOG_FILE: '' };
    supervisor = startCli(['supervise', '--web', '--port', '0'], env);
    webUrl = (await supervisor.waitForOutput(/Web UI: (\S+)/, 30_000))[1] ?? '';
    await waitFor(
      'the gateway to be running',
      async () => {
        const status = await runCli(['status', '--json'], env);
        return (JSON.parse(status.stdout) as { gateway: { state: string } }).gateway.state ===
          'running'
          ? true
          : null;
      },
      30_000,
    );
  });

  afterAll(async () => {
    await supervisor?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('writes nothing there, and the supervisor and the gateway log under the state directory instead', async () => {
    const records = await waitFor('lines from both processes', () => {
      const found = readLogRecords(fallbackDir());
      const processes = new Set(found.map((r) => r['process']));
      return processes.has('supervisor') && processes.has('gateway') ? found : null;
    });
    expect(readdirSync(fallbackDir())).toEqual([`clawdbot-fallback-test-${today()}.log`]);
    expect(records.find((r) => r['msg'] === 'supervisor started')).toBeTruthy();
    // Each process records in the trail itself where it went and why.
    const moved = records.filter((r) => r['msg'] === 'logs are not where configured');
    expect(new Set(moved.map((r) => r['process']))).toEqual(new Set(['supervisor', 'gateway']));
    expect(moved[0]).toMatchObject({
      level: 'warn',
      configured: join(foreign, `clawdbot-fallback-test-${today()}.log`),
      reason: expect.stringMatching(/belongs to another user/) as unknown,
    });
    expect(existsSync(join(foreign, `clawdbot-fallback-test-${today()}.log`))).toBe(false);
  });

  it('says so on stderr, from the supervisor and from its gateway', async () => {
    const notice = new RegExp(
      `clawdbot: not logging to ${join(foreign, 'clawdbot-fallback-test-')}\\S+: ${foreign} belongs to another user \\(uid \\d+\\), who could read or swap our logs; logging to ${join(stateDir, 'logs', 'clawdbot-fallback-test-')}\\S+ instead`,
      'g',
    );
    await waitFor('both notices', () => (supervisor.output().match(notice)?.length ?? 0) >= 2);
  });

  it('status shows where the logs go and why, in --json and in words', async () => {
    const json = await runCli(['status', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      logging: {
        file: join(fallbackDir(), `clawdbot-fallback-test-${today()}.log`),
        fallback: {
          configured: join(foreign, `clawdbot-fallback-test-${today()}.log`),
          reason: expect.stringMatching(/belongs to another user/) as unknown,
        },
        error: null,
      },
    });
    const words = await runCli(['status'], env);
    expect(words.stdout).toContain(
      `logs:        ${join(fallbackDir(), 'clawdbot-fallback-test-')}`,
    );
    expect(words.stdout).toMatch(/not \S+: \S+ belongs to another user/);
  });

  it('clawdbot logs reads the fallback, saying why', async () => {
    const result = await runCli(['logs', '--json'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('supervisor started');
    expect(result.stderr).toMatch(/clawdbot: not logging to \S+: .* belongs to another user/);
  });

  it('the security audit reports it', async () => {
    const result = await runCli(['security', 'audit', '--json'], env);
    const { findings } = JSON.parse(result.stdout) as { findings: Record<string, unknown>[] };
    expect(findings).toContainEqual(
      expect.objectContaining({
        id: 'logging.fallback',
        severity: 'medium',
        path: foreign,
        meaning: expect.stringMatching(/belongs to another user/) as unknown,
      }),
    );
  });

  describe.skipIf(chromiumMissing && !requireBrowser)(
    'the dashboard',
    { tags: ['browser'] },
    () => {
      let browser: Browser;
      beforeAll(async () => {
        browser = await launchChromium();
      });
      afterAll(async () => {
        await browser?.close();
      });

      it('shows where the logs went and why, and the Logs view reads them', async () => {
        const errors: string[] = [];
        const page = await openWatchedPage(browser, errors);
        await page.goto(webUrl);
        const banner = page.getByTestId('log-fallback');
        await banner.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
        expect(await banner.textContent()).toMatch(/belongs to another user/);
        expect(await page.getByTestId('log-fallback-file').textContent()).toBe(
          join(fallbackDir(), `clawdbot-fallback-test-${today()}.log`),
        );
        await page.getByTestId('nav-logs').click();
        await expect
          .poll(() => page.getByTestId('log-list').textContent(), { timeout: UI_TIMEOUT_MS })
          .toContain('supervisor started');
        expect(errors).toEqual([]);
      });
    },
  );
});
