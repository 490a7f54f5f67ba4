import type { Envelope } from '../../../src-shared/domain/envelope.js';
import type { Verdict } from '../access/verdict.js';

/** A delivered message: what the session (and later the agent) receives. */
export type Delivery = Extract<Verdict, { action: 'deliver' }> & {
  /**
   * The inbox message it is (absent only for deliveries made by hand in tests). `resumed`: a turn
   * began for it before and was cut short (a stop, a crash), so its message may already be in
   * the transcript.
   */
  inbox?: { id: number; resumed: boolean };
};

/** A message caught up too late to answer: recorded in its session, never answered. */
export type MissedDelivery = Extract<Verdict, { action: 'missed' }>;

/** A message the pipeline did not deliver, with the session it would have reached. */
export type BlockedMessage = Extract<Verdict, { action: 'drop' }> & { envelope: Envelope };

/**
 * The session step: where the inbound pipeline hands what it decided. The agent is the one the
 * gateway runs; tests and benches give their own.
 */
export interface SessionStep {
  /** Answers one delivered message; resolves once it is answered. */
  deliver(delivery: Delivery): void | Promise<void>;
  /**
   * The limits a message to be delivered meets when it arrives (or is picked up at a start),
   * before it waits for its turn: false turns it away, and the inbox finishes it as dropped in
   * the transaction that records it. Absent: every delivery waits for its turn.
   */
  admit?(delivery: Delivery, arrival: { recovered: boolean }): boolean;
  /** A message was not delivered: the session it would have reached may record that. */
  recordBlocked?(blocked: BlockedMessage): void;
  /** A caught-up message too old to answer: its session records it as missed. */
  recordMissed?(missed: MissedDelivery): void;
  /** Crashes cut a message's turn short too often: its session records that its sender was told. */
  recordGaveUp?(delivery: Delivery): void;
  /** Stops every turn in progress and waits (briefly) for them to end. */
  stop?(): Promise<void>;
}
