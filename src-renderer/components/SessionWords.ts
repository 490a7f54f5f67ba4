import type { SessionSummary, SessionTrust } from '../../src-shared/domain/transcript.js';
import { cleanDisplayName } from '../../src-shared/domain/pairing-display.js';

const trustWords: Record<SessionTrust, string> = {
  owner: 'Owner',
  allowed: 'Allowed',
  public: 'Public',
  group: 'Group',
};

const trustHints: Record<SessionTrust, string> = {
  owner: 'You: the main session',
  allowed: 'A sender on an allowlist or approved by you',
  public: 'Anyone (an open DM policy)',
  group: 'A group chat: every member can talk to the bot',
};

/** A trust level in a word, and what it means. */
export function trustLabel(trust: SessionTrust): { word: string; hint: string } {
  return { word: trustWords[trust], hint: trustHints[trust] };
}

const providers: Record<string, string> = {
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  console: 'Console',
};

/** A provider's proper name, or its id for one this UI does not know yet. */
export function providerLabel(provider: string): string {
  return providers[provider] ?? provider;
}

/**
 * Who the session is with: the peer's or group's name (cleaned: it was chosen by someone else,
 * and bidi tricks must not reorder the row), else its id.
 */
export function sessionName(session: Pick<SessionSummary, 'title' | 'peerId'>): string {
  return cleanDisplayName(session.title) ?? session.peerId;
}
