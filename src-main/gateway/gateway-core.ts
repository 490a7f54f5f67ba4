import type { Database } from 'better-sqlite3';
import { EnvelopeSchema, type Envelope } from '../../src-shared/domain/envelope.js';
import { MESSAGING_PROVIDERS } from '../../src-shared/domain/providers.js';
import { createAccessStore, type AccessStore } from '../access/access-store.js';
import { importLegacyStores } from '../access/legacy-import.js';
import { PairingService } from '../access/pairing-service.js';
import { ConfigWatcher, type ConfigState } from '../config/config-watcher.js';
import type { Config } from '../../src-shared/config/schema.js';
import type { Logger } from '../logging/logger.js';
import { watchDataVersion } from '../store/data-version-watch.js';
import { ApprovedCache } from './access/approved-cache.js';
import { compileAccess, type CompiledAccess } from './access/compiled-access.js';
import { decideInbound } from './access/pipeline.js';
import { truncateInbound } from './limits/truncate-text.js';
import type { DropReason, Verdict } from './access/verdict.js';
import type { OutboundChannel } from './outbound.js';

/** A delivered message: what the session (and later the agent) receives. */
export type Delivery = Extract<Verdict, { action: 'deliver' }>;

/** Where delivered messages go: the session step. */
export type SessionSink = (delivery: Delivery) => void | Promise<void>;

/** What the gateway core needs. */
export interface GatewayCoreOptions {
  db: Database;
  stateDir: string;
  configPath: string;
  log: Logger;
  deliver: SessionSink;
  /** A message was not delivered: lets the session it would have reached record the decision. */
  onDrop?: (envelope: Envelope, reason: DropReason) => void;
  now?: () => number;
  /** How often to look for changes others made (approvals, outbox). */
  watchIntervalMs?: number;
}

// How often queued messages whose retry fell due are looked for.
const OUTBOX_RETRY_CHECK_MS = 5_000;

// Approval notices older than this are stale: the person has long since moved on.
const OUTBOX_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The gateway's inbound core: validates each envelope, runs the access pipeline, replies to
 * strangers with pairing codes, hands delivered messages to the session step, and sends what
 * others queued (approval notices) over the providers' live connections.
 */
export class GatewayCore {
  private readonly store: AccessStore;
  private readonly pairing: PairingService;
  private readonly approved: ApprovedCache;
  private readonly config: ConfigWatcher;
  private access: CompiledAccess;
  private readonly channels = new Map<string, OutboundChannel>();
  private stopWatching: (() => void) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
  private readonly now: () => number;

  constructor(private readonly options: GatewayCoreOptions) {
    this.now = options.now ?? Date.now;
    this.store = createAccessStore(options.db);
    this.pairing = new PairingService(this.store, { now: this.now });
    const imported = importLegacyStores(this.store, options.stateDir, this.now());
    for (const file of imported.imported) options.log.info('imported legacy store', file);
    for (const error of imported.errors) options.log.warn('legacy store not imported', { error });
    this.approved = new ApprovedCache(this.store.allowlist);
    this.config = new ConfigWatcher(options.configPath);
    this.access = compileAccess(this.config.current().config);
    const errors = this.config.current().errors;
    if (errors)
      options.log.error('config rejected; running with safe defaults', {
        path: options.configPath,
        errors,
      });
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

  /** Starts watching the config file and the database. */
  start(): this {
    this.config.start();
    this.stopWatching = watchDataVersion(
      this.options.db,
      this.options.watchIntervalMs ?? 250,
      () => {
        this.approved.refresh();
        void this.flushOutbox();
      },
    );
    // Retries fall due with no database change to announce them.
    this.retryTimer = setInterval(() => void this.flushOutbox(), OUTBOX_RETRY_CHECK_MS);
    this.retryTimer.unref();
    return this;
  }

  stop(): void {
    this.stopWatching?.();
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.config.stop();
  }

  /** A provider connected: replies and notices for it can go out now. */
  registerChannel(channel: OutboundChannel): () => void {
    this.channels.set(channel.provider, channel);
    void this.flushOutbox();
    return () => {
      if (this.channels.get(channel.provider) === channel) this.channels.delete(channel.provider);
    };
  }

  /** Decides about one inbound message and acts on the decision. */
  async handleInbound(raw: unknown): Promise<Verdict | null> {
    const parsed = EnvelopeSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.log.warn('malformed inbound envelope dropped', {
        issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
      return null;
    }
    // Cut to size here, first: no model, transcript or table ever holds more.
    const envelope = truncateInbound(parsed.data, this.configState().config.limits.maxInboundChars);
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
    });
    switch (verdict.action) {
      case 'deliver':
        await this.options.deliver(verdict);
        break;
      case 'pairing-reply':
        this.options.log.info('pairing requested', {
          provider: envelope.provider,
          sender: envelope.senderId,
          code: verdict.code,
        });
        if (envelope.provider !== 'console') await this.reply(envelope, verdict.text);
        break;
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
        break;
    }
    return verdict;
  }

  /** Sends a text back to the chat an envelope came from, if its provider is connected. */
  async reply(envelope: Envelope, text: string): Promise<boolean> {
    const channel = this.channels.get(envelope.provider);
    if (!channel) return false;
    await channel.send(
      envelope.chatId,
      text,
      envelope.threadId ? { threadId: envelope.threadId } : undefined,
    );
    return true;
  }

  /**
   * Sends queued messages for connected providers; safe to call often. A call during a flush
   * makes the flush go round once more, so a notice queued meanwhile is not left behind.
   */
  flushOutbox(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.flushAgain = false;
        await this.sendPending();
      } while (this.flushAgain);
    })()
      .catch((error: unknown) =>
        this.options.log.error('outbox flush failed', { error: String(error) }),
      )
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private async sendPending(): Promise<void> {
    const providers = MESSAGING_PROVIDERS.filter((p) => this.channels.has(p));
    if (providers.length === 0) return;
    const now = this.now();
    for (const message of this.store.outbox.pending(providers, now - OUTBOX_MAX_AGE_MS, now)) {
      const channel = this.channels.get(message.provider);
      if (!channel) continue;
      try {
        await channel.send(message.recipientId, message.text);
        this.store.outbox.markSent(message.id, this.now());
      } catch (error) {
        const retried = this.store.outbox.markFailed(
          message.id,
          error instanceof Error ? error.message : String(error),
          this.now(),
        );
        this.options.log.warn(
          retried ? 'could not send queued message; will retry' : 'gave up on a queued message',
          { provider: message.provider, error: String(error) },
        );
      }
    }
  }
}
