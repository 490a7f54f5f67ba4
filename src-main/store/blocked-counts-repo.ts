import type { Database } from 'better-sqlite3';

const HOUR = 3_600_000;

/**
 * How many distinct (chat, sender, reason) rows one hour may hold before the rest of that hour
 * is counted together: one row per provider and reason, chat and sender `*`. Distinct senders
 * cost an attacker little on some platforms; this keeps even a flood from thousands of accounts
 * to about a hundred rows an hour, and so the 90 days the rows are kept to a few hundred
 * thousand rows at worst, while the total stays exact.
 */
export const MAX_BLOCKED_ROWS_PER_HOUR = 100;

/** One message identity or scope stopped, as counted. */
export interface BlockedAttempt {
  at: number;
  provider: string;
  /** The chat it was sent in (the group, or the DM's chat). */
  chatId: string;
  /** Who sent it; `''` when the chat alone decided (any member of a refused group is refused). */
  senderId: string;
  /** Why it was stopped (a drop reason of the access pipeline, or `rate-limited`). */
  reason: string;
}

/** One hour's count for one chat, sender and reason. */
export interface BlockedCount {
  hour: number;
  provider: string;
  chatId: string;
  senderId: string;
  reason: string;
  count: number;
  lastAt: number;
}

/** Blocked attempts counted per hour, chat, sender and reason: what the dashboard counts. */
export interface BlockedCountsRepo {
  /** Counts one attempt: an upsert, so a flood adds to one row instead of a row a message. */
  count(attempt: BlockedAttempt): void;
  /** The counts of the hours starting at or after `since`, oldest first. */
  since(since: number): BlockedCount[];
  /** Deletes the hours that began before `before`; returns how many rows went. */
  prune(before: number): number;
}

interface Row {
  hour: number;
  provider: string;
  chat_id: string;
  sender_id: string;
  reason: string;
  count: number;
  last_at: number;
}

/** The blocked counts repository over the shared database (written by the gateway). */
export function createBlockedCountsRepo(db: Database): BlockedCountsRepo {
  const bump = db.prepare<Row>(
    `UPDATE blocked_counts SET count = count + 1, last_at = max(last_at, @last_at)
     WHERE hour = @hour AND provider = @provider AND chat_id = @chat_id
       AND sender_id = @sender_id AND reason = @reason`,
  );
  const rowsIn = db
    .prepare<[number], number>('SELECT COUNT(*) FROM blocked_counts WHERE hour = ?')
    .pluck();
  const insert = db.prepare<Row>(
    `INSERT INTO blocked_counts (hour, provider, chat_id, sender_id, reason, count, last_at)
     VALUES (@hour, @provider, @chat_id, @sender_id, @reason, 1, @last_at)
     ON CONFLICT DO UPDATE SET count = count + 1, last_at = max(last_at, excluded.last_at)`,
  );
  const select = db.prepare<[number], Row>(
    'SELECT * FROM blocked_counts WHERE hour >= ? ORDER BY hour, provider, chat_id, sender_id, reason',
  );
  const prune = db.prepare<[number]>('DELETE FROM blocked_counts WHERE hour < ?');
  // One transaction (a savepoint inside the gateway's own): the row count read and the insert
  // must not interleave with another writer's.
  const count = db.transaction((a: BlockedAttempt) => {
    const row: Row = {
      hour: Math.floor(a.at / HOUR) * HOUR,
      provider: a.provider,
      chat_id: a.chatId,
      sender_id: a.senderId,
      reason: a.reason,
      count: 1,
      last_at: a.at,
    };
    if (bump.run(row).changes > 0) return;
    const full = (rowsIn.get(row.hour) ?? 0) >= MAX_BLOCKED_ROWS_PER_HOUR;
    insert.run(full ? { ...row, chat_id: '*', sender_id: '*' } : row);
  });
  return {
    count: (attempt) => count(attempt),
    since: (since) =>
      select.all(since).map((r) => ({
        hour: r.hour,
        provider: r.provider,
        chatId: r.chat_id,
        senderId: r.sender_id,
        reason: r.reason,
        count: r.count,
        lastAt: r.last_at,
      })),
    prune: (before) => prune.run(before).changes,
  };
}
