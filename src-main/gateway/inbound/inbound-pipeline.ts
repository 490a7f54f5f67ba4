import { randomUUID } from 'node:crypto';
import { EnvelopeSchema, type Envelope } from '../../../src-shared/domain/envelope.js';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import type { Logger } from '../../logging/logger.js';
import type { BlockedCountsRepo } from '../../store/blocked-counts-repo.js';
import type { InboxOutcome, InboxRepo, NewInboxMessage } from '../../store/inbox-repo.js';
import type { DropReason, Verdict } from '../access/verdict.js';
import { InboxProcessor, type InboxItem } from '../inbox/inbox-processor.js';
import { interruptedNotice } from '../inbox/interrupted-notice.js';
import { countBlockedAttempt } from './blocked-attempts.js';
import { truncateInbound } from './truncate-text.js';
import type { OutboundMessage } from '../outbound/outbound-router.js';
import { replyTarget } from '../outbound/reply-target.js';
import type { Delivery, SessionStep } from './delivery.js';

/**
 * What was decided about a message when it entered the queue: to act on at its turn, or finished
 * at once (`verdict` null: a recorded message no longer valid).
 */
type Decision =
  | { kind: 'queue'; envelope: Envelope; verdict: Verdict }
  | { kind: 'finish'; outcome: InboxOutcome; verdict: Verdict | null };

/** Blocks the owner may want to know about are logged; silence elsewhere is by design. */
const LOGGED_BLOCKS: ReadonlySet<DropReason> = new Set<DropReason>([
  'not-allowlisted',
  'pairing-capped',
  'group-sender-not-allowed',
]);

/** What the inbound pipeline needs; it owns none of it. */
export interface InboundPipelineOptions {
  /** Where every message is recorded before anything is done with it. */
  inbox: InboxRepo;
  /** Whether anything was already queued in answer to an inbox message (the outbox knows). */
  answered: (inboxId: number) => boolean;
  /** The access pipeline over the rules and approvals in force (see `AccessGate`). */
  access: { decide(envelope: Envelope, catchUpAt?: number): Verdict };
  /**
   * Where blocked attempts are counted for the dashboard (see `countBlockedAttempt`); absent:
   * nowhere (tests and benches that do not look).
   */
  blocked?: BlockedCountsRepo;
  /** `limits.maxInboundChars` in force: longer text is cut before anything stores it. */
  maxInboundChars: () => number;
  /** Where deliveries (and what the session records about the rest) go. */
  sessions: SessionStep;
  /** Sends a pairing code or a notice to a message's chat (the outbound router's `send`). */
  send: (message: OutboundMessage) => Promise<void>;
  /**
   * Makes the sender of the setup flow's owner code the owner; returns the reply they get.
   * Without it a claimed code is only logged.
   */
  ownerClaimed?: (provider: MessagingProvider, senderId: string) => string;
  /** Runs `work` in one immediate transaction (nested writes join it). */
  transaction: <T>(work: () => T) => T;
  log: Logger;
  now: () => number;
}

/**
 * The gateway's inbound path: record, decide, act. Every message is first recorded in the inbox
 * (validated, cut to length; one row per platform message id), and decided as it arrives, in the
 * transaction that records it: the access pipeline's verdict, then the session step's limits (a
 * message they turn away is finished there, never queued). At its turn it is acted on: a
 * delivery reaches the session step, a stranger under `pairing` gets their code, the rest are
 * dropped or recorded as missed. Handling is driven from the inbox, so what an earlier run left
 * unfinished takes the same path as what just arrived. Config, outbox, channels, pairing and
 * timers belong to the services around it.
 */
export class InboundPipeline {
  private readonly inbox: InboxProcessor;
  private readonly verdicts = new Map<number, (verdict: Verdict | null) => void>();
  /** What was decided about each queued message when it arrived, until its turn. */
  private readonly decisions = new Map<number, Decision>();
  /** The messages the latest `receive` turned away, with their decisions (for `handleInbound`). */
  private readonly turnedAway = new Map<number, Verdict | null>();

