import type { Config } from '../../../src-shared/config/schema.js';
import type { TranscriptEventKind } from '../../../src-shared/domain/transcript.js';
import type { SessionRecord, SessionsRepo } from '../../store/sessions-repo.js';
import type { DropReason } from '../access/verdict.js';
import type { BlockedMessage, Delivery } from '../inbound/delivery.js';
import { sessionIdentity } from '../sessions/session-identity.js';

/** Drops that concern a known session; history, mentions and the like are routine. */
const BLOCKS_WORTH_RECORDING: ReadonlySet<DropReason> = new Set<DropReason>([
  'dm-disabled',
  'not-allowlisted',
  'pairing-pending',
  'pairing-rejected',
  'groups-disabled',
  'group-not-allowed',
  'group-sender-not-allowed',
]);

/**
 * The kinds of transcript event the agent records itself: all but a turn's steps, which the
 * turn records as call and result.
 */
export type RecordKind = Exclude<TranscriptEventKind, 'tool-call' | 'tool-result'>;

/** Records one event in a session's transcript, at the agent's clock. */
export type RecordEvent = (
  sessionKey: string,
  kind: RecordKind,
  actor: string,
  text: string,
  data?: Record<string, unknown>,
) => void;

/** Where the agent keeps its sessions and writes their transcripts. */
export interface SessionRecords {
  repo: SessionsRepo;
  now: () => number;
  record: RecordEvent;
}

/**
 * Records, in a session that exists, that a message meant for it was blocked (a friend removed
 * from the allowlist, a group member not allowed): access decisions affecting a session belong
 * in its transcript. The blocked text itself is never stored.
 */
export function recordBlocked(records: SessionRecords, blocked: BlockedMessage): void {
  const { envelope, reason, sessionKey } = blocked;
  if (!BLOCKS_WORTH_RECORDING.has(reason) || envelope.provider === 'console') return;
  if (!records.repo.get(sessionKey)) return;
  records.record(
    sessionKey,
    'access',
    'system',
    `Blocked a message from ${envelope.senderName ?? envelope.senderId}: ${reason}`,
    {
      reason,
      senderId: envelope.senderId,
    },
  );
}

/**
 * The session a delivery belongs to, opened (and its opening recorded) when it is new, with a
 * new conversation when it has been idle for longer than `session.idleMinutes`.
 */
export function openSession(
  records: SessionRecords,
  delivery: Pick<Delivery, 'envelope' | 'sessionKey' | 'trust'>,
  config: Config,
): SessionRecord {
  const { repo, now, record } = records;
  const identity = sessionIdentity(delivery, config);
  const existing = repo.get(identity.key);
  const session = repo.upsert(identity, now());
  if (!existing) {
    record(
      identity.key,
      'access',
      'system',
      `Session opened: ${delivery.trust} trust; tools run in the ${identity.toolsRunIn === 'sandbox' ? 'sandbox' : 'host'}`,
      {
        trust: delivery.trust,
        toolsRunIn: identity.toolsRunIn,
      },
    );
  } else if (now() - existing.lastActivityAt > config.session.idleMinutes * 60_000) {
    repo.resetContext(identity.key);
    record(
      identity.key,
      'session',
      'system',
      `New conversation: idle for more than ${config.session.idleMinutes} minutes`,
    );
  }
  return session;
}
