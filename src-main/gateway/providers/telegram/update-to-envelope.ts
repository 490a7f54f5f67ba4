import type { Message, MessageEntity } from 'grammy/types';
import type { Envelope } from '../../../../src-shared/domain/envelope.js';

/**
 * Messages dated this long before the provider (re)connected are history: never answered. The
 * slack keeps what someone sent while the connection was coming back, and absorbs clock skew.
 */
export const HISTORY_SLACK_MS = 30_000;

/** Who the bot is, as `getMe` said. */
export interface BotIdentity {
  id: number;
  username: string;
}

/**
 * The inbox key of an update: its `update_id`, which Telegram documents as the way to recognise
 * an update handed out again. Zero-padded, so keys sort as the ids grow and each new one lands at
 * the end of the inbox's index (a random key there costs every message a random index insert).
 */
export function updateKey(updateId: number): string {
  return String(updateId).padStart(15, '0');
}

/**
 * Turns one Telegram message (of update `updateId`) into an inbound envelope, or `null` for what
 * the gateway ignores:
 * messages from bots (including anonymous group admins, who appear as a bot), messages sent on
 * behalf of a channel or chat, channel posts, and anything without text or a caption (service
 * messages such as joins, stickers, bare photos). The core validates the result. `liveSince` is
 * when the provider last connected or recovered from a polling outage (see `LiveSince`).
 */
export function messageToEnvelope(
  message: Message,
  updateId: number,
  bot: BotIdentity,
  liveSince: number,
): Envelope | null {
  const from = message.from;
  if (!from || from.is_bot || message.sender_chat) return null;
  const text = message.text ?? message.caption;
  if (text === undefined) return null;
  const chat = message.chat;
  if (chat.type === 'channel') return null;
  const entities = message.entities ?? message.caption_entities ?? [];
  const mentions = mentionedIds(text, entities);
  const timestamp = message.date * 1000;
  const isGroup = chat.type === 'group' || chat.type === 'supergroup';
  const threadId =
    chat.type === 'supergroup' &&
    chat.is_forum &&
    message.is_topic_message &&
    message.message_thread_id !== undefined
      ? String(message.message_thread_id)
      : undefined;
  const senderName = displayName(from.first_name, from.last_name, from.username);
  return {
    provider: 'telegram',
    messageId: updateKey(updateId),
    chatKind: isGroup ? 'group' : 'dm',
    // A DM's chat id is the user's id; groups are addressed by the (negative) chat id.
    chatId: isGroup ? String(chat.id) : String(from.id),
    ...(threadId ? { threadId } : {}),
    senderId: String(from.id),
    ...(senderName ? { senderName } : {}),
    ...(from.username ? { senderHandle: `@${from.username}` } : {}),
    text,
    mentions,
    mentionsBot: mentionsBot(message, text, entities, bot),
    fromOwnerAccount: false,
    timestamp,
    isHistory: timestamp < liveSince - HISTORY_SLACK_MS,
  };
}

/** `@username` mentions (as written) and the ids of users mentioned without a username. */
function mentionedIds(text: string, entities: readonly MessageEntity[]): string[] {
  const ids: string[] = [];
  for (const entity of entities) {
    if (entity.type === 'mention') ids.push(entitySlice(text, entity));
    else if (entity.type === 'text_mention') ids.push(String(entity.user.id));
  }
  return ids;
}

function mentionsBot(
  message: Message,
  text: string,
  entities: readonly MessageEntity[],
  bot: BotIdentity,
): boolean {
  const handle = `@${bot.username}`.toLowerCase();
  for (const entity of entities) {
    if (entity.type === 'mention' && entitySlice(text, entity).toLowerCase() === handle) {
      return true;
    }
    if (entity.type === 'text_mention' && entity.user.id === bot.id) return true;
    // `/help@clawd_bot` is addressed to this bot by name.
    if (entity.type === 'bot_command' && entitySlice(text, entity).toLowerCase().endsWith(handle)) {
      return true;
    }
  }
  const reply = message.reply_to_message;
  // In a forum topic every message "replies" to the topic's first message; that is not a reply
  // to the bot even when the bot opened the topic.
  const isTopicRoot =
    message.is_topic_message === true && reply?.message_id === message.message_thread_id;
  return reply?.from?.id === bot.id && !isTopicRoot;
}

/** Entity offsets and lengths count UTF-16 code units, which is what `slice` counts too. */
function entitySlice(text: string, entity: MessageEntity): string {
  return text.slice(entity.offset, entity.offset + entity.length);
}

function displayName(first: string, last?: string, username?: string): string | undefined {
  const name = [first, last].filter(Boolean).join(' ').trim();
  return name || username || undefined;
}
