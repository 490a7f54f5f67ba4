import type { Envelope } from '../../../src-shared/domain/envelope.js';
import type { BlockedCountsRepo } from '../../store/blocked-counts-repo.js';
import type { DropReason } from '../access/verdict.js';

/** Why a counted attempt was stopped: an access drop, or a sender over their message rate. */
export type BlockedReason = DropReason | 'rate-limited';

/**
 * Which stopped messages the dashboard counts as blocked attempts, and what identifies them:
 * `sender` (one count per chat and sender), `chat` (the chat alone decided: any member of a
 * refused group is refused, so a group flood from many members is still one row an hour), or
 * null: not an attempt. A record over every reason, so a new drop reason must be placed here.
 *
 * Not attempts: `history` (a provider replaying what was sent while the gateway was away, never
 * meant for it now) and `not-mentioned` (ordinary talk in an allowed group, not addressed to the
 * bot: counting it would make every busy group look like an attack and bury real attempts).
 * Everything else is someone the rules did not let reach the assistant: strangers (DMs off, not
 * on the allowlist, waiting for or refused pairing, pairing full), groups the bot is not allowed
 * in, members a group's allowlist does not list, a message no step could place (refused as a
 * fail-safe), and messages over the sender's rate (`limits.sender`: a flood, which may be a
 * stolen account or a script). The queue bound and daily budgets are not counted here: they
 * pace senders who are allowed, and the Usage view counts them as dropped.
 */
const COUNTED: Readonly<Record<BlockedReason, 'sender' | 'chat' | null>> = {
  history: null,
  'not-mentioned': null,
  'dm-disabled': 'sender',
  'not-allowlisted': 'sender',
  'pairing-pending': 'sender',
  'pairing-capped': 'sender',
  'pairing-rejected': 'sender',
  'groups-disabled': 'chat',
  'group-not-allowed': 'chat',
  'group-sender-not-allowed': 'sender',
  'trust-undecided': 'sender',
  'rate-limited': 'sender',
};

/**
 * Counts a stopped message as a blocked attempt when it is one (see {@link COUNTED}). The owner
 * (`fromOwner`: an `owner.<provider>` id, the WhatsApp self-chat; and the console) is never a
 * stranger, so none of their own messages is counted: not those `dmPolicy: disabled` drops, nor
 * those over the rate they set themselves.
 */
export function countBlockedAttempt(
  repo: BlockedCountsRepo,
  reason: BlockedReason,
  envelope: Envelope,
  fromOwner: boolean,
  at: number,
): void {
  const by = COUNTED[reason];
  if (by === null || fromOwner || envelope.provider === 'console') return;
  repo.count({
    at,
    provider: envelope.provider,
    chatId: envelope.chatId,
    senderId: by === 'chat' ? '' : envelope.senderId,
    reason,
  });
}
