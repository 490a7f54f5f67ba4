import type { InboundProvider } from '../../src-shared/domain/providers.js';

/** A provider's way to send a text to a chat (DM peer or group). Providers register one. */
export interface OutboundChannel {
  provider: InboundProvider;
  send(chatId: string, text: string): Promise<void>;
}
