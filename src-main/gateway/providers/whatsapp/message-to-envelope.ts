import {
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isLidUser,
  isPnUser,
  jidDecode,
  jidNormalizedUser,
  normalizeMessageContent,
  type MessageUpsertType,
  type WAMessage,
  type proto,
} from '@whiskeysockets/baileys';
import type { Envelope } from '../../../../src-shared/domain/envelope.js';

/** Messages older than this before the connection opened are catch-up, never answered. */
export const CATCH_UP_WINDOW_MS = 30_000;

/** Who the linked account is: `sock.user` once open. */
export interface OwnAccount {
  /** The phone-number jid, possibly with a device (`15550001111:3@s.whatsapp.net`). */
  id: string;
  /** The account's LID (`…@lid`), which Baileys 7 uses in many chats. */
  lid?: string | null;
}

/** What the converter needs besides the message. */
export interface ConversionContext {
  /** `messages.upsert`'s `type`: `notify` is live, `append` is history and catch-up. */
  upsertType: MessageUpsertType;
  me: OwnAccount;
  /** When the connection opened (ms), or null while it is not open. */
  connectedAt: number | null;
  /** Ids of messages this process sent, so our own replies in the self-chat are not inbound. */
  sentByUs: (messageId: string) => boolean;
  /** Looks up the phone-number jid of a LID (Baileys' LID mapping store), if known. */
  pnForLid?: (lid: string) => Promise<string | null>;
  now: () => number;
}

/** Why a message is not handed to the gateway. */
export type IgnoreReason =
  'no-chat' | 'broadcast' | 'newsletter' | 'own-message' | 'no-sender' | 'no-text';

/** An envelope for the access pipeline, or why there is none. */
export type Conversion = { envelope: Envelope } | { ignored: IgnoreReason };

/**
 * Turns one Baileys message into an Envelope: E.164 ids, text from plain, extended and caption
 * messages, mentions from `contextInfo`, and the history flag. Status broadcasts, channels,
 * reactions, protocol messages and the bot's own messages are ignored — except what the owner
 * writes in their own self-chat, which is the owner talking to the assistant.
 */
export async function messageToEnvelope(
  message: WAMessage,
  context: ConversionContext,
): Promise<Conversion> {
  const { key } = message;
  const remoteJid = key.remoteJid;
  if (!remoteJid) return { ignored: 'no-chat' };
  if (isJidBroadcast(remoteJid)) return { ignored: 'broadcast' };
  if (isJidNewsletter(remoteJid)) return { ignored: 'newsletter' };

  const group = isJidGroup(remoteJid) === true;
  const selfChat = !group && (isOwn(remoteJid, context.me) || isOwn(key.remoteJidAlt, context.me));
  if (key.fromMe && (!selfChat || (key.id && context.sentByUs(key.id))))
    return { ignored: 'own-message' };

  const content = normalizeMessageContent(message.message);
  const text = textOf(content);
  if (!text) return { ignored: 'no-text' };

  let senderId: string | null;
  if (selfChat) senderId = e164(context.me.id);
  else if (group) senderId = await userId(key.participant, key.participantAlt, context);
  else senderId = await userId(remoteJid, key.remoteJidAlt, context);
  if (!senderId) return { ignored: 'no-sender' };

  const contextInfo = contextInfoOf(content);
  const mentionedJids = contextInfo?.mentionedJid ?? [];
  const timestamp = timestampMs(message.messageTimestamp) ?? context.now();
  const envelope: Envelope = {
    provider: 'whatsapp',
    // Random per message (Baileys' 3EB0… ids): the same message delivered again has the same id.
    ...(key.id ? { messageId: key.id } : {}),
    chatKind: group ? 'group' : 'dm',
    chatId: group ? jidNormalizedUser(remoteJid) : senderId,
    senderId,
    ...(message.pushName ? { senderName: message.pushName } : {}),
    text,
    mentions: mentionedJids.map((jid) => e164(jid) ?? jidNormalizedUser(jid)),
    mentionsBot:
      mentionedJids.some((jid) => isOwn(jid, context.me)) ||
      isOwn(contextInfo?.participant ?? undefined, context.me),
    fromOwnerAccount: selfChat,
    timestamp,
    isHistory:
      context.upsertType !== 'notify' ||
      context.connectedAt === null ||
      timestamp < context.connectedAt - CATCH_UP_WINDOW_MS,
  };
  return { envelope };
}

/** `+<digits>` for a phone-number jid (`15550001111:3@s.whatsapp.net` → `+15550001111`). */
export function e164(jid: string | null | undefined): string | null {
  if (!jid || !isPnUser(jidNormalizedUser(jid))) return null;
  const user = jidDecode(jid)?.user;
  return user && /^\d+$/.test(user) ? `+${user}` : null;
}

/** The jid to send to for a chat id: E.164 → `<digits>@s.whatsapp.net`; a jid stays as it is. */
export function chatIdToJid(chatId: string): string {
  if (chatId.includes('@')) return chatId;
  const digits = chatId.replace(/\D/g, '');
  if (digits.length === 0) throw new Error(`not a WhatsApp chat id: ${chatId}`);
  return `${digits}@s.whatsapp.net`;
}

/**
 * Whether a jid is the linked account itself (its phone number or its LID). Compares user and
 * server, unlike Baileys' `areJidsSameUser`, so a LID can never pass for a phone number.
 */
function isOwn(jid: string | null | undefined, me: OwnAccount): boolean {
  if (!jid) return false;
  const normalized = jidNormalizedUser(jid);
  if (normalized === '') return false;
  return (
    normalized === jidNormalizedUser(me.id) ||
    (!!me.lid && normalized === jidNormalizedUser(me.lid))
  );
}

/**
 * A sender's id: E.164 from the phone-number jid, or from its alternative when WhatsApp
 * addressed the message by LID. A LID with no known number stays a LID (`…@lid`): such a sender
 * can still ask for pairing and be answered, but never matches a configured phone number.
 */
async function userId(
  jid: string | null | undefined,
  alt: string | null | undefined,
  context: ConversionContext,
): Promise<string | null> {
  const direct = e164(jid) ?? e164(alt);
  if (direct) return direct;
  if (!jid) return null;
  if (isLidUser(jid) && context.pnForLid) {
    // Baileys' LID store is a cache: a lookup that fails means the number is not known, and the
    // sender keeps the LID as their id, as for a LID with no number mapped.
    const pn = await context.pnForLid(jidNormalizedUser(jid)).catch(() => null);
    const number = e164(pn);
    if (number) return number;
  }
  return jidNormalizedUser(jid) || null;
}

function textOf(content: proto.IMessage | undefined): string | null {
  if (!content) return null;
  const text =
    content.conversation ??
    content.extendedTextMessage?.text ??
    content.imageMessage?.caption ??
    content.videoMessage?.caption ??
    content.documentMessage?.caption;
  return text && text.trim() !== '' ? text : null;
}

function contextInfoOf(content: proto.IMessage | undefined): proto.IContextInfo | null | undefined {
  return (
    content?.extendedTextMessage?.contextInfo ??
    content?.imageMessage?.contextInfo ??
    content?.videoMessage?.contextInfo ??
    content?.documentMessage?.contextInfo
  );
}

/** `messageTimestamp` is seconds, as a number or a protobuf Long. */
function timestampMs(value: WAMessage['messageTimestamp']): number | null {
  if (value === null || value === undefined) return null;
  const seconds = typeof value === 'number' ? value : value.toNumber();
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}
