import type { Database } from 'better-sqlite3';
import { noteLocalWrite } from './database-changes.js';
import type {
  SessionSummary,
  SessionTrust,
  ToolLocation,
  TranscriptEvent,
  TranscriptEventKind,
} from '../../src-shared/domain/transcript.js';

/** What identifies a session when it is first seen (or seen again). */
export interface SessionIdentity {
  key: string;
  provider: string;
  chatKind: 'dm' | 'group';
  peerId: string;
  title: string | null;
  trust: SessionTrust;
  toolsRunIn: ToolLocation;
}

/** A session row, with what the agent needs beyond the summary. */
export interface SessionRecord extends SessionSummary {
  /** Events before this id are from an earlier conversation. */
  contextFromId: number;
}

/** What a session is, as the UI and the CLI show it: the record without the agent's bookkeeping. */
export function sessionSummary({
  contextFromId: _bookkeeping,
  ...summary
}: SessionRecord): SessionSummary {
  return summary;
}

/** An event to append (the store assigns `id`). */
export interface NewTranscriptEvent {
  sessionKey: string;
  at: number;
  kind: TranscriptEventKind;
  actor: string;
  text: string;
  data?: Record<string, unknown> | null;
}

/** Sessions and their transcripts. */
export interface SessionsRepo {
  /** Creates the session or refreshes its identity (trust, where tools run, title). */
  upsert(identity: SessionIdentity, at: number): SessionRecord;
  get(key: string): SessionRecord | null;
  /** Every session, most recently active first. */
  list(): SessionRecord[];
  /** The `limit` most recently active sessions, most recent first (the activity index). */
  recent(limit: number): SessionRecord[];
  /**
   * Appends an event and bumps the session's activity, in one transaction; this connection's
   * change listeners ({@link noteLocalWrite}) hear of it.
   */
  append(event: NewTranscriptEvent): TranscriptEvent;
  /** Events of a session in id order: after `afterId`, or the last `limit` before `beforeId`. */
  events(
    key: string,
    page?: { afterId?: number; beforeId?: number; limit?: number },
  ): TranscriptEvent[];
  /** Events of every session after `afterId`, in id order (for followers). */
  eventsSince(afterId: number, limit?: number): TranscriptEvent[];
  /** Full-text search, newest first; `key` limits it to one session. */
  search(query: string, options?: { key?: string; limit?: number }): TranscriptEvent[];
  /** Starts a new conversation: later model calls see only events from now on. */
  resetContext(key: string): void;
  setElevated(key: string, elevated: boolean): void;
  /** Sessions active at some point in [from, to]. */
  activeBetween(from: number, to: number): SessionRecord[];
}

interface SessionRow {
  key: string;
  provider: string;
  chat_kind: 'dm' | 'group';
  peer_id: string;
  title: string | null;
  trust: SessionTrust;
  tools_run_in: ToolLocation;
  elevated: number;
  created_at: number;
  last_activity_at: number;
  context_from_id: number;
  event_count: number;
}

interface EventRow {
  id: number;
  session_key: string;
  at: number;
  kind: TranscriptEventKind;
  actor: string;
  text: string;
  data: string | null;
}

const DEFAULT_PAGE = 500;
const MAX_PAGE = 5000;

function toSession(row: SessionRow): SessionRecord {
  return {
    key: row.key,
    provider: row.provider,
    chatKind: row.chat_kind,
    peerId: row.peer_id,
    title: row.title,
    trust: row.trust,
    toolsRunIn: row.tools_run_in,
    elevated: row.elevated === 1,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    eventCount: row.event_count,
    contextFromId: row.context_from_id,
  };
}

function toEvent(row: EventRow): TranscriptEvent {
  return {
    id: row.id,
    sessionKey: row.session_key,
    at: row.at,
    kind: row.kind,
    actor: row.actor,
    text: row.text,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
  };
}

/**
 * Turns what a person types into an FTS5 query that cannot be a syntax error: each word
 * becomes a quoted prefix term, all of which must match. Returns null when nothing is left.
 * Inside quotes FTS5 runs the same tokenizer as on the stored text, so combining marks stay
 * with their letter; but a word with no letter or digit (`_`, `__`) yields no token, and an
 * empty term would make the whole AND match nothing, so such words are dropped.
 */
export function ftsQuery(input: string): string | null {
  const words = (input.match(/[\p{L}\p{M}\p{N}_]+/gu) ?? []).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(' ');
}

function pageSize(limit: number | undefined): number {
  return Math.max(1, Math.min(limit ?? DEFAULT_PAGE, MAX_PAGE));
}

