import type { InboundProvider } from '../../../src-shared/domain/providers.js';

/** Where inside a chat a message goes. */
export interface SendOptions {
  /** A forum topic (Telegram): replies stay in the topic the message came from. */
  threadId?: string;
}

/** A provider's way to send a text to a chat (DM peer or group). Providers register one. */
export interface OutboundChannel {
  provider: InboundProvider;
  /**
   * Sends one message. A failure should be a {@link SendFailure} saying whether trying again can
   * help and how long the platform asked to wait; anything else thrown counts as transient.
   */
  send(chatId: string, text: string, options?: SendOptions): Promise<void>;
  /** Shows "typing…" in a chat until the returned function is called; absent: never shown. */
  typing?(chatId: string): () => void;
}

/**
 * Why a send failed, by whether trying again can help: `transient` (the network, a flood wait,
 * the platform briefly unavailable) is retried with backoff, or after `retryAfterMs` when the
 * platform said how long to wait; `permanent` (the bot was blocked, no such chat, a text the
 * platform refuses) is given up at once.
 */
export class SendFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'transient' | 'permanent',
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'SendFailure';
  }
}
