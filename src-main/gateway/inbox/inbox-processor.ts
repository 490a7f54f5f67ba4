import { isDecisionCommand } from '../../../src-shared/domain/chat-command.js';
import type { Envelope } from '../../../src-shared/domain/envelope.js';
import type { Logger } from '../../logging/logger.js';
import type {
  InboxOutcome,
  InboxRepo,
  InboxRow,
  InboxTransition,
  NewInboxMessage,
} from '../../store/inbox-repo.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';

/** Turns begun for one message before its sender is told instead: a first try and one more. */
export const MAX_TURN_ATTEMPTS = 2;

// After a failed write (the database locked for longer than its busy timeout), try again soon.
const WRITE_RETRY_MS = 1_000;

/** One recorded message, as its handler gets it. */
export interface InboxItem {
  id: number;
  envelope: Envelope;
  receivedAt: number;
  /** A turn began for it before (a stop or a crash cut it short): this one continues it. */
  resumed: boolean;
  /** It was recorded by an earlier run and picked up at this start. */
  recovered: boolean;
  /** Crashes cut its turn short {@link MAX_TURN_ATTEMPTS} times: tell its sender, try no more. */
  gaveUp: boolean;
}

/** What the processor needs. */
export interface InboxProcessorOptions {
  repo: InboxRepo;
  /** Whether anything was already queued in answer: a turn that got that far has finished. */
  answered: (id: number) => boolean;
  /**
   * Called once for each message as it enters the queue (recorded now, or picked up at a start),
   * before it waits for its turn; synchronous, in the order recorded. Returns an outcome to finish
   * it at once without a turn (a limit turned it away: it is written finished with that outcome
   * straight away, so no restart revives it), or null to queue it.
   */
  arrive?: (item: InboxItem) => InboxOutcome | null;
  /** Handles one message; each chat's messages one at a time, in order. */
  handle: (item: InboxItem) => Promise<InboxOutcome>;
  log: Logger;
  now: () => number;
}

/**
 * Drives message handling from the inbox, so a message picked up after a restart and one that just
 * arrived take the same path: each chat's messages one at a time, in the order recorded; chats
 * side by side. Before a message's turn begins, its row is claimed (`processing`, the attempt
 * counted); when it ends, finished. A stop releases the turns it cut short (they wait again, the
 * attempt not counted). Claims and finishes are written together, in one transaction per round,
 * so a burst costs a few commits, not several per message.
 */