/** The sessions repository over the shared database. */
export function createSessionsRepo(db: Database): SessionsRepo {
  const selectOne = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE key = ?');
  const selectAll = db.prepare<[], SessionRow>(
    'SELECT * FROM sessions ORDER BY last_activity_at DESC, key',
  );
  const selectRecent = db.prepare<[number], SessionRow>(
    'SELECT * FROM sessions ORDER BY last_activity_at DESC, key LIMIT ?',
  );
  const upsertRow = db.prepare(
    `INSERT INTO sessions (key, provider, chat_kind, peer_id, title, trust, tools_run_in, created_at, last_activity_at)
     VALUES (@key, @provider, @chatKind, @peerId, @title, @trust, @toolsRunIn, @at, @at)
     ON CONFLICT (key) DO UPDATE SET
       title = COALESCE(excluded.title, sessions.title),
       trust = excluded.trust,
       tools_run_in = excluded.tools_run_in`,
  );
  const insertEvent = db.prepare(
    'INSERT INTO session_events (session_key, at, kind, actor, text, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const bump = db.prepare(
    'UPDATE sessions SET last_activity_at = MAX(last_activity_at, ?), event_count = event_count + 1 WHERE key = ?',
  );
  const after = db.prepare<[string, number, number], EventRow>(
    'SELECT * FROM session_events WHERE session_key = ? AND id > ? ORDER BY id LIMIT ?',
  );
  const before = db.prepare<[string, number, number], EventRow>(
    'SELECT * FROM (SELECT * FROM session_events WHERE session_key = ? AND id < ? ORDER BY id DESC LIMIT ?) ORDER BY id',
  );
  const since = db.prepare<[number, number], EventRow>(
    'SELECT * FROM session_events WHERE id > ? ORDER BY id LIMIT ?',
  );
  const searchAll = db.prepare<[string, number], EventRow>(
    `SELECT e.* FROM session_events_fts f JOIN session_events e ON e.id = f.rowid
     WHERE session_events_fts MATCH ? ORDER BY e.id DESC LIMIT ?`,
  );
  const searchOne = db.prepare<[string, string, number], EventRow>(
    `SELECT e.* FROM session_events_fts f JOIN session_events e ON e.id = f.rowid
     WHERE session_events_fts MATCH ? AND e.session_key = ? ORDER BY e.id DESC LIMIT ?`,
  );
  const maxId = db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM session_events');
  const reset = db.prepare('UPDATE sessions SET context_from_id = ? WHERE key = ?');
  const elevate = db.prepare('UPDATE sessions SET elevated = ? WHERE key = ?');
  const active = db.prepare<[number, number, number], SessionRow>(
    `SELECT s.* FROM sessions s WHERE s.created_at <= ? AND EXISTS (
       SELECT 1 FROM session_events e WHERE e.session_key = s.key AND e.at BETWEEN ? AND ?)
     ORDER BY s.last_activity_at DESC`,
  );

  const appendTx = db.transaction((event: NewTranscriptEvent): TranscriptEvent => {
    const data = event.data ? JSON.stringify(event.data) : null;
    const info = insertEvent.run(
      event.sessionKey,
      event.at,
      event.kind,
      event.actor,
      event.text,
      data,
    );
    // An event for a session that was never opened could be searched but never shown.
    if (bump.run(event.at, event.sessionKey).changes === 0) {
      throw new Error(`no session ${JSON.stringify(event.sessionKey)} to append to`);
    }
    return {
      id: Number(info.lastInsertRowid),
      sessionKey: event.sessionKey,
      at: event.at,
      kind: event.kind,
      actor: event.actor,
      text: event.text,
      data: event.data ?? null,
    };
  });

  return {
    upsert(identity, at) {
      upsertRow.run({ ...identity, at });
      return toSession(selectOne.get(identity.key)!);
    },
    get(key) {
      const row = selectOne.get(key);
      return row ? toSession(row) : null;
    },
    list: () => selectAll.all().map(toSession),
    recent: (limit) => selectRecent.all(limit).map(toSession),
    append(event) {
      const appended = appendTx.immediate(event);
      // Live views of this process hear of it as they hear of other processes' events.
      noteLocalWrite(db);
      return appended;
    },
    events(key, page = {}) {
      const limit = pageSize(page.limit);
      if (page.beforeId !== undefined) return before.all(key, page.beforeId, limit).map(toEvent);
      return after.all(key, page.afterId ?? 0, limit).map(toEvent);
    },
    eventsSince: (afterId, limit) => since.all(afterId, pageSize(limit)).map(toEvent),
    search(query, options = {}) {
      const match = ftsQuery(query);
      if (!match) return [];
      const limit = pageSize(options.limit ?? 200);
      const rows =
        options.key === undefined
          ? searchAll.all(match, limit)
          : searchOne.all(match, options.key, limit);
      return rows.map(toEvent);
    },
    resetContext(key) {
      reset.run((maxId.get()?.id ?? 0) + 1, key);
    },
    setElevated(key, elevated) {
      elevate.run(elevated ? 1 : 0, key);
    },
    activeBetween: (from, to) => active.all(to, from, to).map(toSession),
  };
}
