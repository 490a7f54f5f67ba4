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
  /** Unsent messages for these providers, oldest first, not older than `since`. */
  pending(providers: readonly MessagingProvider[], since: number): OutboxMessage[];
  markSent(id: number, at: number): void;
  markFailed(id: number, error: string, at: number): void;
}

interface Row {
  id: number;
  provider: MessagingProvider;
  recipient_id: string;
  text: string;
  created_at: number;
}

/** The outbox repository over the shared database. */
export function createOutboxRepo(db: Database): OutboxRepo {
  const insert = db.prepare(
    'INSERT INTO outbox (provider, recipient_id, text, created_at) VALUES (?, ?, ?, ?)',
  );
  const select = db.prepare<[number], Row>(
    'SELECT id, provider, recipient_id, text, created_at FROM outbox WHERE sent_at IS NULL AND error IS NULL AND created_at >= ? ORDER BY id',
  );
  const sent = db.prepare('UPDATE outbox SET sent_at = ? WHERE id = ?');
  const failed = db.prepare('UPDATE outbox SET error = ?, sent_at = ? WHERE id = ?');
  return {
    enqueue: (provider, recipientId, text, at) => void insert.run(provider, recipientId, text, at),
    pending: (providers, since) =>
      select
        .all(since)
        .filter((r) => providers.includes(r.provider))
        .map((r) => ({
          id: r.id,
          provider: r.provider,
          recipientId: r.recipient_id,
          text: r.text,
          createdAt: r.created_at,
        })),
    markSent: (id, at) => void sent.run(at, id),
    markFailed: (id, error, at) => void failed.run(error, at, id),
  };
}
