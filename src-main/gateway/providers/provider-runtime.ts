import type { Config } from '../../../src-shared/config/schema.js';
import type { ProviderStatus } from '../../../src-shared/domain/provider-status.js';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import type { Logger } from '../../logging/logger.js';
import type { SendOptions } from '../outbound/outbound-channel.js';

/** A status update from a provider; the manager stamps `provider` and `since`. */
export type ProviderReport = Partial<Pick<ProviderStatus, 'account' | 'qr' | 'lastError'>> & {
  state: ProviderStatus['state'];
};

/** What the gateway gives every provider. */
export interface ProviderHost {
  /**
   * Records raw inbound messages (Envelope-shaped objects) in the gateway's inbox, to be handled
   * from there. Resolves once they are durably recorded: only then may the provider tell its
   * platform they arrived (Telegram's offset). Rejects when they could not be recorded.
   */
  inbound(envelopes: readonly unknown[]): Promise<void>;
  /**
   * Reports a state change (connecting, qr, connected as …, error, logged out). A provider
   * reports `error` or `logged-out` only once it has stopped itself.
   */
  report(update: ProviderReport): void;
  log: Logger;
  stateDir: string;
  /** The bot token the desktop app keeps in the OS keychain, handed over by the supervisor. */
  keychainToken?: () => string | undefined;
  /**
   * Someone pressed a button under one of the bot's messages (Telegram's `callback_query`).
   * Resolves with the short answer to show them; identity is checked by the gateway, never here.
   */
  buttonPress?: (press: ButtonPress) => Promise<string>;
}

/** A button pressed under a message the bot sent. */
export interface ButtonPress {
  provider: MessagingProvider;
  /** Who pressed it (their platform id), whatever chat it was in. */
  fromId: string;
  data: string;
  chatId: string;
  messageId: string;
}

/** One row of buttons under a message: each a label and the data its press carries. */
export type ButtonRow = ReadonlyArray<{ label: string; data: string }>;

/**
 * A running messaging provider. It turns platform updates into envelopes for `host.inbound`,
 * and sends what the gateway asks it to. It never throws out of `start`: failures are reported
 * as an `error` state with the reason, so a bad token stops the provider instead of looping.
 */
export interface ProviderRuntime {
  readonly id: MessagingProvider;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Forgets the account (WhatsApp: unlink this device); a no-op where it means nothing. */
  logout(): Promise<void>;
  /** Sends one message; a failure is a `SendFailure` saying whether a retry can help. */
  send(chatId: string, text: string, options?: SendOptions): Promise<void>;
  /** Shows "typing…" in a chat until the returned function is called. */
  typing(chatId: string): () => void;
  /** Sends a message with buttons under it; resolves with its message id (where supported). */
  sendButtons?(chatId: string, text: string, rows: readonly ButtonRow[]): Promise<string>;
  /** Removes a message's buttons and shows `text` in their place. */
  clearButtons?(chatId: string, messageId: string, text: string): Promise<void>;
}

/** Builds a provider from the config, or says why it stays disabled. */
export type ProviderFactory = (
  config: Config,
  host: ProviderHost,
) => ProviderRuntime | { disabled: string };
