import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimitsConfigSchema } from '../../src-shared/config/limits-schema.js';
import { OWNER_SENDER } from '../../src-shared/domain/usage.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo } from '../../src-main/store/sessions-repo.js';
import { readUsageHistory } from '../../src-main/store/usage-history.js';
import {
  createUsageRepo,
  localDays,
  usageDay,
  type UsageRepo,
} from '../../src-main/store/usage-repo.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

/**
 * The Usage view's history over a real SQLite file: per day, sender and session over 30 local
 * days, each against its daily budget. Days turn over at local midnight (as the budgets do),
 * in a zone with daylight saving time, so a 23-hour day counts as one day too.
 */
describe('usage history', () => {
  const tempState = useTempStateDirs();
  const zone = process.env.TZ;
  beforeAll(() => {
    // Node re-reads the zone when TZ is assigned: local midnight is New York's here.
    process.env.TZ = 'America/New_York';
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  // 2031-03-09 is the day New York springs forward: 23 hours long.
  const local = (d: number, h = 0, m = 0, s = 0, ms = 0): number =>
    new Date(2031, 2, d, h, m, s, ms).getTime();
  const now = local(20, 15);
  const limits = LimitsConfigSchema.parse({ dailyTokens: 5_000, sender: { dailyTokens: 1_000 } });

  function seeded(): { repo: UsageRepo; db: ReturnType<typeof openDatabase> } {
    const db = openDatabase(tempState());
    const repo = createUsageRepo(db);
    const sessions = createSessionsRepo(db);
    const session = (key: string, title: string | null, peerId: string, group = false) =>
      sessions.upsert(
        {
          key,
          provider: key === 'main' ? 'console' : 'telegram',
          chatKind: group ? 'group' : 'dm',
          peerId,
          title,
          trust: key === 'main' ? 'owner' : 'allowed',
          toolsRunIn: key === 'main' ? 'host' : 'sandbox',
        },
        local(1),
      );
    session('main', 'You', 'owner');
    session('dm:telegram:1', 'Ann', '1');
    session('group:telegram:-5', 'Climbing', '-5', true);
    const call = (
      at: number,
      sender: string,
      sessionKey: string,
      tokens: number,
      name: string | null = null,
    ) =>
      repo.recordModelCall(
        {
          day: usageDay(at).day,
          sender,
          senderName: name,
          owner: sender === OWNER_SENDER,
          sessionKey,
        },
        { inputTokens: tokens - 100, outputTokens: 100, estimated: false },
      );
    const toolCall = (at: number, sessionKey: string) =>
      sessions.append({ sessionKey, at, kind: 'tool-call', actor: 'assistant', text: 'exec ls' });

    // The last moment of the 8th and the first of the 9th (the short day), then its last.
    call(local(8, 23, 59, 59, 999), 'telegram:1', 'dm:telegram:1', 400, 'Ann');
    toolCall(local(8, 23, 59, 59, 999), 'dm:telegram:1');
    call(local(9), 'telegram:1', 'dm:telegram:1', 1_200, 'Ann B.');
    toolCall(local(9), 'dm:telegram:1');
    toolCall(local(9, 23, 59), 'dm:telegram:1');
    // Ann and Bob share a group; the owner works in `main`.
    call(local(12, 10), 'telegram:1', 'group:telegram:-5', 300);
    call(local(12, 11), 'telegram:2', 'group:telegram:-5', 900, 'Bob');
    call(local(20, 9), OWNER_SENDER, 'main', 4_000);
    toolCall(local(20, 9), 'main');
    call(local(20, 10), 'telegram:2', 'dm:telegram:2', 1_000, 'Bob');
    repo.recordMessage(
      {
        day: '2031-03-20',
        sender: 'telegram:2',
        senderName: 'Bob',
        owner: false,
        sessionKey: 'dm:telegram:2',
      },
      'dropped',
    );
    // 30 days back from the 20th is the 19th of February: the 18th is outside.
    call(local(-10, 12), 'telegram:1', 'dm:telegram:1', 9_999);
    toolCall(local(-10, 12), 'dm:telegram:1');
    return { repo, db };
  }

  it('lists every local day of the range, oldest first, split at local midnight', () => {
    const { repo, db } = seeded();
    const history = readUsageHistory(repo, limits, now, 30);
    expect(history).toMatchObject({ days: 30, from: '2031-02-19', to: '2031-03-20' });
    expect(history.perDay).toHaveLength(30);
    expect(history.perDay.map((d) => d.day)).toEqual(localDays(now, 30).map((d) => d.day));
    const short = localDays(now, 30).find((d) => d.day === '2031-03-09');
    expect(short && short.end - short.start).toBe(23 * 3_600_000);
    const day = (d: string) => history.perDay.find((p) => p.day === d);
    expect(day('2031-03-08')).toMatchObject({ tokens: 400, modelCalls: 1, toolCalls: 1 });
    expect(day('2031-03-09')).toMatchObject({ tokens: 1_200, modelCalls: 1, toolCalls: 2 });
    expect(day('2031-03-10')).toMatchObject({ tokens: 0, toolCalls: 0 });
    expect(day('2031-03-20')).toMatchObject({
      tokens: 5_000,
      inputTokens: 4_800,
      outputTokens: 200,
      modelCalls: 2,
      messages: 1,
      dropped: 1,
      toolCalls: 1,
    });
    expect(history.total).toMatchObject({
      tokens: 7_800,
      modelCalls: 6,
      toolCalls: 4,
      dailyTokens: 5_000,
      peakTokens: 5_000,
      daysAtBudget: 1,
      exhausted: true,
    });
    db.close();
  });

  it('holds each sender against their daily budget, with the allowlist’s names', () => {
    const { repo, db } = seeded();
    const history = readUsageHistory(repo, limits, now, 30, (sender) =>
      sender === 'telegram:1' ? { label: 'Sister', displayName: '@ann' } : null,
    );
    expect(history.senders.map((s) => s.sender)).toEqual(['owner', 'telegram:1', 'telegram:2']);
    const [owner, ann, bob] = history.senders;
    expect(owner).toMatchObject({
      owner: true,
      label: null,
      tokens: 4_000,
      dailyTokens: null,
      daysAtBudget: 0,
      exhausted: false,
      sessions: ['main'],
    });
    expect(ann).toMatchObject({
      label: 'Sister',
      // The name the platform gave last.
      name: 'Ann B.',
      tokens: 1_900,
      dailyTokens: 1_000,
      peakTokens: 1_200,
      daysAtBudget: 1,
      // That was the 9th: today Ann has used nothing.
      exhausted: false,
      sessions: ['dm:telegram:1', 'group:telegram:-5'],
    });
    expect(bob).toMatchObject({
      label: null,
      name: 'Bob',
      tokens: 1_900,
      peakTokens: 1_000,
      daysAtBudget: 1,
      exhausted: true,
      dropped: 1,
    });
    db.close();
  });

  it('holds a session against its only sender’s budget, a shared one against everyone’s', () => {
    const { repo, db } = seeded();
    const history = readUsageHistory(repo, limits, now, 30);
    const session = (key: string) => history.sessions.find((s) => s.sessionKey === key);
    expect(history.sessions[0]?.sessionKey).toBe('main');
    expect(session('main')).toMatchObject({ title: 'You', dailyTokens: null, toolCalls: 1 });
    expect(session('dm:telegram:1')).toMatchObject({
      title: 'Ann',
      tokens: 1_600,
      toolCalls: 3,
      dailyTokens: 1_000,
      peakTokens: 1_200,
      daysAtBudget: 1,
      senders: ['telegram:1'],
    });
    expect(session('group:telegram:-5')).toMatchObject({
      title: 'Climbing',
      tokens: 1_200,
      dailyTokens: 5_000,
      daysAtBudget: 0,
      senders: ['telegram:1', 'telegram:2'],
    });
    expect(session('dm:telegram:2')).toMatchObject({ title: null, tokens: 1_000 });
    db.close();
  });

  it('shows only today for a one-day range', () => {
    const { repo, db } = seeded();
    const history = readUsageHistory(repo, limits, now, 1);
    expect(history).toMatchObject({ days: 1, from: '2031-03-20', to: '2031-03-20' });
    expect(history.perDay).toEqual([expect.objectContaining({ day: '2031-03-20', tokens: 5_000 })]);
    expect(history.senders.map((s) => [s.sender, s.tokens])).toEqual([
      ['owner', 4_000],
      ['telegram:2', 1_000],
    ]);
    expect(history.total.toolCalls).toBe(1);
    // A minute after midnight, the 21st is empty and nobody is stopped any more.
    const next = readUsageHistory(repo, limits, local(21, 0, 1), 1);
    expect(next).toMatchObject({ from: '2031-03-21', senders: [], sessions: [] });
    expect(next.total).toMatchObject({ tokens: 0, exhausted: false });
    db.close();
  });

  it('reads a range of days through indexes, not by walking the tables', () => {
    const { db } = seeded();
    const plan = (sql: string, ...args: unknown[]) =>
      db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...args)
        .map((r) => r.detail)
        .join('\n');
    expect(
      plan(
        'SELECT * FROM usage_daily WHERE day BETWEEN ? AND ? ORDER BY day, sender, session_key',
        'a',
        'b',
      ),
    ).toMatch(/SEARCH usage_daily USING PRIMARY KEY \(day>\? AND day<\?\)/);
    expect(
      plan(
        `SELECT COUNT(*) FROM json_each(?) AS d JOIN session_events AS e
           ON e.kind = 'tool-call' AND e.at >= d.value ->> '$.start' AND e.at < d.value ->> '$.end'`,
        '[]',
      ),
    ).toMatch(/SEARCH e USING COVERING INDEX session_events_tool_calls \(at>\? AND at<\?\)/);
    db.close();
  });

  it('deletes the counts and notices of days before the one given', () => {
    const { repo, db } = seeded();
    repo.claimNotice('2031-02-18', 'telegram:1', local(-10, 12));
    repo.claimNotice('2031-03-20', 'telegram:2', now);
    expect(repo.prune('2031-02-19')).toBe(2);
    expect(repo.rowsBetween('2000-01-01', '2031-02-18')).toEqual([]);
    expect(repo.rowsBetween('2031-02-19', '2031-03-20')).toHaveLength(6);
    // Today's notice stays: a restart must not send it again.
    expect(repo.claimNotice('2031-03-20', 'telegram:2', now)).toBe(false);
    db.close();
  });
});
