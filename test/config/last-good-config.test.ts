import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import { runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { readLogRecords } from '../helpers/log-files.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';
import { openWebUi } from '../helpers/web-ui.js';
import { chromiumMissing, requireBrowser } from '../helpers/browser.js';

interface StatusJson {
  gateway: { state: string; pid: number | null };
  config: {
    path: string;
    state: 'valid' | 'last-good' | 'rejected';
    errors: string[];
    lastGoodAt: number | null;
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cliStatus(env: NodeJS.ProcessEnv): Promise<StatusJson> {
  const result = await runCli(['status', '--json'], env);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

function supervise(env: NodeJS.ProcessEnv): CliProcess {
  const supervisor = startCli(['supervise'], env);
  cleanups.push(() => supervisor.stop());
  return supervisor;
}

describe('a config file that is broken when the gateway starts', () => {
  const stateDir = useTempStateDirs();

  /** A state directory whose config polls the fake Bot API and logs to a file of its own. */
  async function plant(): Promise<{
    dir: string;
    env: NodeJS.ProcessEnv;
    api: FakeTelegramApi;
    logDir: string;
    configPath: string;
  }> {
    const api = await FakeTelegramApi.start();
    cleanups.push(() => api.close());
    const dir = stateDir();
    mkdirSync(dir, { recursive: true });
    const logDir = join(dir, '..', 'configured-logs');
    const configPath = join(dir, 'clawdbot.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        telegram: { botToken: api.token, apiRoot: api.apiRoot },
        logging: { file: join(logDir, 'clawdbot-YYYY-MM-DD.log') },
      }),
    );
    const env = { CLAWDBOT_STATE_DIR: dir, DOCKER_HOST: NO_DOCKER_HOST, CLAWDBOT_LOG_FILE: '' };
    return { dir, env, api, logDir, configPath };
  }

  /** Cuts the file in half, as an editor or a sync tool caught mid-write leaves it. */
  function truncate(configPath: string): void {
    const text = readFileSync(configPath, 'utf8');
    writeFileSync(configPath, text.slice(0, Math.floor(text.length / 2)));
  }

  it('starts on the last good config from SQLite, keeps polling, and status, log and CLI say so', async () => {
    const { env, api, logDir, configPath } = await plant();
    const first = supervise(env);
    await waitFor('the first gateway to poll', () => api.count('getUpdates') > 0);
    expect((await cliStatus(env)).config).toMatchObject({ state: 'valid', errors: [] });
    await first.stop();

    truncate(configPath);
    const polled = api.count('getUpdates');
    supervise(env);
    await waitFor('the restarted gateway to poll again', () => api.count('getUpdates') > polled);
    const status = await cliStatus(env);
    expect(status.gateway.state).toBe('running');
    expect(status.config.state).toBe('last-good');
    expect(status.config.path).toBe(configPath);
    expect(status.config.errors.join('\n')).toMatch(/clawdbot\.json: JSON5: invalid end of input/);
    expect(status.config.lastGoodAt).toBeLessThan(Date.now());

    const human = await runCli(['status'], env);
    expect(human.stdout).toMatch(/config: +REJECTED — running on the last good config from /);

    // The line is in the configured log file, which only the last good config names.
    const line = await waitFor('the gateway’s log line', () =>
      readLogRecords(logDir).find(
        (r) => r['process'] === 'gateway' && /config rejected/.test(String(r['msg'])),
      ),
    );
    expect(line['msg']).toMatch(/running on the last good config/);
    expect(JSON.stringify(line['errors'])).toMatch(/invalid end of input/);
  });

  it('with no good config ever seen, it starts nothing on safe defaults and status says rejected', async () => {
    const { env, api, configPath } = await plant();
    truncate(configPath);
    supervise(env);
    const status = await waitFor('the gateway', async () => {
      const s = await cliStatus(env);
      return s.gateway.state === 'running' ? s : null;
    });
    expect(status.config).toMatchObject({ state: 'rejected', lastGoodAt: null });
    expect(status.config.errors).not.toEqual([]);
    expect(api.count('getUpdates')).toBe(0);
  });

  it.skipIf(chromiumMissing && !requireBrowser)(
    'the UI says the gateway runs on the last good config, on every view and on the gateway card',
    { tags: ['browser'] },
    async () => {
      const { dir, env, api, configPath } = await plant();
      const pageErrors: string[] = [];
      const good = await openWebUi({ stateDir: dir, env: { ...process.env, ...env } }, pageErrors);
      cleanups.push(() => good.browser.close());
      cleanups.push(() => good.supervisor.close());
      await waitFor('the gateway to poll', () => api.count('getUpdates') > 0);
      expect(await good.page.getByTestId('config-errors').count()).toBe(0);
      // The page first: a page left open would see its supervisor go and try to reconnect.
      await good.browser.close();
      await good.supervisor.close();

      truncate(configPath);
      const broken = await openWebUi(
        { stateDir: dir, env: { ...process.env, ...env } },
        pageErrors,
      );
      cleanups.push(() => broken.browser.close());
      cleanups.push(() => broken.supervisor.close());
      const banner = broken.page.getByTestId('config-errors');
      await banner.waitFor({ state: 'visible' });
      expect(await banner.textContent()).toMatch(/running on the last good config from/);
      expect(await banner.getByTestId('config-error').allTextContents()).toContainEqual(
        expect.stringContaining('invalid end of input'),
      );
      const card = broken.page.getByTestId('gateway-config');
      await card.waitFor({ state: 'visible' });
      expect(await card.textContent()).toMatch(/last good config/);
      expect(pageErrors).toEqual([]);
    },
  );
});
