import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { EnvelopeSchema, type Envelope } from '../../src-shared/domain/envelope.js';
import { createAccessStore, type AccessStore } from '../access/access-store.js';
import { importLegacyStores } from '../access/legacy-import.js';
import { PairingService } from '../access/pairing-service.js';
import { ConfigService, type ConfigState } from '../config/config-service.js';
import { createLastGoodConfigRepo } from '../store/config-repo.js';
import type { Config } from '../../src-shared/config/schema.js';
import type { Logger } from '../logging/logger.js';
import { watchDataVersion } from '../store/data-version-watch.js';
import {
  createInboxRepo,
  type InboxOutcome,
  type InboxRepo,
  type NewInboxMessage,
} from '../store/inbox-repo.js';
import { createKillSwitchRepo } from '../store/kill-switch-repo.js';
import { ApprovedCache } from './access/approved-cache.js';
import { compileAccess, type CompiledAccess } from './access/compiled-access.js';
import { decideInbound } from './access/pipeline.js';
import { truncateInbound } from './limits/truncate-text.js';
import type { DropReason, Verdict } from './access/verdict.js';
import { InboxProcessor, type InboxItem } from './inbox/inbox-processor.js';
import { interruptedNotice } from './inbox/interrupted-notice.js';
import type { OutboundChannel } from './outbound/outbound-channel.js';
import { OutboundRouter } from './outbound/outbound-router.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

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

/**
 * What was decided about a message when it entered the queue: to act on at its turn, or finished
 * at once (`verdict` null: a recorded message no longer valid).
 */
type Decision =
  | { kind: 'queue'; envelope: Envelope; verdict: Verdict }
  | { kind: 'finish'; outcome: InboxOutcome; verdict: Verdict | null };

/** Where delivered messages go: the session step. */
export type SessionSink = (delivery: Delivery) => void | Promise<void>;

/** What the gateway core needs. */
export interface GatewayCoreOptions {
  db: Database;
  stateDir: string;
  configPath: string;
  /** The process's config service; by default one of the core's own over `db`. */
  config?: ConfigService;
  log: Logger;
  deliver: SessionSink;
  /** A message was not delivered: lets the session it would have reached record the decision. */
  onDrop?: (envelope: Envelope, reason: DropReason) => void;
  /** A caught-up message too old to answer: its session records it as missed. */
  onMissed?: (missed: MissedDelivery) => void;
  /** Crashes cut a message's turn short too often: its session records that its sender was told. */
  onGaveUp?: (delivery: Delivery) => void;
  /**
   * The limits a message to be delivered meets when it arrives (or is picked up at a start),
   * before it waits for its turn: false turns it away, and the inbox finishes it as dropped in
   * the transaction that records it. Without it, every delivery waits for its turn.
   */
  admit?: (delivery: Delivery, arrival: { recovered: boolean }) => boolean;
  /** Where replies leave (default: a router over this database's outbox). */
  outbound?: OutboundRouter;
  /** The inbox's store (default: this database's; bench/durability measures one in memory). */
  inbox?: InboxRepo;
  now?: () => number;
  /** How often to look for changes others made (approvals, outbox). */
  watchIntervalMs?: number;
}

// Finished inbox messages are kept this long: long enough to recognise any message a platform
// hands out again (Telegram keeps unconfirmed updates for 24 hours).
const JOURNAL_KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const JOURNAL_PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * The gateway's inbound core. Every message is first recorded in the inbox (validated; one row
 * per platform message id), and only then handled: the access pipeline decides, strangers get
 * pairing codes, delivered messages reach the session step. Handling is driven from the inbox,
 * so what an earlier run left unfinished is picked up by the same path as what just arrived.
 * Replies leave through the outbound router and its durable outbox.
 */