  constructor(private readonly options: InboundPipelineOptions) {
    this.inbox = new InboxProcessor({
      repo: options.inbox,
      answered: options.answered,
      arrive: (item) => this.arrive(item),
      handle: (item) => this.handle(item),
      log: options.log,
      now: options.now,
    });
  }

  /**
   * Picks up the messages an earlier run recorded and did not finish, except what was waiting
   * when the kill switch was pulled (received at or before `killedAt`). What the limits turn away
   * now is finished in the same transaction.
   */
  recover(killedAt: number | null): void {
    this.options.transaction(() => this.inbox.recover(killedAt));
  }

  /**
   * Records inbound messages in the inbox and queues them for handling; returns once they are
   * committed, so a provider may then confirm them to its platform. This is the one place a
   * message's text enters the gateway: each is validated first (a malformed one is logged with
   * what was wrong and dropped) and cut to `limits.maxInboundChars` (so no table, transcript or
   * model ever holds more), and one already recorded (handed out again) is skipped. Each new one
   * is decided as it arrives, in the same transaction as it is recorded. Throws when the database
   * cannot take them: the provider must not confirm them then.
   */
  receive(raws: readonly unknown[]): number[] {
    this.turnedAway.clear();
    const maxInboundChars = this.options.maxInboundChars();
    const messages: NewInboxMessage[] = [];
    for (const raw of raws) {
      const parsed = EnvelopeSchema.safeParse(raw);
      if (!parsed.success) {
        this.options.log.warn('malformed inbound envelope dropped', {
          issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        });
        continue;
      }
      const envelope = truncateInbound(parsed.data, maxInboundChars);
      messages.push({
        provider: envelope.provider,
        messageId: envelope.messageId ?? randomUUID(),
        envelope,
      });
    }
    return this.options.transaction(() => this.inbox.receive(messages));
  }

  /**
   * Records one message and resolves with the decision once it has been handled (null: malformed,
   * or already recorded). The console's path, and the tests'.
   */
  async handleInbound(raw: unknown): Promise<Verdict | null> {
    const [id] = this.receive([raw]);
    if (id === undefined) return null;
    if (this.turnedAway.has(id)) return this.turnedAway.get(id) ?? null;
    // Its turn may have begun inside `receive`, but it cannot end before this runs: `handle`
    // settles the decision only after awaiting its action.
    return new Promise((resolve) => this.verdicts.set(id, resolve));
  }

  /** Resolves once every message recorded so far has been handled. */
  idle(): Promise<void> {
    return this.inbox.idle();
  }

  /** Starts no more turns: a stop follows once the turns in progress are cut (see `stop`). */
  pause(): void {
    this.inbox.pause();
  }

  /** Stops; a turn still in progress is released, to be picked up by the next start. */
  stop(): void {
    this.inbox.stop();
    for (const resolve of this.verdicts.values()) resolve(null);
    this.verdicts.clear();
    this.decisions.clear();
  }

  /**
   * A message enters the queue (just recorded, or picked up at a start): decided now. Returns the
   * outcome of one finished at once (turned away by a limit; a recorded one no longer valid), or
   * null to queue it, its decision kept for its turn.
   */
  private arrive(item: InboxItem): InboxOutcome | null {
    const decision = this.decide(item);
    // Counted once, as it arrives, in the transaction that records it: a message picked up after
    // a restart was counted then.
    const { verdict } = decision;
    if (verdict?.action === 'drop' && !item.recovered && this.options.blocked) {
      countBlockedAttempt(
        this.options.blocked,
        verdict.reason,
        item.envelope,
        verdict.fromOwner === true,
        this.options.now(),
      );
    }
    if (decision.kind === 'finish') {
      this.turnedAway.set(item.id, decision.verdict);
      return decision.outcome;
    }
    this.decisions.set(item.id, decision);
    return null;
  }

