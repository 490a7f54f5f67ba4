import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSafeStorageKeyStore } from '../../src-main/app/model-key-store.js';
import { createLogger } from '../../src-main/logging/logger.js';
import { FakeSafeStorage } from '../helpers/fake-electron.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const KEY = 'sk-ant-keychain-5f1e0c9a';

function setup(stateDir: string, platform: NodeJS.Platform = 'linux') {
  const safeStorage = new FakeSafeStorage();
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({
    process: 'supervisor',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const store = createSafeStorageKeyStore(safeStorage, stateDir, log, platform);
  return {
    safeStorage,
    store: store!,
    lines,
    file: join(stateDir, 'credentials', 'model-key.bin'),
  };
}

describe('the keychain model key store', () => {
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
      createSafeStorageKeyStore(safeStorage, stateDir(), createLogger({ process: 'supervisor' })),
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