export class GatewayCore {
  /** Where every reply and notice leaves. */
  readonly outbound: OutboundRouter;
  private readonly store: AccessStore;
  private readonly pairing: PairingService;
  private readonly approved: ApprovedCache;
  private readonly config: ConfigService;
  private readonly ownsConfig: boolean;
  private readonly inboxRepo: InboxRepo;
  private readonly inbox: InboxProcessor;
  private access: CompiledAccess;
  private readonly verdicts = new Map<number, (verdict: Verdict | null) => void>();
  /** What was decided about each queued message when it arrived, until its turn. */
  private readonly decisions = new Map<number, Decision>();
  /** The messages the latest `receive` turned away, with their decisions (for `handleInbound`). */
  private readonly turnedAway = new Map<number, Verdict | null>();
  private stopWatching: (() => void) | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: GatewayCoreOptions) {
    this.now = options.now ?? Date.now;
    this.store = createAccessStore(options.db);
    this.pairing = new PairingService(this.store, { now: this.now });
    const imported = importLegacyStores(this.store, options.stateDir, this.now());
    for (const file of imported.imported) options.log.info('imported legacy store', file);
    for (const error of imported.errors) options.log.warn('legacy store not imported', { error });
    this.approved = new ApprovedCache(this.store.allowlist);
    this.outbound =
      options.outbound ??
      new OutboundRouter({ outbox: this.store.outbox, log: options.log, now: this.now });
    this.inboxRepo = options.inbox ?? createInboxRepo(options.db);
    this.inbox = new InboxProcessor({
      repo: this.inboxRepo,
      answered: (id) => this.store.outbox.answered(id),
      arrive: (item) => this.arrive(item),
      handle: (item) => this.handle(item),
      log: options.log,
      now: this.now,
    });
    this.ownsConfig = options.config === undefined;
    this.config =
      options.config ??
      new ConfigService(options.configPath, { store: createLastGoodConfigRepo(options.db) });
    const initial = this.config.current();
    this.access = compileAccess(initial.config);
    if (initial.errors) {
      const fields = { path: initial.path, errors: initial.errors };
      if (initial.source === 'defaults')
        options.log.error('config rejected; running with safe defaults', fields);
      else
        options.log.error('config rejected; running on the last good config', {
          ...fields,
          lastGoodAt:
            initial.lastGoodAt === null ? null : new Date(initial.lastGoodAt).toISOString(),
        });
    }
    this.config.onChange((state) => {
      if (state.errors) {
        options.log.error('config edit rejected; keeping the last good config', {
          path: state.path,
          errors: state.errors,
        });
        return;
      }
      this.access = compileAccess(state.config);
      options.log.info('config reloaded', { path: state.path });
    });
  }

  /** The config in force (the last good one) and the current file's errors, if it was rejected. */
  configState(): ConfigState {
    return this.config.current();
  }

  /** Calls `listener` with each new good config (rejected edits keep the old one and are not passed on). */
  onConfig(listener: (config: Config) => void): void {
    this.config.onChange((state) => {
      if (!state.errors) listener(state.config);
    });
  }

  /**
   * Starts watching the config file and the database, and picks up the messages an earlier run
   * recorded and did not finish (except what the kill switch cut short).
   */
  start(): this {
    if (this.ownsConfig) this.config.start();
    this.stopWatching = watchDataVersion(
      this.options.db,
      this.options.watchIntervalMs ?? 250,
      () => {
        this.approved.refresh();
        void this.outbound.flush();
      },
    );
    this.pruneJournal();
    this.pruneTimer = setInterval(() => this.pruneJournal(), JOURNAL_PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    const killedAt = createKillSwitchRepo(this.options.db).read().engagedAt;
    if (killedAt !== null) this.dropWhatTheKillSwitchCut(killedAt);
    // What the limits turn away at a restart is finished in the same transaction.
    this.atomically(() => this.inbox.recover(killedAt));
    return this;
  }

  /**
   * The kill switch stops what the assistant was doing, and a re-arm must not bring it back: a
   * reply still waiting to be sent when it was pulled is never sent (the inbox, for its part,
   * does not pick up the messages that were waiting then).
   */
  private dropWhatTheKillSwitchCut(killedAt: number): void {
    const dropped = this.store.outbox.giveUpQueuedBefore(
      killedAt,
      'the kill switch was pulled before it was sent',
      this.now(),
    );
    if (dropped > 0) {
      this.options.log.warn('messages queued before the kill switch was pulled are not sent', {
        count: dropped,
      });
    }
  }

  /** Starts no more turns: a stop follows once the turns in progress are cut (see `stop`). */
  pause(): void {
    this.inbox.pause();
  }

  /** Stops; a turn still in progress is released, to be picked up by the next start. */
  stop(): void {
    this.stopWatching?.();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.inbox.stop();
    this.outbound.stop();
    if (this.ownsConfig) this.config.stop();
    for (const resolve of this.verdicts.values()) resolve(null);
    this.verdicts.clear();
    this.decisions.clear();
  }

  /** A provider connected: replies and notices for it can go out now. */
  registerChannel(channel: OutboundChannel): () => void {
    return this.outbound.registerChannel(channel);
  }

  /**
   * Records inbound messages in the inbox and queues them for handling; returns once they are
   * committed, so a provider may then confirm them to its platform. This is the one place a
   * message's text enters the gateway: each is validated first (a malformed one is logged with
   * what was wrong and dropped) and cut to `limits.maxInboundChars` (so no table, transcript or
   * model ever holds more), and one already recorded (handed out again) is skipped. Each new one
   * is decided as it arrives (the access pipeline, then the limits), in the same transaction as
   * it is recorded: one turned away by a limit is finished there, never queued. Throws when the
   * database cannot take them: the provider must not confirm them then.
   */
  receive(raws: readonly unknown[]): number[] {
    this.turnedAway.clear();
    const { maxInboundChars } = this.config.current().config.limits;
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
    return this.atomically(() => this.inbox.receive(messages));
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

  /**
   * A message enters the queue (just recorded, or picked up at a start): the access pipeline
   * decides about it, and a delivery meets the limits. Returns the outcome of one finished at
   * once (turned away by a limit; a recorded one no longer valid), or null to queue it, its
   * decision kept for its turn.
   */
  private arrive(item: InboxItem): InboxOutcome | null {
    const decision = this.decide(item);
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
    const verdict = decideInbound({
      envelope,
      access: this.access,
      approved: this.approved,
      onStranger: (provider, senderId, name) => {
        const outcome = this.pairing.onStranger(provider, senderId, name);
        // Approved elsewhere since our last poll: catch up now so the next message is a Set lookup.
        if (outcome.kind === 'approved') this.approved.refresh();
        return outcome;
      },
      // Waited through a restart: judged now; provider history: when it reached us.
      ...(item.recovered
        ? { catchUpAt: this.now() }
        : envelope.isHistory
          ? { catchUpAt: item.receivedAt }
          : {}),
    });
    // A turn given up on gets no turn, only a notice: no limit applies to it.
    if (verdict.action === 'deliver' && !item.gaveUp && this.options.admit) {
      const delivery: Delivery = { ...verdict, inbox: { id: item.id, resumed: item.resumed } };
      if (!this.options.admit(delivery, { recovered: item.recovered })) {
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

  /** Runs `work` in one transaction (nested writes join it): a message and its decision commit together. */
  private atomically<T>(work: () => T): T {
    return this.options.db.transaction(work).immediate();
  }

  private async act(verdict: Verdict, envelope: Envelope, item: InboxItem): Promise<InboxOutcome> {
    switch (verdict.action) {
      case 'deliver': {
        const delivery: Delivery = { ...verdict, inbox: { id: item.id, resumed: item.resumed } };
        if (item.gaveUp) {
          this.options.log.warn('gave up on a message whose turn was cut short twice', {
            session: delivery.sessionKey,
          });
          this.options.onGaveUp?.(delivery);
          await this.outbound.send({
            ...target(envelope),
            text: interruptedNotice(envelope.text),
            inboxId: item.id,
          });
          return 'interrupted';
        }
        await this.options.deliver(delivery);
        return 'done';
      }
      case 'missed':
        this.options.log.info('caught up too late to answer; recorded as missed', {
          session: verdict.sessionKey,
          sentAt: envelope.timestamp,
        });
        this.options.onMissed?.(verdict);
        return 'missed';
      case 'pairing-reply':
        this.options.log.info('pairing requested', {
          provider: envelope.provider,
          sender: envelope.senderId,
          code: verdict.code,
        });
        if (envelope.provider !== 'console')
          await this.outbound.send({ ...target(envelope), text: verdict.text, inboxId: item.id });
        return 'done';
      case 'drop':
        this.options.onDrop?.(envelope, verdict.reason);
        // Blocks that the owner may want to know about are logged; silence elsewhere is by design.
        if (
          verdict.reason === 'not-allowlisted' ||
          verdict.reason === 'pairing-capped' ||
          verdict.reason === 'group-sender-not-allowed'
        ) {
          this.options.log.info('message blocked', {
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

  private pruneJournal(): void {
    const before = this.now() - JOURNAL_KEEP_MS;
    try {
      this.store.outbox.prune(before);
      this.inboxRepo.prune(before);
    } catch (error) {
      this.options.log.warn('could not prune the inbox and outbox', {
        error: describeError(error),
      });
    }
  }
}

/** Where a reply to a message goes: its chat, and its forum topic. */
export function target(envelope: Envelope): {
  provider: Envelope['provider'];
  chatId: string;
  threadId?: string;
} {
  return {
    provider: envelope.provider,
    chatId: envelope.chatId,
    ...(envelope.threadId ? { threadId: envelope.threadId } : {}),
  };
}
