import { addProcessSecrets } from '../logging/redact.js';

/** How long a supervised gateway's first use of a secret waits for the supervisor's answer. */
const ANSWER_WAIT_MS = 5000;

/** Where the gateway finds a secret the desktop app keeps in the OS keychain. */
export interface KeychainSecretSource {
  /** The secret, if one was handed over (and not cleared since). */
  current(): string | undefined;
  /**
   * Resolves once the supervisor has answered the gateway's keychain request, so a message that
   * arrives during start-up is not answered "no key" while the key is on its way. At once when
   * there is no supervisor to ask; at most a few seconds in any case.
   */
  settled(): Promise<void>;
}

/**
 * Holds one of the keychain's secrets (the model key, the Telegram bot token) inside the
 * gateway: it arrives over the supervisor's IPC channel (never in the environment), may arrive
 * after start-up or change at any time, and is added to the process's secrets the moment it is
 * known, so no log line or event can carry it.
 */
export class KeychainSecret implements KeychainSecretSource {
  private key: string | undefined;
  private answered = false;
  private readonly waiters: (() => void)[] = [];

  /** @param supervised Whether a supervisor will answer; a foreground gateway has none. */
  constructor(supervised: boolean) {
    this.answered = !supervised;
  }

  /** The supervisor's answer or update: the secret, or null for none. */
  set(key: string | null): void {
    if (key !== null) addProcessSecrets([key]);
    this.key = key ?? undefined;
    this.answered = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  current(): string | undefined {
    return this.key;
  }

  settled(): Promise<void> {
    if (this.answered) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ANSWER_WAIT_MS);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
