import type { Database } from 'better-sqlite3';
import type { InboundProvider } from '../../src-shared/domain/providers.js';

/** A message to queue: to a chat (a DM peer or a group), maybe a forum topic. */
export interface NewOutboxMessage {
  provider: InboundProvider;
  /** The chat to send to (a DM's peer id, or the group id). */
  recipientId: string;
  threadId?: string | null;
  text: string;
  /** The inbox message this answers: a turn tried again after a crash checks it first. */
  inboxId?: number | null;
}

/** A message waiting for the gateway to send it. */
export interface OutboxMessage {
  id: number;
  provider: InboundProvider;
  recipientId: string;
  threadId: string | null;
  text: string;
  inboxId: number | null;
  createdAt: number;
  /** Failed sends so far. */
  attempts: number;
  /** Not to be tried before this (0: at once). */
  retryAt: number;
}

/**
 * Every message the gateway sends — replies, pairing codes, notices — and those the CLI or the UI
 * queue for it ("you were approved"): stored first, then sent over the provider's live connection,
 * retried with backoff when a send fails, and given up only after the last retry.
 */
export interface OutboxRepo {
  /** Queues a message; returns its id. */
  enqueue(message: NewOutboxMessage, at: number): number;
  /**
   * Unsent messages for these providers that are not given up, oldest first, not older than
   * `since` (older ones are stale and never sent), whether or not their next try is due yet.
   */
  waiting(providers: readonly InboundProvider[], since: number): OutboxMessage[];
  /** The same, for one chat. */
  waitingFor(provider: InboundProvider, recipientId: string, since: number): OutboxMessage[];
  /**
   * Unsent messages for these providers whose next try is due at `now` (default: all of them),
   * oldest first, not older than `since`.
   */
  pending(providers: readonly InboundProvider[], since: number, now?: number): OutboxMessage[];
  /** Whether anything was queued in answer to an inbox message. */
  answered(inboxId: number): boolean;
  markSent(id: number, at: number): void;
  /**
   * Records a failed send. A transient failure (the network, a flood wait, a provider
   * reconnecting) must not cost anyone their reply: the message is tried again after
   * `retryAfterMs` when the platform said how long to wait, else after the next of
   * {@link OUTBOX_RETRY_DELAYS_MS}, and given up once those are exhausted. Returns when it will
   * be tried again, or null when it was given up.
   */
  markFailed(id: number, error: string, at: number, retryAfterMs?: number | null): number | null;
  /** Gives a message up at once: the platform refused it for good (a blocked bot, no such chat). */
  giveUp(id: number, error: string, at: number): void;
  /** Gives up every message still waiting that was queued at or before `before`; returns how many. */
  giveUpQueuedBefore(before: number, error: string, at: number): number;
  /** Deletes messages sent or given up before `before`; returns how many. */
  prune(before: number): number;
}

interface Row {
  id: number;
  provider: InboundProvider;
  recipient_id: string;
  thread_id: string | null;
  text: string;
  inbox_id: number | null;
  created_at: number;
  attempts: number;
  retry_at: number;
}

/** The waits before each retry of a failed send; after the last, the message is given up. */
export const OUTBOX_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000] as const;

const COLUMNS =
  'id, provider, recipient_id, thread_id, text, inbox_id, created_at, attempts, retry_at';

/** The outbox repository over the shared database. */
export function createOutboxRepo(db: Database): OutboxRepo {
  const insert = db.prepare<[string, string, string | null, string, number | null, number]>(
    `INSERT INTO outbox (provider, recipient_id, thread_id, text, inbox_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const waiting = db.prepare<[number, number], Row>(
    `SELECT ${COLUMNS} FROM outbox
     WHERE sent_at IS NULL AND error IS NULL AND created_at >= ? AND retry_at <= ? ORDER BY id`,
  );
  const waitingFor = db.prepare<[string, string, number], Row>(
    `SELECT ${COLUMNS} FROM outbox
     WHERE sent_at IS NULL AND error IS NULL AND provider = ? AND recipient_id = ? AND created_at >= ?
     ORDER BY id`,
  );
  const answered = db.prepare<[number], { n: number }>(
    'SELECT count(*) AS n FROM outbox WHERE inbox_id = ?',
  );
  const sent = db.prepare('UPDATE outbox SET sent_at = ? WHERE id = ?');
  const attemptsOf = db.prepare<[number], { attempts: number }>(
    'SELECT attempts FROM outbox WHERE id = ?',
  );
  const retry = db.prepare(
    'UPDATE outbox SET attempts = attempts + 1, retry_at = ?, last_error = ? WHERE id = ?',
  );
  const failed = db.prepare(
    'UPDATE outbox SET attempts = attempts + 1, error = ?, last_error = ?, sent_at = ? WHERE id = ?',
  );
  const giveUpBefore = db.prepare<[string, string, number, number]>(
    `UPDATE outbox SET error = ?, last_error = ?, sent_at = ?
     WHERE sent_at IS NULL AND error IS NULL AND created_at <= ?`,
  );
  const prune = db.prepare<[number]>(
    'DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?',
  );
  const markFailed = db.transaction(
    (id: number, error: string, at: number, retryAfterMs: number | null): number | null => {
      const attempts = attemptsOf.get(id)?.attempts ?? 0;
      const backoff = OUTBOX_RETRY_DELAYS_MS[attempts];
      if (backoff === undefined) {
        failed.run(error, error, at, id);
        return null;
      }
      const retryAt = at + (retryAfterMs ?? backoff);
      retry.run(retryAt, error, id);
      return retryAt;
    },
  );
  const rows = (list: Row[], providers?: readonly InboundProvider[]): OutboxMessage[] =>
    list
      .filter((r) => !providers || providers.includes(r.provider))
      .map((r) => ({
        id: r.id,
        provider: r.provider,
        recipientId: r.recipient_id,
        threadId: r.thread_id,
        text: r.text,
        inboxId: r.inbox_id,
        createdAt: r.created_at,
        attempts: r.attempts,
        retryAt: r.retry_at,
      }));
  return {
    enqueue: (m, at) =>
      Number(
        insert.run(m.provider, m.recipientId, m.threadId ?? null, m.text, m.inboxId ?? null, at)
          .lastInsertRowid,
      ),
    waiting: (providers, since) => rows(waiting.all(since, Number.MAX_SAFE_INTEGER), providers),
    waitingFor: (provider, recipientId, since) =>
      rows(waitingFor.all(provider, recipientId, since)),
    pending: (providers, since, now = Number.MAX_SAFE_INTEGER) =>
      rows(waiting.all(since, now), providers),
    answered: (inboxId) => (answered.get(inboxId)?.n ?? 0) > 0,
    markSent: (id, at) => void sent.run(at, id),
    markFailed: (id, error, at, retryAfterMs = null) =>
      markFailed.immediate(id, error, at, retryAfterMs),
    giveUp: (id, error, at) => void failed.run(error, error, at, id),
    giveUpQueuedBefore: (before, error, at) => giveUpBefore.run(error, error, at, before).changes,
    prune: (before) => prune.run(before).changes,
  };
}
