import type { Database } from 'better-sqlite3';

/** One schema step. Versions are consecutive and never edited once released. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. Append; never reorder or rewrite. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'kill switch and gateway runtime',
    sql: `
      CREATE TABLE kill_switch (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        engaged     INTEGER NOT NULL DEFAULT 0,
        reason      TEXT,
        engaged_at  INTEGER,
        source      TEXT,
        last_report TEXT,
        updated_at  INTEGER NOT NULL
      );
      INSERT INTO kill_switch (id, engaged, updated_at) VALUES (1, 0, 0);

      -- One row: the gateway process the CLI may need to find and kill, and the supervisor
      -- that owns it. Pids are stored with the process start identity to guard against reuse.
      CREATE TABLE runtime (
        id                  INTEGER PRIMARY KEY CHECK (id = 1),
        gateway_state       TEXT NOT NULL DEFAULT 'stopped',
        gateway_pid         INTEGER,
        gateway_identity    TEXT,
        gateway_started_at  INTEGER,
        gateway_ready_at    INTEGER,
        gateway_restarts    INTEGER NOT NULL DEFAULT 0,
        gateway_last_exit   TEXT,
        gateway_message     TEXT,
        gateway_next_restart_at INTEGER,
        supervisor_pid      INTEGER,
        supervisor_identity TEXT,
        supervisor_socket   TEXT,
        updated_at          INTEGER NOT NULL
      );
      INSERT INTO runtime (id, updated_at) VALUES (1, 0);
    `,
  },
  {
    version: 2,
    name: 'pairing, allowlists, access audit, outbox',
    sql: `
      -- A stranger's pending request: all that is ever stored about someone not yet approved.
      CREATE TABLE pairing_requests (
        id           TEXT PRIMARY KEY,
        provider     TEXT NOT NULL,
        sender_id    TEXT NOT NULL,
        display_name TEXT,
        code         TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        meta         TEXT NOT NULL DEFAULT '{}',
        UNIQUE (provider, sender_id),
        UNIQUE (code)
      );

      -- Senders the owner rejected; they may ask again only once this expires.
      CREATE TABLE pairing_rejections (
        provider      TEXT NOT NULL,
        sender_id     TEXT NOT NULL,
        rejected_until INTEGER NOT NULL,
        PRIMARY KEY (provider, sender_id)
      );

      -- Approved DM senders and groups (config entries live in the config file, not here).
      CREATE TABLE allowlist_entries (
        provider     TEXT NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('dm', 'group')),
        entry_id     TEXT NOT NULL,
        display_name TEXT,
        approved_at  INTEGER NOT NULL,
        approved_by  TEXT NOT NULL,
        PRIMARY KEY (provider, kind, entry_id)
      );

      -- Every access decision that changed state, for the incident trail.
      CREATE TABLE access_audit (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        at         INTEGER NOT NULL,
        provider   TEXT NOT NULL,
        action     TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        actor      TEXT NOT NULL,
        detail     TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX access_audit_at ON access_audit (at);

      -- Messages to send to a user from outside the gateway (e.g. "you were approved"); the
      -- running gateway sends them over its live connection.
      CREATE TABLE outbox (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        provider     TEXT NOT NULL,
        recipient_id TEXT NOT NULL,
        text         TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        sent_at      INTEGER,
        error        TEXT
      );

      CREATE TABLE legacy_imports (
        file        TEXT PRIMARY KEY,
        imported_at INTEGER NOT NULL,
        entries     INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'sessions and searchable transcripts',
    sql: `
      -- One row per conversation. 'main' is the owner's; others are dm:/group: keys.
      CREATE TABLE sessions (
        key              TEXT PRIMARY KEY,
        provider         TEXT NOT NULL,
        chat_kind        TEXT NOT NULL CHECK (chat_kind IN ('dm', 'group')),
        peer_id          TEXT NOT NULL,
        title            TEXT,
        trust            TEXT NOT NULL,
        tools_run_in     TEXT NOT NULL DEFAULT 'sandbox',
        elevated         INTEGER NOT NULL DEFAULT 0,
        created_at       INTEGER NOT NULL,
        last_activity_at INTEGER NOT NULL,
        -- Events before this id belong to an earlier conversation (/new, idle reset): kept
        -- in the transcript, never sent to the model again.
        context_from_id  INTEGER NOT NULL DEFAULT 0,
        event_count      INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX sessions_activity ON sessions (last_activity_at);

      -- Every event of every session, append-only.
      CREATE TABLE session_events (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        session_key TEXT NOT NULL,
        at          INTEGER NOT NULL,
        kind        TEXT NOT NULL,
        actor       TEXT NOT NULL,
        text        TEXT NOT NULL,
        data        TEXT
      );
      CREATE INDEX session_events_key ON session_events (session_key, id);
      CREATE INDEX session_events_at ON session_events (at);

      -- Full-text search over the events' text (an external-content table: no second copy).
      CREATE VIRTUAL TABLE session_events_fts USING fts5(
        text, content='session_events', content_rowid='id', tokenize='unicode61'
      );
      CREATE TRIGGER session_events_ai AFTER INSERT ON session_events BEGIN
        INSERT INTO session_events_fts (rowid, text) VALUES (new.id, new.text);
      END;
      CREATE TRIGGER session_events_ad AFTER DELETE ON session_events BEGIN
        INSERT INTO session_events_fts (session_events_fts, rowid, text)
          VALUES ('delete', old.id, old.text);
      END;
    `,
  },
  {
    version: 4,
    name: 'incident rotation checklist',
    sql: `
      -- Which secrets the owner has rotated after an incident. An incident is named by the time
      -- the kill switch was engaged (0: the standing checklist while nothing is engaged).
      CREATE TABLE incident_checks (
        incident_at INTEGER NOT NULL,
        item        TEXT NOT NULL,
        checked_at  INTEGER NOT NULL,
        PRIMARY KEY (incident_at, item)
      );
    `,
  },
  {
    version: 5,
    name: 'outbox retries',
    sql: `
      -- A failed send is retried with backoff (retry_at) before it is given up (error).
      ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN retry_at INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN last_error TEXT;
    `,
  },
  {
    version: 8,
    name: 'kill switch sandbox sweep, last good config',
    sql: `
      -- After a kill: whether sandbox containers may remain (the engine did not answer, or a
      -- removal failed) or the engine has listed none since; retries update it until clear.
      ALTER TABLE kill_switch ADD COLUMN sweep_state TEXT;
      ALTER TABLE kill_switch ADD COLUMN sweep_checked_at INTEGER;
      ALTER TABLE kill_switch ADD COLUMN sweep_error TEXT;
      ALTER TABLE kill_switch ADD COLUMN sweep_removed INTEGER NOT NULL DEFAULT 0;

      -- The last config file content that passed validation, per config path: a process that
      -- starts while the file is broken runs on it instead of on defaults.
      CREATE TABLE config_last_good (
        path     TEXT PRIMARY KEY,
        config   TEXT NOT NULL,
        saved_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'durable inbox, replies through the outbox',
    sql: `
      -- Every inbound message, recorded before the platform is told it arrived (Telegram's
      -- offset) and before anything is done with it, so a crash or a stop loses nothing that was
      -- acknowledged. A message handed out twice is one row: (provider, message_id) is unique.
      -- state: received → processing → done | missed (caught up too late, never answered) |
      -- interrupted (cut by crashes too often; the sender was told) | dropped (turned away by a
      -- limit when it arrived, finished in the same transaction, so no restart revives it).
      -- A message dropped by a limit is recorded too: its provider and id keep a redelivery from
      -- being taken as new. attempts counts the turns
      -- begun and cut by a crash; started_at is the first time a turn began.
      -- Lean on purpose, since every message pays for it: no AUTOINCREMENT (pruning keeps the
      -- newest row, so ids are never reused) and no index on state (unfinished rows are found by
      -- one scan at start; old rows are pruned by id range).
      CREATE TABLE inbox (
        id          INTEGER PRIMARY KEY,
        provider    TEXT NOT NULL,
        message_id  TEXT NOT NULL,
        envelope    TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'received'
                    CHECK (state IN ('received', 'processing', 'done', 'missed', 'interrupted',
                                     'dropped')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        received_at INTEGER NOT NULL,
        started_at  INTEGER,
        finished_at INTEGER,
        UNIQUE (provider, message_id)
      );

      -- Every reply now leaves through the outbox: to a chat (recipient_id), maybe a forum topic,
      -- tied to the inbox message it answers, so a turn tried again never answers twice.
      ALTER TABLE outbox ADD COLUMN thread_id TEXT;
      ALTER TABLE outbox ADD COLUMN inbox_id INTEGER REFERENCES inbox (id) ON DELETE SET NULL;
      CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL AND error IS NULL;
      CREATE INDEX outbox_inbox ON outbox (inbox_id) WHERE inbox_id IS NOT NULL;
      CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
    `,
  },
  {
    version: 10,
    name: 'daily usage and limit notices',
    sql: `
      -- Model use and limited messages per local day, sender ('owner' or provider:id) and
      -- session: what daily budgets are counted against and what \`clawdbot usage\` shows.
      CREATE TABLE usage_daily (
        day           TEXT NOT NULL,
        sender        TEXT NOT NULL,
        session_key   TEXT NOT NULL,
        sender_name   TEXT,
        owner         INTEGER NOT NULL DEFAULT 0,
        input_tokens  INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        model_calls   INTEGER NOT NULL DEFAULT 0,
        estimated     INTEGER NOT NULL DEFAULT 0,
        messages      INTEGER NOT NULL DEFAULT 0,
        dropped       INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, sender, session_key)
      ) WITHOUT ROWID;

      -- Notices sent once per day (a sender told their budget is used up, the owner told):
      -- kept here so a restart does not send them again.
      CREATE TABLE usage_notices (
        day     TEXT NOT NULL,
        subject TEXT NOT NULL,
        at      INTEGER NOT NULL,
        PRIMARY KEY (day, subject)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 11,
    name: 'kill switch sweep: when every sandboxed process was stopped',
    sql: `
      -- The kill switch freezes every sandbox before it removes them: when the engine last
      -- confirmed that no sandboxed process runs, even while some containers remain.
      ALTER TABLE kill_switch ADD COLUMN sweep_stopped_at INTEGER;
    `,
  },
  {
    version: 12,
    name: 'exec approvals',
    sql: `
      -- Commands waiting for the owner's decision, and 30 days of decided ones. A decision
      -- binds to exactly what runs: command, session, where and working directory are stored
      -- and compared again before the command runs. state: pending → allowed | denied; outcome
      -- says how (once, always, deny, timeout, kill-switch, stopped). prompts: the owner's chat
      -- messages that carry its buttons (JSON), edited once it is decided anywhere.
      CREATE TABLE approvals (
        id           TEXT PRIMARY KEY,
        session_key  TEXT NOT NULL,
        command      TEXT NOT NULL,
        location     TEXT NOT NULL CHECK (location IN ('host', 'sandbox')),
        cwd          TEXT NOT NULL,
        sender_id    TEXT NOT NULL,
        sender_name  TEXT,
        provider     TEXT NOT NULL,
        message      TEXT NOT NULL,
        elevated     INTEGER NOT NULL DEFAULT 0,
        requested_at INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        state        TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'allowed', 'denied')),
        outcome      TEXT,
        decided_by   TEXT,
        decided_via  TEXT,
        decided_at   INTEGER,
        prompts      TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX approvals_pending ON approvals (requested_at) WHERE state = 'pending';
      CREATE INDEX approvals_requested ON approvals (requested_at);
    `,
  },
  {
    version: 14,
    name: "allowlist notes: the owner's labels and where an entry came from",
    sql: `
      -- The owner's label for an allowlist entry (approved or from the config file), and how
      -- it was added when that is not told by the entry itself: 'manual' (added in Settings) or
      -- 'setup' (bound in the first-run setup). Pairing approvals and imports are told by
      -- allowlist_entries.approved_by; config entries without a note were written in the file.
      CREATE TABLE allowlist_notes (
        provider   TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('dm', 'group')),
        entry_id   TEXT NOT NULL,
        label      TEXT,
        origin     TEXT CHECK (origin IN ('manual', 'setup')),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (provider, kind, entry_id)
      );

      -- First-run setup: the one-time code the owner sends the bot from their own account to
      -- become owner.<provider>; the first sender of a live code claims it, once.
      CREATE TABLE owner_claims (
        code       TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        provider   TEXT,
        sender_id  TEXT,
        claimed_at INTEGER
      );

      -- The setup flow's progress, so it resumes where the owner left it.
      CREATE TABLE setup_progress (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        step       TEXT NOT NULL,
        done       TEXT NOT NULL DEFAULT '[]',
        finished   INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL
      );
      `,
  },
  {
    version: 15,
    name: 'kill history',
    sql: `
      -- Every engagement of the kill switch with its report: the kill_switch row keeps only the
      -- latest, and the owner must still see what an earlier kill did after re-arming.
      CREATE TABLE kill_history (
        engaged_at INTEGER PRIMARY KEY,
        reason     TEXT,
        source     TEXT,
        report     TEXT,
        rearmed_at INTEGER
      );
      INSERT INTO kill_history (engaged_at, reason, source, report, rearmed_at)
        SELECT engaged_at, reason, source, last_report,
               CASE WHEN engaged = 1 THEN NULL ELSE updated_at END
        FROM kill_switch WHERE id = 1 AND engaged_at IS NOT NULL;
    `,
  },
  {
    version: 23,
    name: 'tool calls by day',
    sql: `
      -- The Usage view counts the assistant's tool calls per local day over 30 days: only the
      -- tool-call events, by time, so the count never walks the rest of the transcripts.
      CREATE INDEX session_events_tool_calls ON session_events (at, session_key)
        WHERE kind = 'tool-call';
    `,
  },
  {
    version: 24,
    name: 'blocked attempts by hour',
    sql: `
      -- Messages identity and scope stopped (refused groups, strangers, rate-limited floods),
      -- counted for the dashboard's blocked attempts. Counted, not logged one row each: a flood
      -- of 10,000 messages from one sender in an hour is one row with a count of 10,000.
      -- sender_id is '' where the chat alone decided (a refused group: any member is refused);
      -- '*' counts the rest of an hour once it holds too many distinct rows (see the repo).
      CREATE TABLE blocked_counts (
        hour      INTEGER NOT NULL,
        provider  TEXT NOT NULL,
        chat_id   TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        reason    TEXT NOT NULL,
        count     INTEGER NOT NULL,
        last_at   INTEGER NOT NULL,
        PRIMARY KEY (hour, provider, chat_id, sender_id, reason)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 25,
    name: 'the engine an approval was asked for',
    sql: `
      -- The engine (its address, never a key) and OCI runtime (NULL: the engine's default) a
      -- sandboxed command was asked for, so history keeps saying where it ran after the owner
      -- switches engine. engine_endpoint NULL: a host command, or a request stored before this
      -- was recorded (shown as not recorded, never as the engine configured now).
      ALTER TABLE approvals ADD COLUMN engine_endpoint TEXT;
      ALTER TABLE approvals ADD COLUMN engine_runtime TEXT;
    `,
  },
];

/**
 * Brings the database schema up to date inside one immediate transaction, so two processes
 * opening a fresh database at the same time cannot both migrate it.
 */
export function runMigrations(db: Database, all: readonly Migration[] = migrations): number {
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    const latest = all.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new Error(
        `database schema version ${current} is newer than this Clawdbot understands (${latest}); upgrade Clawdbot`,
      );
    }
    for (const migration of all) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
    return latest;
  });
  return apply.immediate();
}