export class InboxProcessor {
  private readonly queues = new Map<string, InboxItem[]>();
  private readonly inFlight = new Map<string, InboxItem>();
  private finished: { id: number; outcome: InboxOutcome }[] = [];
  private released: number[] = [];
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private state: 'running' | 'paused' | 'stopped' = 'running';
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: InboxProcessorOptions) {}

  /**
   * Picks up what an earlier run left unfinished. A message whose turn had already queued an
   * answer is finished; one whose turn a crash cut short is tried once more, or, after
   * {@link MAX_TURN_ATTEMPTS}, handed over as given up (its sender is told). What was waiting
   * when the kill switch was pulled (received at or before `killedAt`) is never picked up: the
   * switch stops what the assistant was doing, and a re-arm must not bring it back.
   */
  recover(killedAt: number | null = null): number {
    const now = this.options.now();
    const answered: number[] = [];
    const killed: number[] = [];
    const requeue: number[] = [];
    const finished: { id: number; outcome: InboxOutcome }[] = [];
    const items: InboxItem[] = [];
    // Messages this run already has in hand are not an earlier run's leftovers.
    const inHand = new Set([
      ...[...this.queues.values()].flat().map((item) => item.id),
      ...[...this.inFlight.values()].map((item) => item.id),
    ]);
    for (const row of this.options.repo.unfinished()) {
      if (inHand.has(row.id)) continue;
      if (killedAt !== null && row.receivedAt <= killedAt) {
        killed.push(row.id);
        continue;
      }
      if (row.startedAt !== null && this.options.answered(row.id)) {
        answered.push(row.id);
        continue;
      }
      const gaveUp = row.state === 'processing' && row.attempts >= MAX_TURN_ATTEMPTS;
      const item = itemOf(row, { recovered: true, gaveUp, resumed: row.startedAt !== null });
      const turnedAway = this.options.arrive?.(item) ?? null;
      if (turnedAway) {
        finished.push({ id: row.id, outcome: turnedAway });
        continue;
      }
      if (row.state === 'processing' && !gaveUp) requeue.push(row.id);
      items.push(item);
    }
    this.options.repo.transition(
      {
        finish: [
          ...answered.map((id) => ({ id, outcome: 'done' as const })),
          ...killed.map((id) => ({ id, outcome: 'interrupted' as const })),
          ...finished,
        ],
        requeue,
      },
      now,
    );
    if (killed.length > 0) {
      this.options.log.warn('messages the kill switch cut short are not resumed', {
        count: killed.length,
      });
    }
    if (items.length > 0 || answered.length > 0 || finished.length > 0) {
      this.options.log.info('picked up unfinished messages', {
        waiting: items.length - items.filter((i) => i.gaveUp).length,
        gaveUp: items.filter((i) => i.gaveUp).length,
        alreadyAnswered: answered.length,
        turnedAway: finished.length,
      });
    }
    this.add(items);
    return items.length;
  }

  /**
   * Records messages (one transaction) and queues them; returns the ids recorded (a message
   * already recorded is skipped). Each new message meets {@link InboxProcessorOptions.arrive}
   * first (while running); one it turns away is finished at once. A message whose chat is idle
   * is recorded already claimed and its turn begins at once: one write for it instead of two, and
   * no wait for the next round. Throws when the database cannot take them.
   */
  receive(messages: readonly NewInboxMessage[]): number[] {
    const claimed = new Set<string>();
    const prepared = messages.map((message) => {
      const chat = chatOf(message.envelope);
      const claim =
        this.state === 'running' &&
        !this.inFlight.has(chat) &&
        !this.queues.has(chat) &&
        !claimed.has(chat);
      if (claim) claimed.add(chat);
      return { ...message, claim };
    });
    const now = this.options.now();
    const rows = this.options.repo.record(prepared, now);
    const queued: InboxItem[] = [];
    const starting: [string, InboxItem][] = [];
    const turnedAway: { id: number; outcome: InboxOutcome }[] = [];
    for (const row of rows) {
      const item = itemOf(row, { recovered: false, gaveUp: false, resumed: false });
      // Messages recorded while a stop is under way are decided by the next start.
      const outcome = this.state === 'running' ? (this.options.arrive?.(item) ?? null) : null;
      if (outcome) turnedAway.push({ id: row.id, outcome });
      else if (row.state === 'processing') starting.push([chatOf(item.envelope), item]);
      else queued.push(item);
    }
    // Written before anything else happens: a restart must never revive a message turned away.
    if (turnedAway.length > 0) this.options.repo.transition({ finish: turnedAway }, now);
    for (const [chat, item] of starting) {
      this.inFlight.set(chat, item);
      void this.run(chat, item);
    }
    this.add(queued);
    return rows.map((row) => row.id);
  }

  /** Resolves once nothing is queued or being handled. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts no more turns (a stop is coming); turns in flight finish or are cut by the caller. */
  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  /**
   * Stops for good: what finished is written, and every turn still in flight is released, so
   * the next start picks it up. Nothing is written after this.
   */
  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const release = [...this.released, ...[...this.inFlight.values()].map((item) => item.id)];
    try {
      this.options.repo.transition({ finish: this.finished, release }, this.options.now());
    } catch (error) {
      // Unwritten, the rows stay `processing`: the next start treats them as cut by a crash.
      this.options.log.error('could not record the inbox state at stop', {
        error: describeError(error),
      });
    }
    this.finished = [];
    this.released = [];
    this.inFlight.clear();
    this.queues.clear();
    this.settleIdle();
  }

  private add(items: readonly InboxItem[]): void {
    if (items.length === 0 || this.state === 'stopped') return;
    for (const item of items) {
      const chat = chatOf(item.envelope);
      const queue = this.queues.get(chat);
      if (queue) queue.push(item);
      else this.queues.set(chat, [item]);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.state === 'stopped') return;
    this.scheduled = true;
    // One round per turn of the event loop: completions and arrivals of the same moment share
    // one transaction.
    setImmediate(() => this.round());
  }

  /** Writes what finished, claims the next message of every idle chat, and starts their turns. */
  private round(): void {
    this.scheduled = false;
    if (this.state === 'stopped') return;
    const starting: [string, InboxItem][] = [];
    if (this.state === 'running') {
      for (const [chat, queue] of this.queues) {
        if (this.inFlight.has(chat)) continue;
        const item = queue.shift()!;
        if (queue.length === 0) this.queues.delete(chat);
        starting.push([chat, item]);
      }
    }
    const changes: InboxTransition = {
      claim: starting.filter(([, item]) => !item.gaveUp).map(([, item]) => item.id),
      finish: this.finished,
      release: this.released,
    };
    if (changes.claim!.length + this.finished.length + this.released.length > 0) {
      try {
        this.options.repo.transition(changes, this.options.now());
      } catch (error) {
        // Nothing started: put the messages back in front and try the round again shortly.
        for (const [chat, item] of starting.reverse()) {
          const queue = this.queues.get(chat);
          if (queue) queue.unshift(item);
          else this.queues.set(chat, [item]);
        }
        this.options.log.error('could not record inbox progress; retrying', {
          error: describeError(error),
        });
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = null;
          this.schedule();
        }, WRITE_RETRY_MS);
        return;
      }
      this.finished = [];
      this.released = [];
    }
    for (const [chat, item] of starting) {
      this.inFlight.set(chat, item);
      void this.run(chat, item);
    }
    this.settleIdle();
  }

  private async run(chat: string, item: InboxItem): Promise<void> {
    let outcome: InboxOutcome | 'released';
    try {
      outcome = await this.options.handle(item);
    } catch (error) {
      if (this.state === 'running') {
        this.options.log.error('handling a message failed', {
          provider: item.envelope.provider,
          error: describeError(error),
        });
        outcome = 'done';
      } else {
        // Cut short by the stop: it waits for the next start.
        outcome = 'released';
      }
    }
    if (this.state === 'stopped' || this.inFlight.get(chat) !== item) return;
    this.inFlight.delete(chat);
    if (outcome === 'released') this.released.push(item.id);
    else this.finished.push({ id: item.id, outcome });
    this.schedule();
  }

  private isIdle(): boolean {
    return this.queues.size === 0 && this.inFlight.size === 0;
  }

  private settleIdle(): void {
    if (!this.isIdle() && this.state !== 'stopped') return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function itemOf(
  row: InboxRow,
  flags: { recovered: boolean; gaveUp: boolean; resumed: boolean },
): InboxItem {
  return { id: row.id, envelope: row.envelope, receivedAt: row.receivedAt, ...flags };
}

/** Messages of one chat are handled in order; a recovered envelope may be malformed, hence `?.`. */
function chatOf(envelope: Envelope): string {
  const chat = `${String(envelope?.provider)}\u0000${String(envelope?.chatId)}`;
  // A decision gets its own lane: the chat's turn may be the one paused waiting for it.
  return typeof envelope?.text === 'string' && isDecisionCommand(envelope.text)
    ? `${chat}\u0000decision`
    : chat;
}
