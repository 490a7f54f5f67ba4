import type { LimitsConfig } from '../../../src-shared/config/limits-schema.js';
import { OWNER_SENDER } from '../../../src-shared/domain/usage.js';
import type { Logger } from '../../logging/logger.js';
import type { BlockedCountsRepo } from '../../store/blocked-counts-repo.js';
import {
  senderBudget,
  usageDay,
  type CallUsage,
  type UsageRepo,
  type UsageSubject,
} from '../../store/usage-repo.js';
import { countBlockedAttempt } from '../inbound/blocked-attempts.js';
import type { Delivery } from '../inbound/delivery.js';
import { QueueBound } from './queue-bound.js';
import { TokenBuckets } from './token-bucket.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';

/** What a sender flooding the bot is told, once per flood. */
export const RATE_NOTICE_TEXT =
  'You are sending messages faster than I can answer, so I am skipping some. Wait a minute before sending more.';

/** What a chat whose queue overflowed is told, once until it has caught up. */
export const QUEUE_NOTICE_TEXT =
  'Too many messages are waiting for an answer here, so I am skipping the newest. Wait for my answer before sending more.';

/** What a sender whose daily budget is used up is told, once a day. */
export const SENDER_BUDGET_TEXT =
  'I have reached today’s limit for our conversation and cannot answer until tomorrow.';

/** What a sender is told, once a day, when everyone's daily budget is used up. */
export const GLOBAL_BUDGET_TEXT =
  'I have reached today’s overall usage limit and cannot answer until tomorrow.';

/** A daily budget that stops the next model call. */
export interface BudgetStop {
  /** `sender`: this sender's own budget; `everyone`: `limits.dailyTokens`. */
  scope: 'sender' | 'everyone';
  used: number;
  budget: number;
}

/** What the limits need from the session step. */
export interface InboundLimitsOptions {
  usage: UsageRepo;
  /**
   * Where a message over a sender's rate is counted as a blocked attempt for the dashboard;
   * absent: nowhere.
   */
  blocked?: BlockedCountsRepo;
  /** The limits in force (the last good config's). */
  limits: () => LimitsConfig;
  /** The gateway's clock: the day budgets count, and bucket refills. */
  now: () => number;
  /**
   * Sends text to the chat a delivery came from, through the durable outbox: stored before this
   * returns (so a notice shares the transaction that records the message it answers), sent after.
   */
  reply: (delivery: Delivery, text: string) => Promise<unknown>;
  /** Records an access event in the delivery's session (opening it, if it is new). */
  recordAccess: (delivery: Delivery, text: string, data: Record<string, unknown>) => void;
  /** Tells the owner (console and log). */
  notifyOwner: (text: string) => void;
  log: Logger;
}

/**
 * What one sender may cost, enforced before any model call: a message rate per sender, a bound
 * on each session's queue, and daily model-token budgets per sender and for everyone, counted
 * from the usage the model API reports. The owner is limited only by what `limits.owner` sets.
 * Every limited message is counted; every notice goes out once, not once per message.
 */
export class InboundLimits {
  private readonly buckets: TokenBuckets;
  private readonly queues = new QueueBound();

  constructor(private readonly options: InboundLimitsOptions) {
    this.buckets = new TokenBuckets(options.now);
  }

  /**
   * Decides whether a delivered message may wait for its turn, when it arrives: the sender's
   * message rate, then its session's queue bound (the messages admitted there and not yet
   * finished). A message turned away is counted and, for the first of a flood, answered with one
   * notice; an admitted one holds its place in the bound until {@link left}.
   *
   * `recovered`: picked up after a restart. It was counted, and rate-checked, when it arrived,
   * so only the queue bound applies again (a restart must not leave a session holding more than
   * its bound, whatever was decided before it); a bucket emptied by a restart does not turn away
   * messages the last run had accepted.
   */
  admit(delivery: Delivery, arrival: { recovered: boolean }): boolean {
    const limits = this.options.limits();
    const subject = this.subject(delivery);
    const rate = subject.owner ? limits.owner : limits.sender;
    if (!arrival.recovered && rate.messagesPerMinute !== null) {
      const taken = this.buckets.take(subject.sender, {
        perMinute: rate.messagesPerMinute,
        burst: rate.burst,
      });
      if (!taken.admitted) {
        // A flood is a blocked attempt, unless it is the owner's own (their limit is their choice).
        if (this.options.blocked) {
          countBlockedAttempt(
            this.options.blocked,
            'rate-limited',
            delivery.envelope,
            subject.owner,
            this.options.now(),
          );
        }
        this.turnAway(delivery, subject, arrival, taken.firstDrop, 'rate', RATE_NOTICE_TEXT, {
          messagesPerMinute: rate.messagesPerMinute,
          burst: rate.burst,
        });
        return false;
      }
    }
    // The owner's messages always wait their turn: their queue is theirs to fill.
    const queued = this.queues.admit(
      delivery.sessionKey,
      subject.owner ? null : limits.maxQueuedPerSession,
    );
    if (!queued.admitted) {
      this.turnAway(delivery, subject, arrival, queued.firstDrop, 'queue', QUEUE_NOTICE_TEXT, {
        maxQueuedPerSession: limits.maxQueuedPerSession,
      });
      return false;
    }
    if (!arrival.recovered) this.options.usage.recordMessage(subject, 'admitted');
    return true;
  }

