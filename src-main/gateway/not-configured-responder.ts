import type { Delivery } from './inbound/delivery.js';

/** What a sender is told while no model is configured. */
export const NOT_CONFIGURED_TEXT =
  'The assistant is not configured yet, so it cannot answer. Its owner has been told.';

/** What the owner is told in the console: the same fact, addressed to the person who can act on it. */
export const NOT_CONFIGURED_OWNER_TEXT =
  'No model is configured yet, so the assistant cannot answer. Your message reached the main session; nothing else happened.';

/**
 * The session step until an agent exists: one short reply per session per quiet period, so a
 * friend who writes ten messages gets one answer, not ten. The owner's console always answers:
 * silence there would look like a broken app.
 */
export function createNotConfiguredResponder(options: {
  reply: (delivery: Delivery, text: string) => Promise<unknown>;
  onDelivered: (delivery: Delivery) => void;
  quietMs?: number;
  now?: () => number;
}): (delivery: Delivery) => Promise<void> {
  const lastReply = new Map<string, number>();
  const quietMs = options.quietMs ?? 60_000;
  const now = options.now ?? Date.now;
  return async (delivery) => {
    options.onDelivered(delivery);
    if (delivery.envelope.provider === 'console') {
      await options.reply(delivery, NOT_CONFIGURED_OWNER_TEXT);
      return;
    }
    const at = now();
    const previous = lastReply.get(delivery.sessionKey);
    if (previous !== undefined && at - previous < quietMs) return;
    lastReply.set(delivery.sessionKey, at);
    await options.reply(delivery, NOT_CONFIGURED_TEXT);
  };
}
