import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describeError } from '../../src-shared/errors/describe-error.js';
import type { Logger } from '../logging/logger.js';
import type { ModelKeyStore } from '../supervisor/model-admin.js';
import { credentialsDir, modelKeyFile } from '../state-layout.js';

/** The part of Electron's `safeStorage` the key store uses. */
export interface SafeStoragePort {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store backs the encryption. */
  getSelectedStorageBackend(): string;
}

/**
 * The model key encrypted with the OS keychain (`safeStorage`) in
 * `credentials/model-key.bin` (0600). On Linux without a keyring, `safeStorage` falls back to
 * `basic_text`, a fixed well-known key: it still works, and the UI and the audit say so. Null
 * when the keychain cannot encrypt at all (then keys come from the environment, as headless).
 */
export function createSafeStorageKeyStore(
  safeStorage: SafeStoragePort,
  stateDir: string,
  log: Logger,
  platform: NodeJS.Platform = process.platform,
): ModelKeyStore | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  const dir = credentialsDir(stateDir);
  const file = modelKeyFile(stateDir);
  return {
    load() {
      let encrypted: Buffer;
      try {
        encrypted = readFileSync(file);
      } catch (error) {
        // No file is the usual case: no key was saved (or it was cleared).
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          log.error('reading the saved model key failed', { error: describeError(error) });
        return null;
      }
      try {
        return safeStorage.decryptString(encrypted);
      } catch (error) {
        // Another keyring (a new login keychain, another user's file): the key cannot be
        // recovered here, so the owner is shown no key and must save it again.
        log.error('the saved model key could not be decrypted', { error: describeError(error) });
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
      platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text',
  };
}