  private decide(item: InboxItem): Decision {
    const envelope = item.recovered ? this.revalidate(item) : item.envelope;
    if (!envelope) return { kind: 'finish', outcome: 'done', verdict: null };
    // Waited through a restart: judged now; provider history: when it reached us.
    const catchUpAt = item.recovered
      ? this.options.now()
      : envelope.isHistory
        ? item.receivedAt
        : undefined;
    const verdict = this.options.access.decide(envelope, catchUpAt);
    // A turn given up on gets no turn, only a notice: no limit applies to it.
    const { sessions } = this.options;
    if (verdict.action === 'deliver' && !item.gaveUp && sessions.admit) {
      const delivery: Delivery = { ...verdict, inbox: { id: item.id, resumed: item.resumed } };
      if (!sessions.admit(delivery, { recovered: item.recovered })) {
        return { kind: 'finish', outcome: 'dropped', verdict };
      }
    }
    return { kind: 'queue', envelope, verdict };
  }

  /** Handles one inbox message: acts on what was decided when it arrived. */
  private async handle(item: InboxItem): Promise<InboxOutcome> {
    let verdict: Verdict | null = null;
    try {
      const decision = this.decisions.get(item.id) ?? this.decide(item);
      this.decisions.delete(item.id);
      verdict = decision.verdict;
      if (decision.kind === 'finish') return decision.outcome;
      return await this.act(decision.verdict, decision.envelope, item);
    } finally {
      const resolve = this.verdicts.get(item.id);
      this.verdicts.delete(item.id);
      resolve?.(verdict);
    }
  }

  private async act(verdict: Verdict, envelope: Envelope, item: InboxItem): Promise<InboxOutcome> {
    const { sessions, log } = this.options;
    switch (verdict.action) {
      case 'deliver': {
        const delivery: Delivery = { ...verdict, inbox: { id: item.id, resumed: item.resumed } };
        if (item.gaveUp) {
          log.warn('gave up on a message whose turn was cut short twice', {
            session: delivery.sessionKey,
          });
          sessions.recordGaveUp?.(delivery);
          await this.options.send({
            ...replyTarget(envelope),
            text: interruptedNotice(envelope.text),
            inboxId: item.id,
          });
          return 'interrupted';
        }
        await sessions.deliver(delivery);
        return 'done';
      }
      case 'missed':
        log.info('caught up too late to answer; recorded as missed', {
          session: verdict.sessionKey,
          sentAt: envelope.timestamp,
        });
        sessions.recordMissed?.(verdict);
        return 'missed';
      case 'owner-claimed': {
        log.info('the setup owner code was sent: binding the owner', {
          provider: verdict.provider,
          sender: verdict.senderId,
        });
        const text = this.options.ownerClaimed?.(verdict.provider, verdict.senderId);
        if (text) await this.options.send({ ...replyTarget(envelope), text, inboxId: item.id });
        return 'done';
      }
      case 'pairing-reply':
        log.info('pairing requested', {
          provider: envelope.provider,
          sender: envelope.senderId,
          code: verdict.code,
        });
        if (envelope.provider !== 'console')
          await this.options.send({
            ...replyTarget(envelope),
            text: verdict.text,
            inboxId: item.id,
          });
        return 'done';
      case 'drop':
        sessions.recordBlocked?.({ ...verdict, envelope });
        if (verdict.reason === 'trust-undecided') {
          log.error('no access step decided how far the sender is trusted; dropped', {
            provider: envelope.provider,
            sender: envelope.senderId,
            chat: envelope.chatKind,
          });
        } else if (LOGGED_BLOCKS.has(verdict.reason)) {
          log.info('message blocked', {
            provider: envelope.provider,
            sender: envelope.senderId,
            chat: envelope.chatKind,
            reason: verdict.reason,
          });
        }
        return 'done';
      default: {
        const unreachable: never = verdict;
        throw new Error(`unhandled verdict ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** A message recorded by an earlier run (maybe an older version): validated again. */
  private revalidate(item: InboxItem): Envelope | null {
    const parsed = EnvelopeSchema.safeParse(item.envelope);
    if (parsed.success) return parsed.data;
    this.options.log.warn('recorded message no longer valid; dropped', {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
    return null;
  }
}
