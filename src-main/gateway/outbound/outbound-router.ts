import type { InboundProvider } from '../../../src-shared/domain/providers.js';
import type { Logger } from '../../logging/logger.js';
import type { OutboxMessage, OutboxRepo } from '../../store/outbox-repo.js';
import { SendFailure, type OutboundChannel } from './outbound-channel.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';

/** A message to send: where it goes and, for a reply, which inbox message it answers. */
export interface OutboundMessage {
  provider: InboundProvider;
  chatId: string;
  threadId?: string;
  text: string;
  inboxId?: number | null;
}

/** Messages queued for one chat, to hand to {@link OutboundRouter.deliver}. */
export interface QueuedMessages {
  provider: InboundProvider;
  chatId: string;
}

/** What the router needs. */
export interface OutboundRouterOptions {
  outbox: OutboxRepo;
  log: Logger;
  now?: () => number;
  /** The parts a provider accepts a text in (Telegram: 4,096 characters each); default: whole. */
  split?: (provider: InboundProvider, text: string) => string[];
}

// Messages older than this are stale: the person has long since moved on.
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The gateway's outbound side: the providers' live channels (sends and typing indicators), and
 * every message the gateway sends (replies, pairing codes, notices others queued) through the
 * durable outbox. A message is stored before it is sent, so one that fails (the network, a flood
 * wait) or finds its provider disconnected is sent later, with bounded retries; each chat's
 * messages go out one at a time in the order queued, even across a retry, and a chat whose send
 * hangs holds up only itself.
 */
export class OutboundRouter {
  private readonly channels = new Map<InboundProvider, OutboundChannel>();
  /** Per chat, the pass sending its messages, while one runs. */
  private readonly passes = new Map<string, Promise<void>>();
  /** Chats to go round again once their running pass ends (a message was queued meanwhile). */
  private readonly again = new Set<string>();
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAt = Number.POSITIVE_INFINITY;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: OutboundRouterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A provider connected: its messages can go out now. Returns the undo. */
  registerChannel(channel: OutboundChannel): () => void {
    this.channels.set(channel.provider, channel);
    void this.flush();
    return () => {
      if (this.channels.get(channel.provider) === channel) this.channels.delete(channel.provider);
    };
  }

  /**
   * Shows "typing…" in a chat of a connected provider until the returned function is called;
   * undefined when its provider is not connected or shows no such thing (the console).
   */
  typing(provider: InboundProvider, chatId: string): (() => void) | undefined {
    return this.channels.get(provider)?.typing?.(chatId);
  }

  /** Whether anything was already queued in answer to an inbox message. */
  answered(inboxId: number): boolean {
    return this.options.outbox.answered(inboxId);
  }

