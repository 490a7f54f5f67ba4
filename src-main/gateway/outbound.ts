import type { InboundProvider } from '../../src-shared/domain/providers.js';

/** Where inside a chat a message goes. */
export interface SendOptions {
  /** A forum topic (Telegram): replies stay in the topic the message came from. */
  threadId?: string;
}

/** A provider's way to send a text to a chat (DM peer or group). Providers register one. */
export interface OutboundChannel {
  provider: InboundProvider;
  send(chatId: string, text: string, options?: SendOptions): Promise<void>;
}
