import { AppError } from '../../src-shared/domain/app-error.js';
import { addProcessSecrets } from '../logging/redact.js';

/**
 * A place to keep one secret outside the config file: the desktop app's `safeStorage` (OS
 * keychain). Headless mode has none; its secrets come from the environment or private files.
 */
export interface KeychainStore {
  load(): string | null;
  save(secret: string): void;
  clear(): void;
  /** Linux's `basic_text` backend only obfuscates: the UI and the audit warn about it. */
  plaintext(): boolean;
}

/**
 * One keychain secret as the supervisor holds it: loaded once, a secret of this process from
 * the moment it is known (no log line or event carries it), saved or cleared by the owner, and
 * handed on (`onChange`) to the gateway over its IPC channel, never through its environment.
 * Without a store (headless) nothing can be saved here.
 */
export class KeychainSlot {
  private value: string | null;

  constructor(
    private readonly store: KeychainStore | null,
    /** What the owner is told is missing when there is no keychain. */
    private readonly unavailable: string,
    private readonly onChange: () => void = () => undefined,
  ) {
    this.value = store?.load() || null;
    if (this.value) addProcessSecrets([this.value]);
  }

  /** Whether this process has a keychain to keep the secret in. */
  available(): boolean {
    return this.store !== null;
  }

  /** Linux's `basic_text` backend: the secret is only obfuscated. */
  plaintext(): boolean {
    return this.store?.plaintext() ?? false;
  }

  /** The secret, for the gateway's IPC channel and the doctor only; null when none is stored. */
  current(): string | null {
    return this.value;
  }

  save(secret: string): void {
    if (!this.store) throw new AppError('UNAVAILABLE', this.unavailable);
    addProcessSecrets([secret]);
    this.store.save(secret);
    this.value = secret;
    this.onChange();
  }

  clear(): void {
    this.store?.clear();
    this.value = null;
    this.onChange();
  }
}
