import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeError } from '../../src-shared/errors/describe-error.js';
import type { Logger } from '../logging/logger.js';
import type { KeychainStore } from '../supervisor/keychain-store.js';

/** The part of Electron's `safeStorage` the keychain stores use. */
export interface SafeStoragePort {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store backs the encryption. */
  getSelectedStorageBackend(): string;
}

/**
 * One secret (the model key, the Telegram bot token) encrypted with the OS keychain
 * (`safeStorage`) in `file` (0600, its directory 0700). On Linux without a keyring,
 * `safeStorage` falls back to `basic_text`, a fixed well-known key: it still works, and the UI
 * and the audit say so. Null when the keychain cannot encrypt at all (then secrets come from the
 * environment or private files, as headless). `what` names the secret in the log.
 */
export function createSafeStorageStore(
  safeStorage: SafeStoragePort,
  file: string,
  what: string,
  log: Logger,
  platform: NodeJS.Platform = process.platform,
): KeychainStore | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    load() {
      let encrypted: Buffer;
      try {
        encrypted = readFileSync(file);
      } catch (error) {
        // No file is the usual case: nothing was saved (or it was cleared).
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          log.error(`reading the saved ${what} failed`, { error: describeError(error) });
        return null;
      }
      try {
        return safeStorage.decryptString(encrypted);
      } catch (error) {
        // Another keyring (a new login keychain, another user's file): the secret cannot be
        // recovered here, so the owner is shown none and must save it again.
        log.error(`the saved ${what} could not be decrypted`, { error: describeError(error) });
        return null;
      }
    },
    save(secret) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, safeStorage.encryptString(secret), { mode: 0o600 });
    },
    clear() {
      rmSync(file, { force: true });
    },
    plaintext: () =>
      platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text',
  };
}
