import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSafeStorageStore } from '../../src-main/app/keychain-store.js';
import { modelKeyFile, telegramTokenKeychainFile } from '../../src-main/state-layout.js';
import { createLogger } from '../../src-main/logging/logger.js';
import { FakeSafeStorage } from '../helpers/fake-electron.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const KEY = 'sk-ant-keychain-5f1e0c9a';
const TOKEN = '123456789:AAkeychainTokenForTests_0123456789';

function setup(
  stateDir: string,
  platform: NodeJS.Platform = 'linux',
  file = modelKeyFile(stateDir),
  what = 'model key',
) {
  const safeStorage = new FakeSafeStorage();
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    process: 'supervisor',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const store = createSafeStorageStore(safeStorage, file, what, log, platform);
  return { safeStorage, store: store!, lines, file };
}

describe('the keychain store of the model key and the Telegram bot token', () => {
  const stateDir = useTempStateDirs();

  it('keeps the key encrypted in credentials/model-key.bin (0600, directory 0700), and back', () => {
    const dir = stateDir();
    const { store, file } = setup(dir);
    expect(store.load()).toBeNull();
    store.save(KEY);
    expect(readFileSync(file, 'utf8')).not.toContain(KEY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'credentials')).mode & 0o777).toBe(0o700);
    expect(store.load()).toBe(KEY);
    // Another store on the same keychain (the next start) reads it too.
    expect(setup(dir).store.load()).toBe(KEY);
    store.clear();
    expect(existsSync(file)).toBe(false);
    expect(store.load()).toBeNull();
  });

  it('no keychain at all: no store, so keys come from the environment', () => {
    const safeStorage = new FakeSafeStorage();
    safeStorage.available = false;
    expect(
      createSafeStorageStore(
        safeStorage,
        modelKeyFile(stateDir()),
        'model key',
        createLogger({ process: 'supervisor' }),
      ),
    ).toBeNull();
  });

  it('a key this keychain cannot decrypt reads as none, and says so in the log', () => {
    const dir = stateDir();
    const { store, file, lines } = setup(dir);
    mkdirSync(join(dir, 'credentials'), { recursive: true });
    writeFileSync(file, 'sealed by another keyring');
    expect(store.load()).toBeNull();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'the saved model key could not be decrypted',
        error: 'Error while decrypting the ciphertext',
      }),
    ]);
  });

  it('keeps the Telegram bot token the same way, in a file of its own', () => {
    const dir = stateDir();
    const model = setup(dir);
    const telegram = setup(dir, 'linux', telegramTokenKeychainFile(dir), 'Telegram bot token');
    expect(telegram.file).toBe(join(dir, 'credentials', 'telegram-token.bin'));
    model.store.save(KEY);
    telegram.store.save(TOKEN);
    expect(readFileSync(telegram.file, 'utf8')).not.toContain(TOKEN);
    expect(statSync(telegram.file).mode & 0o777).toBe(0o600);
    expect(telegram.store.load()).toBe(TOKEN);
    // One does not touch the other.
    telegram.store.clear();
    expect(telegram.store.load()).toBeNull();
    expect(model.store.load()).toBe(KEY);
    // Its failures name it.
    writeFileSync(telegram.file, 'sealed by another keyring');
    expect(telegram.store.load()).toBeNull();
    expect(telegram.lines).toEqual([
      expect.objectContaining({ msg: 'the saved Telegram bot token could not be decrypted' }),
    ]);
  });

  it("is plaintext only on Linux's basic_text backend", () => {
    const linux = setup(stateDir(), 'linux');
    expect(linux.store.plaintext()).toBe(false);
    linux.safeStorage.backend = 'basic_text';
    expect(linux.store.plaintext()).toBe(true);
    const mac = setup(stateDir(), 'darwin');
    mac.safeStorage.backend = 'basic_text';
    expect(mac.store.plaintext()).toBe(false);
  });
});
