import type { LimitsConfig } from '../../src-shared/config/limits-schema.js';
import type {
  SenderHistory,
  SessionHistory,
  UsageDay,
  UsageHistory,
} from '../../src-shared/domain/usage-history.js';
import {
  addRow,
  localDays,
  senderBudget,
  usageDay,
  zeroCounts,
  type UsageRepo,
} from './usage-repo.js';

/** What the owner knows a sender as: their allowlist label and the name it shows. */
export interface SenderNames {
  label: string | null;
  displayName: string | null;
}

/** Finds the allowlist's names for a usage sender (`<provider>:<id>`); null: not listed. */
export type SenderLookup = (sender: string) => SenderNames | null;

/** A row's tokens per day, so its busiest day can be held against a daily budget. */
class DailyTokens {
  private readonly byDay = new Map<string, number>();

  add(day: string, tokens: number): void {
    this.byDay.set(day, (this.byDay.get(day) ?? 0) + tokens);
  }

  /** The busiest day's tokens and the days that reached `budget`. */
  against(budget: number | null): { peakTokens: number; daysAtBudget: number } {
    const days = [...this.byDay.values()];
    return {
      peakTokens: Math.max(0, ...days),
      daysAtBudget: budget === null ? 0 : days.filter((tokens) => tokens >= budget).length,
    };
  }

  on(day: string): number {
    return this.byDay.get(day) ?? 0;
  }
}

/**
 * Reads `days` local days of use up to the one `at` falls in (1: today) and builds the
 * history: per day, per sender (with the allowlist's names) and per session, each against the
 * daily budget that applies to it. What the Usage view and `clawdbot usage --days` show.
 */
export function readUsageHistory(
  repo: UsageRepo,
  limits: LimitsConfig,
  at: number,
  days: number,
  lookup: SenderLookup = () => null,
): UsageHistory {
  const span = localDays(at, days);
  const from = span[0]?.day ?? usageDay(at).day;
  const to = span.at(-1)?.day ?? from;
  const rows = repo.rowsBetween(from, to);
  const calls = repo.toolCalls(span);
  const titles = repo.sessionTitles([...new Set(rows.map((r) => r.sessionKey))]);
  const today = usageDay(at);

  const perDay = new Map<string, UsageDay>(
    span.map((d) => [d.day, { day: d.day, ...zeroCounts(), toolCalls: 0 }]),
  );
  const total = { ...zeroCounts(), toolCalls: 0 };
  const totalDaily = new DailyTokens();
  const senders = new Map<string, { usage: SenderHistory; daily: DailyTokens }>();
  const sessions = new Map<
    string,
    { usage: SessionHistory; daily: DailyTokens; owners: Set<boolean> }
  >();
  const sessionEntry = (key: string) => {
    let entry = sessions.get(key);
    if (!entry) {
      entry = {
        usage: {
          sessionKey: key,
          title: titles.get(key) ?? null,
          ...zeroCounts(),
          toolCalls: 0,
          dailyTokens: null,
          peakTokens: 0,
          daysAtBudget: 0,
          senders: [],
        },
        daily: new DailyTokens(),
        owners: new Set(),
      };
      sessions.set(key, entry);
    }
    return entry;
  };

  for (const row of rows) {
    const tokens = row.inputTokens + row.outputTokens;
    const day = perDay.get(row.day);
    if (day) addRow(day, row);
    addRow(total, row);
    totalDaily.add(row.day, tokens);

    let sender = senders.get(row.sender);
    if (!sender) {
      const names = row.owner ? null : lookup(row.sender);
      sender = {
        usage: {
          sender: row.sender,
          owner: row.owner,
          name: names?.displayName ?? null,
          label: names?.label ?? null,
          ...zeroCounts(),
          dailyTokens: senderBudget(limits, row.owner),
          peakTokens: 0,
          daysAtBudget: 0,
          exhausted: false,
          sessions: [],
        },
        daily: new DailyTokens(),
      };
      senders.set(row.sender, sender);
    }
    addRow(sender.usage, row);
    sender.daily.add(row.day, tokens);
    // Rows come oldest first: the name the platform gave last wins.
    sender.usage.name = row.senderName ?? sender.usage.name;
    if (!sender.usage.sessions.includes(row.sessionKey)) sender.usage.sessions.push(row.sessionKey);

    const session = sessionEntry(row.sessionKey);
    addRow(session.usage, row);
    session.daily.add(row.day, tokens);
    session.owners.add(row.owner);
    if (!session.usage.senders.includes(row.sender)) session.usage.senders.push(row.sender);
  }
  for (const call of calls) {
    const day = perDay.get(call.day);
    if (day) day.toolCalls += call.toolCalls;
    total.toolCalls += call.toolCalls;
    // Every tool call follows a model call, so its session has a row (unless pruned since).
    const session = sessions.get(call.sessionKey);
    if (session) session.usage.toolCalls += call.toolCalls;
  }

  for (const { usage, daily } of senders.values()) {
    Object.assign(usage, daily.against(usage.dailyTokens));
    usage.exhausted = usage.dailyTokens !== null && daily.on(today.day) >= usage.dailyTokens;
  }
  for (const { usage, daily, owners } of sessions.values()) {
    // One sender: their own budget binds the session; several: only everyone's does.
    const only = usage.senders.length === 1 ? [...owners][0] : undefined;
    usage.dailyTokens = only === undefined ? limits.dailyTokens : senderBudget(limits, only);
    Object.assign(usage, daily.against(usage.dailyTokens));
  }

  const byTokens = (a: { tokens: number }, b: { tokens: number }): number => b.tokens - a.tokens;
  return {
    days,
    from,
    to,
    resetsAt: today.resetsAt,
    perDay: [...perDay.values()],
    total: {
      ...total,
      dailyTokens: limits.dailyTokens,
      ...totalDaily.against(limits.dailyTokens),
      exhausted: limits.dailyTokens !== null && totalDaily.on(today.day) >= limits.dailyTokens,
    },
    senders: [...senders.values()].map((s) => s.usage).sort(byTokens),
    sessions: [...sessions.values()].map((s) => s.usage).sort(byTokens),
    estimated: rows.some((row) => row.estimated),
    limits,
  };
}
