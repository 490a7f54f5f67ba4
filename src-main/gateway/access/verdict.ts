import type { Envelope } from '../../../src-shared/domain/envelope.js';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import { sessionKeyFor } from './session-key-for.js';

/** How much a session is trusted: only `owner` ever gets the `main` session. */
export type TrustLevel = 'owner' | 'allowed' | 'public' | 'group';

/** Why a message was not delivered. */
export type DropReason =
  | 'history'
  | 'dm-disabled'
  | 'not-allowlisted'
  | 'pairing-pending'
  | 'pairing-capped'
  | 'pairing-rejected'
  | 'groups-disabled'
  | 'group-not-allowed'
  | 'group-sender-not-allowed'
  | 'not-mentioned'
  /** No step decided how far the sender is trusted: a pipeline bug, so nothing is let through. */
  | 'trust-undecided';

/** The pipeline's decision about one message. */
export type Verdict =
  /**
   * Reaches its session (and later the agent). `commandOnly`: a bare chat command let through
   * without a mention, which the session applies and never hands to the model. `fromOwner`:
   * the owner wrote it (in a group too, where the session's trust is the group's).
   */
  | {
      action: 'deliver';
      sessionKey: string;
      trust: TrustLevel;
      envelope: Envelope;
      commandOnly?: true;
      fromOwner?: true;
    }
  /**
   * Would have been delivered, but waited while the gateway was down for longer than
   * `session.catchUpMinutes`: recorded in its session as missed, never answered.
   */
  | { action: 'missed'; sessionKey: string; trust: TrustLevel; envelope: Envelope }
  /**
   * The setup flow's one-time owner code, sent by its first sender before any access decision:
   * that sender becomes `owner.<provider>`. Never delivered, so never seen by a model.
   */
  | { action: 'owner-claimed'; provider: MessagingProvider; senderId: string }
  /** A stranger under `pairing`: reply with the code, deliver nothing. */
  | { action: 'pairing-reply'; text: string; code: string }
  /**
   * Not delivered. `sessionKey`: the session it would have reached, by what the pipeline had
   * established about the sender when it stopped, so the block can be recorded there without
   * deciding about the sender a second time. `fromOwner`: the owner wrote it (dropped all the
   * same, as under `dmPolicy: disabled`), so it is no stranger's attempt.
   */
  | { action: 'drop'; reason: DropReason; sessionKey: string; fromOwner?: true };

/** A drop verdict for the message in `ctx`, naming the session it would have reached. */
export function drop(
  ctx: { envelope: Envelope; trust?: TrustLevel; fromOwner?: boolean },
  reason: DropReason,
): Verdict {
  return {
    action: 'drop',
    reason,
    sessionKey: sessionKeyFor(ctx.envelope, ctx.trust === 'owner'),
    ...(ctx.fromOwner ? { fromOwner: true } : {}),
  };
}
