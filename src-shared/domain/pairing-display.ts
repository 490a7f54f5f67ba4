import type { PairingRequest } from './access.js';
import { PAIRING_REJECT_MS } from './pairing-times.js';
import type { MessagingProvider } from './providers.js';

const providerNames: Record<MessagingProvider, string> = {
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
};

/** A provider's proper name. */
export function providerName(provider: MessagingProvider): string {
  return providerNames[provider];
}

/**
 * What a sender's id is called on its platform: "Telegram user id", "WhatsApp number" (E.164),
 * or "WhatsApp id" for a LID whose number WhatsApp did not reveal.
 */
export function platformIdLabel(provider: MessagingProvider, senderId: string): string {
  if (provider === 'whatsapp') return senderId.startsWith('+') ? 'WhatsApp number' : 'WhatsApp id';
  return 'Telegram user id';
}

/**
 * The text a stranger gets: ignored until approved, the code, their own platform id (so the owner
 * can also list it in `<provider>.allowFrom` by hand, or recognise who is asking), and the exact
 * approve command.
 */
export function pairingReplyText(
  provider: MessagingProvider,
  code: string,
  senderId: string,
): string {
  return [
    'Access to this assistant is not configured for you, so your messages are ignored until its owner approves you.',
    `Your pairing code: ${code}`,
    `Your ${platformIdLabel(provider, senderId)}: ${senderId} (the owner can also add it to ${provider}.allowFrom)`,
    `Ask the owner to run: clawdbot pairing approve --provider ${provider} ${code}`,
  ].join('\n');
}

// Bidi overrides and isolates, zero-width characters and other controls.
const INVISIBLE = /[\p{Cc}\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;
const MAX_NAME_LENGTH = 40;

/**
 * A display name as a stranger chose it, made safe to show beside buttons that grant access: no
 * bidi tricks that reorder the text around it, no invisible characters, no wall of text.
 */
export function cleanDisplayName(name: string | null): string | null {
  const clean = name?.replace(INVISIBLE, '').trim() ?? '';
  if (clean === '') return null;
  return clean.length > MAX_NAME_LENGTH ? `${clean.slice(0, MAX_NAME_LENGTH - 1)}…` : clean;
}

// Controls other than line breaks and tabs, and the invisible characters of INVISIBLE.
const HIDDEN_IN_MESSAGE = /[^\P{Cc}\n\t]|[\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu;

/**
 * A stranger's first message made safe to show beside buttons that grant access: no bidi tricks
 * that reorder the text around it, no invisible or control characters (line breaks stay). It
 * was cut to a readable length when stored. Null when nothing is left to show.
 */
export function cleanFirstMessage(text: string | null | undefined): string | null {
  const clean = text?.replace(HIDDEN_IN_MESSAGE, '').trim() ?? '';
  return clean === '' ? null : clean;
}

/**
 * What rejecting a request does, in the words the UI uses: "Rejecting ignores them for 1 hour
 * …". Derived from PAIRING_REJECT_MS, so the words follow the code.
 */
export function rejectMeaning(): string {
  const hours = PAIRING_REJECT_MS / 3_600_000;
  const span = Number.isInteger(hours)
    ? `${hours} hour${hours === 1 ? '' : 's'}`
    : `${Math.round(PAIRING_REJECT_MS / 60_000)} minutes`;
  return `Rejecting ignores them for ${span}: no reply and no new request. After that, a message from them raises a new request.`;
}

/** Who sent a request: "Mallory (4242)", or just the id when the sender has no name. */
export function senderLabel(request: Pick<PairingRequest, 'displayName' | 'senderId'>): string {
  const name = cleanDisplayName(request.displayName);
  return name ? `${name} (${request.senderId})` : request.senderId;
}

/**
 * The requests in `next` that `previous` did not have. Compared by id: the same request comes
 * back with a new `lastSeenAt` whenever its sender writes again, and that is not news.
 */
export function newPairingRequests(
  previous: readonly PairingRequest[],
  next: readonly PairingRequest[],
): PairingRequest[] {
  const known = new Set(previous.map((request) => request.id));
  return next.filter((request) => !known.has(request.id));
}
