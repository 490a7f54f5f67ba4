import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeStorageStore } from '../../src-main/app/keychain-store.js';
import { createLogger } from '../../src-main/logging/logger.js';
import { telegramTokenKeychainFile } from '../../src-main/state-layout.js';
import { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import { FakeSafeStorage } from '../helpers/fake-electron.js';
import { useSupervisors, waitForState } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

/** The environment a process was started with, as the owner's host tools can read it. */
function environOf(pid: number): string {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').join('\n');
}

/**
 * The desktop app keeps a bot token pasted in the setup in the OS keychain (Electron's
 * `safeStorage`, here its typed fake), like the model key and through the same store; the real
 * gateway child receives it over its IPC channel, never through its environment, and connects.
 */
describe.skipIf(process.platform !== 'linux')('the Telegram bot token in the keychain', () => {
  const stateDirs = useTempStateDirs();
  const supervisors = useSupervisors();
  let api: FakeTelegramApi;

  beforeAll(async () => {
    api = await FakeTelegramApi.start({ username: 'clawd_keychain_bot' });
  });
  afterAll(async () => {
    await api?.close();
  });

  function setup() {
    const stateDir = stateDirs();
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const configPath = join(stateDir, 'clawdbot.json');
    writeFileSync(configPath, JSON.stringify({ telegram: { apiRoot: api.apiRoot } }));
    const env: NodeJS.ProcessEnv = { ...process.env, CLAWDBOT_CONFIG_PATH: '' };
    delete env['TELEGRAM_BOT_TOKEN'];
    const keychain = () =>
      createSafeStorageStore(
        new FakeSafeStorage(),
        telegramTokenKeychainFile(stateDir),
        'Telegram bot token',
        createLogger({ process: 'supervisor', level: 'warn' }),
      ) ?? undefined;
    return { stateDir, configPath, env, keychain };
  }

  const telegramConnected = (supervisor: ReturnType<typeof supervisors>) =>
    waitFor('Telegram connected in the gateway child', () =>
      supervisor.relay
        .providers()
        .find((s) => s.provider === 'telegram' && s.state === 'connected'),
    );

  it('is kept encrypted, reaches the running gateway over IPC, and again after a restart', async () => {
    const { stateDir, configPath, env, keychain } = setup();
    const supervisor = supervisors({ stateDir, env, telegramTokenStore: keychain() });
    expect(supervisor.setup.state().telegram).toMatchObject({
      storage: 'keychain',
      inKeychain: false,
    });
    await supervisor.startIfArmed();
    const { pid } = await waitForState(supervisor, 'running');
    expect(supervisor.relay.providers().find((s) => s.provider === 'telegram')?.state).toBe(
      'disabled',
    );

    expect(await supervisor.setup.saveTelegramToken(api.token)).toMatchObject({
      username: 'clawd_keychain_bot',
    });
    // Encrypted by the keychain; no plaintext copy, nothing in the config file.
    const sealed = telegramTokenKeychainFile(stateDir);
    expect(readFileSync(sealed, 'utf8')).not.toContain(api.token);
    expect(existsSync(join(stateDir, 'credentials', 'telegram-token'))).toBe(false);
    const config = readFileSync(configPath, 'utf8');
    expect(config).not.toContain(api.token);
    const telegram = (JSON.parse(config) as { telegram: Record<string, unknown> }).telegram;
    expect(telegram).toMatchObject({ enabled: true });
    expect(telegram['tokenFile']).toBeUndefined();
    expect(supervisor.setup.state().telegram.inKeychain).toBe(true);

    // The running gateway connects with it, without a restart, and it is not in its environment.
    await telegramConnected(supervisor);
    expect(supervisor.manager.status()).toMatchObject({ state: 'running', pid, restarts: 0 });
    expect(environOf(pid!).includes(api.token), 'the token in /proc/<pid>/environ').toBe(false);

    // The next start of the app reads it back from the keychain and hands it over again.
    await supervisor.close();
    const again = supervisors({ stateDir, env, telegramTokenStore: keychain() });
    await again.startIfArmed();
    const restarted = await waitForState(again, 'running');
    await telegramConnected(again);
    expect(environOf(restarted.pid!).includes(api.token)).toBe(false);
  });

  it('web mode (no keychain) keeps it in credentials/telegram-token (0600), named by the config', async () => {
    const { stateDir, configPath, env } = setup();
    const supervisor = supervisors({ stateDir, env });
    expect(supervisor.setup.state().telegram.storage).toBe('file');
    await supervisor.setup.saveTelegramToken(api.token);
    const file = join(stateDir, 'credentials', 'telegram-token');
    expect(readFileSync(file, 'utf8').trim()).toBe(api.token);
    expect(
      (JSON.parse(readFileSync(configPath, 'utf8')) as { telegram: { tokenFile?: string } })
        .telegram.tokenFile,
    ).toBe(file);
    expect(existsSync(telegramTokenKeychainFile(stateDir))).toBe(false);
  });
});
