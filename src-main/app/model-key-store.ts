import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { safeStorage } from 'electron';
import type { ModelKeyStore } from '../supervisor/model-admin.js';
import { credentialsDir, modelKeyFile } from '../state-layout.js';

/**
 * The model key encrypted with the OS keychain (`safeStorage`) in
 * `credentials/model-key.bin` (0600). On Linux without a keyring, `safeStorage` falls back to
 * `basic_text`, a fixed well-known key: it still works, and the UI and the audit say so.
 */
export function createSafeStorageKeyStore(stateDir: string): ModelKeyStore | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const dir = credentialsDir(stateDir);
  const file = modelKeyFile(stateDir);
  return {
    load() {
      try {
        return safeStorage.decryptString(readFileSync(file));
      } catch {
        return null;
      }
    },
    save(key) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(file, safeStorage.encryptString(key), { mode: 0o600 });
    },
    clear() {
      rmSync(file, { force: true });
    },
    plaintext: () =>
      process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text',
  };
}
