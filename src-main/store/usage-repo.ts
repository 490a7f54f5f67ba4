import type { Database } from 'better-sqlite3';
import type { LimitsConfig } from '../../src-shared/config/limits-schema.js';
import type { SenderUsage, SessionUsage, UsageReport } from '../../src-shared/domain/usage.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

/** Whose use a count is, on which day and in which session. */
export interface UsageSubject {
  /** The local day, `YYYY-MM-DD` (see {@link usageDay}). */
  day: string;
  /** `owner`, or `<provider>:<sender id>`. */
  sender: string;
  senderName: string | null;
  owner: boolean;
  sessionKey: string;
}

/** Tokens one model call used, as its API reported them (or estimated, when it reported none). */
export interface CallUsage {
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
}

/** One stored row: a sender's use in one session on one day. */
export interface UsageRow {
  day: string;
  sender: string;
  sessionKey: string;
  senderName: string | null;
  owner: boolean;
  inputTokens: number;
  outputTokens: number;
  modelCalls: number;
  estimated: boolean;
  messages: number;
  dropped: number;
}

/** Daily model use and limited messages, what budgets count against. */
export interface UsageRepo {
  /** Counts a message that reached its session step: let through, or dropped by a limit. */
  recordMessage(subject: UsageSubject, outcome: 'admitted' | 'dropped'): void;
  /** Counts as dropped a message already counted, which a limit stopped later (a budget). */
  recordDropped(subject: UsageSubject): void;
  recordModelCall(subject: UsageSubject, usage: CallUsage): void;
  /** A sender's tokens on a day, across their sessions. */
  senderTokens(day: string, sender: string): number;
  /** Everyone's tokens on a day. */
  totalTokens(day: string): number;
  /** True the first time it is asked for `subject` on `day`: a notice is sent once a day. */
  claimNotice(day: string, subject: string, at: number): boolean;
  rows(day: string): UsageRow[];
  /** Every row from day `from` to day `to` (`YYYY-MM-DD`, both included). */
  rowsBetween(from: string, to: string): UsageRow[];
  /** The assistant's tool calls per day and session, over the given local days. */
  toolCalls(days: readonly LocalDay[]): SessionToolCalls[];
  /** The titles of the sessions given that have one. */
  sessionTitles(keys: readonly string[]): Map<string, string>;
  /** Deletes the counts and notices of days before `day`; how many rows went. */
  prune(day: string): number;
}

/** One local day and the moments it spans: from its midnight to the next (DST included). */
export interface LocalDay {
  day: string;
  start: number;
  end: number;
}

/** Tool calls one session made on one day. */
export interface SessionToolCalls {
  day: string;
  sessionKey: string;
  toolCalls: number;
}

interface Row {
  day: string;
  sender: string;
  session_key: string;
  sender_name: string | null;
  owner: number;
  input_tokens: number;
  output_tokens: number;
  model_calls: number;
  estimated: number;
  messages: number;
  dropped: number;
}

/** The usage repository over the shared database. */
export function createUsageRepo(db: Database): UsageRepo {
  const upsert = db.prepare<
    [string, string, string, string | null, number, number, number, number, number, number, number]
  >(
    `INSERT INTO usage_daily (day, sender, session_key, sender_name, owner, input_tokens,
       output_tokens, model_calls, estimated, messages, dropped)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (day, sender, session_key) DO UPDATE SET
       sender_name = coalesce(excluded.sender_name, sender_name),
       owner = excluded.owner,
       input_tokens = input_tokens + excluded.input_tokens,
       output_tokens = output_tokens + excluded.output_tokens,
       model_calls = model_calls + excluded.model_calls,
       estimated = max(estimated, excluded.estimated),
       messages = messages + excluded.messages,
       dropped = dropped + excluded.dropped`,
  );
  const senderSum = db.prepare<[string, string], { tokens: number | null }>(
    'SELECT SUM(input_tokens + output_tokens) AS tokens FROM usage_daily WHERE day = ? AND sender = ?',
  );
  const totalSum = db.prepare<[string], { tokens: number | null }>(
    'SELECT SUM(input_tokens + output_tokens) AS tokens FROM usage_daily WHERE day = ?',
  );
  const notice = db.prepare<[string, string, number]>(
    'INSERT OR IGNORE INTO usage_notices (day, subject, at) VALUES (?, ?, ?)',
  );
  // The primary key starts with the day: a range of days is one index range, however many.
  const select = db.prepare<[string, string], Row>(
    'SELECT * FROM usage_daily WHERE day BETWEEN ? AND ? ORDER BY day, sender, session_key',
  );
  // The local days' bounds come from JavaScript (as the budgets' days do), not SQLite's
  // 'localtime', so a call near midnight lands on the day the gateway counted it in.
  const toolCalls = db.prepare<[string], SessionToolCalls>(
    `SELECT d.value ->> '$.day' AS day, e.session_key AS sessionKey, COUNT(*) AS toolCalls
     FROM json_each(?) AS d
     JOIN session_events AS e
       ON e.kind = 'tool-call' AND e.at >= d.value ->> '$.start' AND e.at < d.value ->> '$.end'
     GROUP BY d.value ->> '$.day', e.session_key`,
  );
  const titles = db.prepare<[string], { key: string; title: string }>(
    `SELECT key, title FROM sessions WHERE key IN (SELECT value FROM json_each(?))
       AND title IS NOT NULL`,
  );
  const pruneDaily = db.prepare<[string]>('DELETE FROM usage_daily WHERE day < ?');
  const pruneNotices = db.prepare<[string]>('DELETE FROM usage_notices WHERE day < ?');
  const toUsageRow = (r: Row): UsageRow => ({
    day: r.day,
    sender: r.sender,
    sessionKey: r.session_key,
    senderName: r.sender_name,
    owner: r.owner === 1,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    modelCalls: r.model_calls,
    estimated: r.estimated === 1,
    messages: r.messages,
    dropped: r.dropped,
  });
  const add = (
    s: UsageSubject,
    counts: Partial<Record<'input' | 'output' | 'calls' | 'messages' | 'dropped', number>> & {
      estimated?: boolean;
    },
  ): void => {
    upsert.run(
      s.day,
      s.sender,
      s.sessionKey,
      s.senderName,
      s.owner ? 1 : 0,
      counts.input ?? 0,
      counts.output ?? 0,
      counts.calls ?? 0,
      counts.estimated ? 1 : 0,
      counts.messages ?? 0,
      counts.dropped ?? 0,
    );
  };
  return {
    recordMessage(subject, outcome) {
      add(subject, { messages: 1, dropped: outcome === 'dropped' ? 1 : 0 });
    },
    recordDropped(subject) {
      add(subject, { dropped: 1 });
    },
    recordModelCall(subject, usage) {
      add(subject, {
        input: usage.inputTokens,
        output: usage.outputTokens,
        calls: 1,
        estimated: usage.estimated,
      });
    },
    senderTokens: (day, sender) => senderSum.get(day, sender)?.tokens ?? 0,
    totalTokens: (day) => totalSum.get(day)?.tokens ?? 0,
    claimNotice: (day, subject, at) => notice.run(day, subject, at).changes === 1,
    rows: (day) => select.all(day, day).map(toUsageRow),
    rowsBetween: (from, to) => select.all(from, to).map(toUsageRow),
    toolCalls: (days) => toolCalls.all(JSON.stringify(days)),
    sessionTitles: (keys) =>
      new Map(titles.all(JSON.stringify(keys)).map((r) => [r.key, r.title] as const)),
    prune: db.transaction(
      (day: string) => pruneDaily.run(day).changes + pruneNotices.run(day).changes,
    ),
  };
}

