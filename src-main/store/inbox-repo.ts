import type { Database } from 'better-sqlite3';
import type { Envelope } from '../../src-shared/domain/envelope.js';
import type { InboundProvider } from '../../src-shared/domain/providers.js';

/** Where an inbox message is: waiting, in a turn, or finished one of four ways. */
export type InboxState = 'received' | 'processing' | 'done' | 'missed' | 'interrupted' | 'dropped';

/**
 * How a message's handling finished. `dropped`: a limit turned it away when it arrived (the
 * sender's rate, its session's queue bound), so it never had a turn.
 */
export type InboxOutcome = Extract<InboxState, 'done' | 'missed' | 'interrupted' | 'dropped'>;

/** A message to record: its envelope (already validated) and the id it is known by. */
export interface NewInboxMessage {
  provider: InboundProvider;
  messageId: string;
  envelope: Envelope;
  /** Its turn begins at once: recorded already claimed (`processing`, the attempt counted). */
  claim?: boolean;
}

/** One recorded message. */
export interface InboxRow {
  id: number;
  envelope: Envelope;
  state: InboxState;
  /** Turns begun for it and cut by a crash. */
  attempts: number;
  receivedAt: number;
  /** When a turn first began for it (null: never), so a later one knows it is not the first. */
  startedAt: number | null;
}

/** State changes made together, in one transaction. */
export interface InboxTransition {
  /** Messages a turn begins for now. */
  claim?: readonly number[];
  finish?: readonly { id: number; outcome: InboxOutcome }[];
  /** Messages whose turn a stop cut short: they wait again, and the cut attempt is not counted. */
  release?: readonly number[];
  /** Messages whose turn a crash cut short: they wait again, the attempt counted. */
  requeue?: readonly number[];
}

/**
 * The inbox: every inbound message, recorded before the platform is told it arrived and before
 * anything is done with it (see migration 9), so restart recovery and live handling read the same
 * rows. Writes are batched by the caller: one transaction per call.
 */
export interface InboxRepo {
  /**
   * Records messages in one transaction and returns the rows it created, in order. A message
   * already recorded (the same provider and id) is skipped: it was handed out again.
   */
  record(messages: readonly NewInboxMessage[], at: number): InboxRow[];
  /** Messages not finished (received or in a turn), oldest first: what a start picks up. */
  unfinished(): InboxRow[];
  /** Applies claims, finishes and releases in one transaction. */
  transition(changes: InboxTransition, at: number): void;
  /** Deletes finished messages received before `before` (never the newest); returns how many. */
  prune(before: number): number;
}

interface Row {
  id: number;
  envelope: string;
  state: InboxState;
  attempts: number;
  received_at: number;
  started_at: number | null;
}

/** The inbox repository over the shared database. */
export function createInboxRepo(db: Database): InboxRepo {
  const insert = db.prepare<[string, string, string, number]>(
    `INSERT INTO inbox (provider, message_id, envelope, received_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (provider, message_id) DO NOTHING`,
  );
  const insertClaimed = db.prepare<[string, string, string, number, number]>(
    `INSERT INTO inbox (provider, message_id, envelope, received_at, state, attempts, started_at)
     VALUES (?, ?, ?, ?, 'processing', 1, ?)
     ON CONFLICT (provider, message_id) DO NOTHING`,
  );
  const unfinished = db.prepare<[], Row>(
    `SELECT id, envelope, state, attempts, received_at, started_at FROM inbox
     WHERE state IN ('received', 'processing') ORDER BY id`,
  );
  const claim = db.prepare<[number, number]>(
    `UPDATE inbox SET state = 'processing', attempts = attempts + 1,
       started_at = coalesce(started_at, ?) WHERE id = ?`,
  );
  // Messages recorded together mostly finish together: a run of consecutive ids is one statement.
  const finish = db.prepare<[InboxOutcome, number, number, number]>(
    'UPDATE inbox SET state = ?, finished_at = ? WHERE id BETWEEN ? AND ?',
  );
  const release = db.prepare<[number]>(
    `UPDATE inbox SET state = 'received', attempts = max(attempts - 1, 0)
     WHERE id = ? AND state = 'processing'`,
  );
  const requeue = db.prepare<[number]>(
    `UPDATE inbox SET state = 'received' WHERE id = ? AND state = 'processing'`,
  );
  // Ids grow with time: everything below the first row received since `before` is old. The
  // newest row always stays, so a new row never gets an id an old one had (nothing may mistake
  // a new message for one its id once named: the outbox, a transcript).
  const prune = db.prepare<[number]>(
    `DELETE FROM inbox
     WHERE id < coalesce(
         (SELECT id FROM inbox WHERE received_at >= ? ORDER BY id LIMIT 1),
         (SELECT max(id) FROM inbox))
       AND state IN ('done', 'missed', 'interrupted', 'dropped')`,
  );

  const record = db.transaction((messages: readonly NewInboxMessage[], at: number) => {
    const rows: InboxRow[] = [];
    for (const m of messages) {
      const envelope = JSON.stringify(m.envelope);
      const result = m.claim
        ? insertClaimed.run(m.provider, m.messageId, envelope, at, at)
        : insert.run(m.provider, m.messageId, envelope, at);
      if (result.changes === 0) continue;
      rows.push({
        id: Number(result.lastInsertRowid),
        envelope: m.envelope,
        state: m.claim ? 'processing' : 'received',
        attempts: m.claim ? 1 : 0,
        receivedAt: at,
        startedAt: m.claim ? at : null,
      });
    }
    return rows;
  });
  const transition = db.transaction((changes: InboxTransition, at: number) => {
    for (const id of changes.claim ?? []) claim.run(at, id);
    for (const [outcome, first, last] of runsOf(changes.finish ?? [])) {
      finish.run(outcome, at, first, last);
    }
    for (const id of changes.release ?? []) release.run(id);
    for (const id of changes.requeue ?? []) requeue.run(id);
  });

  return {
    record: (messages, at) => (messages.length === 0 ? [] : record.immediate(messages, at)),
    unfinished: () =>
      unfinished.all().map((r) => ({
        id: r.id,
        envelope: JSON.parse(r.envelope) as Envelope,
        state: r.state,
        attempts: r.attempts,
        receivedAt: r.received_at,
        startedAt: r.started_at,
      })),
    transition: (changes, at) => transition.immediate(changes, at),
    prune: (before) => prune.run(before).changes,
  };
}

/** Finished messages as runs of consecutive ids with the same outcome: `[outcome, first, last]`. */
function runsOf(
  finished: readonly { id: number; outcome: InboxOutcome }[],
): [InboxOutcome, number, number][] {
  const sorted = [...finished].sort((a, b) => a.id - b.id);
  const runs: [InboxOutcome, number, number][] = [];
  for (const { id, outcome } of sorted) {
    const last = runs.at(-1);
    if (last && last[0] === outcome && last[2] === id - 1) last[2] = id;
    else runs.push([outcome, id, id]);
  }
  return runs;
}
