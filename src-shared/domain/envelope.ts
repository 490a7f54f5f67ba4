import { z } from 'zod';
import { InboundProviderSchema } from './providers.js';

/**
 * One inbound message, normalised by its provider. This is all the access pipeline sees: it is
 * validated when a provider builds it, so a malformed platform update never reaches a decision.
 */
export const EnvelopeSchema = z.object({
  provider: InboundProviderSchema,
  /**
   * The platform's id of the message, unique per provider (Telegram: its update's id; WhatsApp:
   * the message key's id). The inbox records a message once per id, so one handed
   * out twice is answered once. Absent (the console): every message is new.
   */
  messageId: z.string().min(1).max(256).optional(),
  chatKind: z.enum(['dm', 'group']),
  /** The DM peer or the group id, normalised (E.164 for WhatsApp DMs). */
  chatId: z.string().min(1),
  /** A forum topic inside a group (Telegram), part of the group's session key. */
  threadId: z.string().min(1).optional(),
  senderId: z.string().min(1),
  senderName: z.string().optional(),
  /** The sender's public handle, as the platform gives it (Telegram: `@username`). */
  senderHandle: z.string().optional(),
  text: z.string(),
  /**
   * Native mentions in the message (Telegram `mention`/`text_mention` entities, WhatsApp
   * `mentionedJid`). When there are some and none is the bot, a mention-pattern match does not
   * count: the message is addressed to someone else.
   */
  mentions: z.array(z.string()).default([]),
  /** The provider saw a native mention of the bot (entity, mentionedJid) or a reply to it. */
  mentionsBot: z.boolean().default(false),
  /** The provider vouches this is the owner's own account (WhatsApp self-chat). */
  fromOwnerAccount: z.boolean().default(false),
  timestamp: z.number(),
  /** History or catch-up from before the provider connected: never answered. */
  isHistory: z.boolean().default(false),
});

/** One inbound message, normalised. */
export type Envelope = z.infer<typeof EnvelopeSchema>;