/** The local day a moment belongs to, and when it ends (budgets reset at local midnight). */
export function usageDay(at: number): { day: string; resetsAt: number } {
  const date = new Date(at);
  const next = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1);
  return { day: dayStamp(date), resetsAt: next.getTime() };
}

/** The `count` local days up to the one `at` falls in, oldest first, with their bounds. */
export function localDays(at: number, count: number): LocalDay[] {
  const today = new Date(at);
  return Array.from({ length: count }, (_, i) => {
    const offset = i - count + 1;
    // Date arithmetic on the calendar, not in milliseconds: a DST day has 23 or 25 hours.
    const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset);
    const end = new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset + 1);
    return { day: dayStamp(start), start: start.getTime(), end: end.getTime() };
  });
}

/** The daily token budget that applies to a sender (null: none). */
export function senderBudget(limits: LimitsConfig, owner: boolean): number | null {
  return owner ? limits.owner.dailyTokens : limits.sender.dailyTokens;
}

/** What every usage count covers: tokens, model calls and messages. */
export type UsageCounts = Pick<
  SenderUsage,
  'inputTokens' | 'outputTokens' | 'tokens' | 'modelCalls' | 'messages' | 'dropped'
>;

/** Counts of nothing yet. */
export const zeroCounts = (): UsageCounts => ({
  inputTokens: 0,
  outputTokens: 0,
  tokens: 0,
  modelCalls: 0,
  messages: 0,
  dropped: 0,
});

/** Adds a stored row's counts into `counts`. */
export function addRow(counts: UsageCounts, row: UsageRow): void {
  counts.inputTokens += row.inputTokens;
  counts.outputTokens += row.outputTokens;
  counts.tokens += row.inputTokens + row.outputTokens;
  counts.modelCalls += row.modelCalls;
  counts.messages += row.messages;
  counts.dropped += row.dropped;
}

/**
 * Today's use per sender and session against the limits: what `clawdbot usage`, the status
 * API and the dashboard show. Most tokens first.
 */
export function buildUsageReport(
  rows: readonly UsageRow[],
  limits: LimitsConfig,
  at: number,
): UsageReport {
  const { day, resetsAt } = usageDay(at);
  const senders = new Map<string, SenderUsage>();
  const sessions = new Map<string, SessionUsage>();
  const total = zeroCounts();
  for (const row of rows) {
    if (row.day !== day) continue;
    addRow(total, row);
    let sender = senders.get(row.sender);
    if (!sender) {
      sender = {
        sender: row.sender,
        name: row.senderName,
        owner: row.owner,
        ...zeroCounts(),
        dailyTokens: senderBudget(limits, row.owner),
        exhausted: false,
        sessions: [],
      };
      senders.set(row.sender, sender);
    }
    addRow(sender, row);
    sender.name = row.senderName ?? sender.name;
    sender.sessions.push(row.sessionKey);
    let session = sessions.get(row.sessionKey);
    if (!session) {
      session = { sessionKey: row.sessionKey, ...zeroCounts(), senders: [] };
      sessions.set(row.sessionKey, session);
    }
    addRow(session, row);
    session.senders.push(row.sender);
  }
  for (const sender of senders.values()) {
    sender.exhausted = sender.dailyTokens !== null && sender.tokens >= sender.dailyTokens;
  }
  const byTokens = (a: { tokens: number }, b: { tokens: number }): number => b.tokens - a.tokens;
  return {
    day,
    resetsAt,
    total: {
      ...total,
      dailyTokens: limits.dailyTokens,
      exhausted: limits.dailyTokens !== null && total.tokens >= limits.dailyTokens,
    },
    senders: [...senders.values()].sort(byTokens),
    sessions: [...sessions.values()].sort(byTokens),
    estimated: rows.some((row) => row.day === day && row.estimated),
    limits,
  };
}