  /** An admitted message's turn ended (however it ended): its place in the queue bound is free. */
  left(delivery: Delivery): void {
    this.queues.leave(delivery.sessionKey);
  }

  /** The budget that forbids the next model call for this delivery, if one does. */
  budgetStop(delivery: Delivery): BudgetStop | null {
    const limits = this.options.limits();
    const subject = this.subject(delivery);
    const own = senderBudget(limits, subject.owner);
    if (own !== null) {
      const used = this.options.usage.senderTokens(subject.day, subject.sender);
      if (used >= own) return { scope: 'sender', used, budget: own };
    }
    // Everyone's budget stops everyone but the owner, who is limited only by what they set.
    if (limits.dailyTokens !== null && !subject.owner) {
      const used = this.options.usage.totalTokens(subject.day);
      if (used >= limits.dailyTokens)
        return { scope: 'everyone', used, budget: limits.dailyTokens };
    }
    return null;
  }

  /** Counts one model call's tokens against the sender, the session and the day. */
  recordUsage(delivery: Delivery, usage: CallUsage): void {
    this.options.usage.recordModelCall(this.subject(delivery), usage);
  }

  /**
   * A budget stopped a turn: the sender gets one short reply and their session one event a day,
   * the owner one notice a day per budget; later messages are only counted. `beforeAnyCall`:
   * the message got no model call at all (it is counted as dropped).
   */
  async stopped(delivery: Delivery, stop: BudgetStop, beforeAnyCall: boolean): Promise<void> {
    const subject = this.subject(delivery);
    const at = this.options.now();
    if (beforeAnyCall) this.options.usage.recordDropped(subject);
    const who = describeSender(subject);
    if (this.options.usage.claimNotice(subject.day, `owner:${stopKey(stop, subject)}`, at)) {
      this.options.notifyOwner(ownerBudgetNotice(stop, who));
    }
    if (!this.options.usage.claimNotice(subject.day, `sender:${subject.sender}`, at)) return;
    this.options.log.info('daily token budget used up', {
      session: delivery.sessionKey,
      sender: subject.sender,
      scope: stop.scope,
      used: stop.used,
      budget: stop.budget,
    });
    this.options.recordAccess(
      delivery,
      `${stop.scope === 'sender' ? `Daily token budget of ${who}` : 'Daily token budget for everyone'} used up (${fmt(stop.used)} of ${fmt(stop.budget)} tokens): no model calls for ${who} until midnight`,
      {
        limit: 'daily-tokens',
        scope: stop.scope,
        used: stop.used,
        budget: stop.budget,
        sender: subject.sender,
      },
    );
    await this.options.reply(
      delivery,
      stop.scope === 'sender' ? SENDER_BUDGET_TEXT : GLOBAL_BUDGET_TEXT,
    );
  }

  private turnAway(
    delivery: Delivery,
    subject: UsageSubject,
    arrival: { recovered: boolean },
    firstDrop: boolean,
    limit: 'rate' | 'queue',
    notice: string,
    data: Record<string, unknown>,
  ): void {
    // A recovered message was counted when it arrived: now it is only counted as dropped.
    if (arrival.recovered) this.options.usage.recordDropped(subject);
    else this.options.usage.recordMessage(subject, 'dropped');
    if (!firstDrop) return;
    this.options.log.info('messages dropped by a limit', {
      session: delivery.sessionKey,
      sender: subject.sender,
      limit,
    });
    this.options.recordAccess(
      delivery,
      limit === 'rate'
        ? `Dropping messages from ${describeSender(subject)}: more than the rate limit allows`
        : `Dropping messages from ${describeSender(subject)}: too many waiting in this session`,
      { limit, sender: subject.sender, ...data },
    );
    this.options.reply(delivery, notice).catch((error: unknown) =>
      this.options.log.warn('could not send a limit notice', {
        session: delivery.sessionKey,
        error: describeError(error),
      }),
    );
  }

  private subject(delivery: Delivery): UsageSubject {
    const { envelope } = delivery;
    const owner = delivery.fromOwner === true || delivery.trust === 'owner';
    return {
      day: usageDay(this.options.now()).day,
      sender: owner ? OWNER_SENDER : `${envelope.provider}:${envelope.senderId}`,
      senderName: owner ? null : (envelope.senderName ?? null),
      owner,
      sessionKey: delivery.sessionKey,
    };
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function describeSender(subject: UsageSubject): string {
  if (subject.owner) return 'you';
  return subject.senderName ? `${subject.senderName} (${subject.sender})` : subject.sender;
}

/** One owner notice a day per budget: each sender's own, and everyone's. */
function stopKey(stop: BudgetStop, subject: UsageSubject): string {
  return stop.scope === 'everyone' ? 'everyone' : subject.sender;
}

function ownerBudgetNotice(stop: BudgetStop, who: string): string {
  if (stop.scope === 'everyone') {
    return `Today's token budget for everyone (limits.dailyTokens: ${fmt(stop.budget)}) is used up: nobody but you gets answers until midnight.`;
  }
  if (who === 'you') {
    return `Your own daily token budget (limits.owner.dailyTokens: ${fmt(stop.budget)}) is used up: no answers for you until midnight.`;
  }
  return `${who} used up their daily token budget (limits.sender.dailyTokens: ${fmt(stop.budget)}): they get no answers until midnight. \`clawdbot usage\` shows today's use.`;
}
