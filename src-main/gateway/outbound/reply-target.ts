import type { Envelope } from '../../../src-shared/domain/envelope.js';

/** Where a reply to a message goes: its chat, and its forum topic. */
export function replyTarget(envelope: Envelope): {
  provider: Envelope['provider'];
  chatId: string;
  threadId?: string;
} {
  return {
    provider: envelope.provider,
    chatId: envelope.chatId,
    ...(envelope.threadId ? { threadId: envelope.threadId } : {}),
  };
}
