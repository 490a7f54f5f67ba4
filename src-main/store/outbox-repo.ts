import type { Database } from 'better-sqlite3';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';

/** A message waiting for the gateway to send it. */
export interface OutboxMessage {
  id: number;
  provider: MessagingProvider;
  recipientId: string;
  text: string;
  createdAt: number;
}

/** Messages queued by the CLI or the UI for the running gateway to deliver. */
export interface OutboxRepo {
  enqueue(provider: MessagingProvider, recipientId: string, text: string, at: number): void;
  /**
   * Unsent messages for these providers, oldest first, not older than `since`, whose next try
   * is due at `now` (default: all of them).
   */
  pending(providers: readonly MessagingProvider[], since: number, now?: number): OutboxMessage[];
  markSent(id: number, at: number): void;
  /**
   * Records a failed send. A transient failure (the network, a provider reconnecting) must not
   * cost someone their "you were approved": the message is tried again with backoff, and given
   * up only after {@link OUTBOX_RETRY_DELAYS_MS} is exhausted. Resolves whether it will be retried.
   */
  markFailed(id: number, error: string, at: number): boolean;
}

interface Row {
  id: number;
  provider: MessagingProvider;
  recipient_id: string;
  text: string;
  created_at: number;
}

/** The waits before each retry of a failed send; after the last, the message is given up. */
export const OUTBOX_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000] as const;

/** The outbox repository over the shared database. */
export function createOutboxRepo(db: Database): OutboxRepo {
  const insert = db.prepare(
    'INSERT INTO outbox (provider, recipient_id, text, created_at) VALUES (?, ?, ?, ?)',
  );
  const select = db.prepare<[number, number], Row>(
    'SELECT id, provider, recipient_id, text, created_at FROM outbox WHERE sent_at IS NULL AND error IS NULL AND created_at >= ? AND retry_at <= ? ORDER BY id',
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
  const markFailed = db.transaction((id: number, error: string, at: number): boolean => {
    const attempts = attemptsOf.get(id)?.attempts ?? 0;
    const delay = OUTBOX_RETRY_DELAYS_MS[attempts];
    if (delay === undefined) {
      failed.run(error, error, at, id);
      return false;
    }
    retry.run(at + delay, error, id);
    return true;
  });
  return {
    enqueue: (provider, recipientId, text, at) => void insert.run(provider, recipientId, text, at),
    pending: (providers, since, now = Number.MAX_SAFE_INTEGER) =>
      select
        .all(since, now)
        .filter((r) => providers.includes(r.provider))
        .map((r) => ({
          id: r.id,
          provider: r.provider,
          recipientId: r.recipient_id,
          text: r.text,
          createdAt: r.created_at,
        })),
    markSent: (id, at) => void sent.run(at, id),
    markFailed: (id, error, at) => markFailed.immediate(id, error, at),
  };
}