  /**
   * Gives up every message still waiting that was queued at or before `killedAt`: the kill
   * switch stops what the assistant was doing, and a re-arm must not send it after all.
   */
  dropWhatTheKillSwitchCut(killedAt: number): void {
    const dropped = this.options.outbox.giveUpQueuedBefore(
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

  /**
   * Stores a message (in the parts its provider accepts) and returns where it waits; nothing is
   * sent yet. Synchronous, so a caller can store it in the same transaction as what it answers.
   */
  enqueue(message: OutboundMessage): QueuedMessages {
    const at = this.now();
    const parts = this.options.split?.(message.provider, message.text) ?? [message.text];
    for (const text of parts) {
      this.options.outbox.enqueue(
        {
          provider: message.provider,
          recipientId: message.chatId,
          threadId: message.threadId ?? null,
          text,
          inboxId: message.inboxId ?? null,
        },
        at,
      );
    }
    return { provider: message.provider, chatId: message.chatId };
  }

  /**
   * Sends what waits for a chat; resolves once each message due has been tried (sent, or failed
   * and kept for a retry) or must wait behind an earlier one's retry or for its provider.
   */
  deliver(queued: QueuedMessages): Promise<void> {
    return this.pass(queued.provider, queued.chatId);
  }

  /** Stores a message, then sends it (see {@link deliver}). */
  send(message: OutboundMessage): Promise<void> {
    return this.deliver(this.enqueue(message));
  }

  /**
   * Sends whatever waits for connected providers: messages others queued (approval notices),
   * retries that fell due, replies kept while a provider was away. Safe to call often.
   */
  async flush(): Promise<void> {
    if (this.stopped) return;
    const providers = [...this.channels.keys()];
    if (providers.length === 0) return;
    const chats = new Map<string, QueuedMessages>();
    try {
      for (const m of this.options.outbox.waiting(providers, this.now() - MAX_AGE_MS)) {
        chats.set(chatKey(m.provider, m.recipientId), {
          provider: m.provider,
          chatId: m.recipientId,
        });
      }
    } catch (error) {
      this.options.log.error('outbox flush failed', { error: describeError(error) });
      return;
    }
    await Promise.all([...chats.values()].map((chat) => this.deliver(chat)));
  }

  /** Sends nothing more (passes in flight finish their current send); what waits stays stored. */
  stop(): void {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
  }

  private pass(provider: InboundProvider, chatId: string): Promise<void> {
    const key = chatKey(provider, chatId);
    const running = this.passes.get(key);
    if (running) {
      this.again.add(key);
      return running;
    }
    const pass = (async () => {
      do {
        this.again.delete(key);
        await this.sendChat(provider, chatId);
      } while (this.again.has(key) && !this.stopped);
    })()
      .catch((error: unknown) =>
        this.options.log.error('sending queued messages failed', { error: describeError(error) }),
      )
      .finally(() => this.passes.delete(key));
    this.passes.set(key, pass);
    return pass;
  }

  /** Sends one chat's waiting messages in order, until one must wait. */
  private async sendChat(provider: InboundProvider, chatId: string): Promise<void> {
    const now = this.now();
    for (const message of this.options.outbox.waitingFor(provider, chatId, now - MAX_AGE_MS)) {
      if (this.stopped) return;
      // An earlier message waiting for its retry holds the later ones back: order is kept.
      if (message.retryAt > now) {
        this.wakeUpAt(message.retryAt);
        return;
      }
      const channel = this.channels.get(provider);
      // Sent when the provider (re)connects.
      if (!channel) return;
      if (!(await this.sendOne(channel, message))) return;
    }
  }

  /** One attempt; resolves whether the chat's next message may go on. */
  private async sendOne(channel: OutboundChannel, message: OutboxMessage): Promise<boolean> {
    try {
      await channel.send(
        message.recipientId,
        message.text,
        message.threadId ? { threadId: message.threadId } : undefined,
      );
      this.options.outbox.markSent(message.id, this.now());
      return true;
    } catch (error) {
      const failure =
        error instanceof SendFailure ? error : new SendFailure(describeError(error), 'transient');
      const at = this.now();
      const context = { provider: message.provider, error: failure.message };
      if (failure.kind === 'permanent') {
        this.options.outbox.giveUp(message.id, failure.message, at);
        this.options.log.warn('the platform refused a message for good; not retrying', context);
        return true;
      }
      const retryAt = this.options.outbox.markFailed(
        message.id,
        failure.message,
        at,
        failure.retryAfterMs,
      );
      if (retryAt !== null) {
        this.options.log.warn('could not send a message; will retry', {
          ...context,
          retryInMs: retryAt - at,
        });
        this.wakeUpAt(retryAt);
        return false;
      }
      this.options.log.warn('gave up on a message after its last retry', context);
      return true;
    }
  }

  /** Flushes again when the earliest retry falls due (one timer for all chats). */
  private wakeUpAt(at: number): void {
    if (this.stopped || at >= this.wakeAt) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        this.wakeAt = Number.POSITIVE_INFINITY;
        void this.flush();
      },
      Math.max(0, at - this.now()),
    );
    this.wakeTimer.unref();
  }
}

function chatKey(provider: InboundProvider, chatId: string): string {
  return `${provider}\u0000${chatId}`;
}
