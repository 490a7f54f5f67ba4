import { describe, expect, it } from 'vitest';
import { createAccessAuditRepo } from '../../src-main/store/access-audit-repo.js';
import { createActivityRepo } from '../../src-main/store/activity-repo.js';
import { createBlockedCountsRepo } from '../../src-main/store/blocked-counts-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo } from '../../src-main/store/sessions-repo.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const HOUR = 3_600_000;

/**
 * The dashboard's 24-hour activity over a real SQLite file: messages and tool calls from the
 * transcripts, blocked attempts from the access audit (strangers held for pairing, rejected),
 * refused elevation and what the gateway counted as blocked (refused groups, rate-limited
 * floods: a count per row, not a row per message), by hour, oldest first, the current hour last.
 */
describe('activity by hour', () => {
  const tempState = useTempStateDirs();

  it('counts messages, tool calls and blocked attempts per hour over the last 24', () => {
    const db = openDatabase(tempState());
    const now = Date.UTC(2026, 11, 3, 12, 30);
    const sessions = createSessionsRepo(db);
    sessions.upsert(
      {
        key: 'dm:telegram:1',
        provider: 'telegram',
        chatKind: 'dm',
        peerId: '1',
        title: 'Ann',
        trust: 'allowed',
        toolsRunIn: 'sandbox',
      },
      now - 30 * HOUR,
    );
    const event = (
      at: number,
      kind: 'inbound' | 'tool-call' | 'assistant' | 'elevated',
      data?: Record<string, unknown>,
    ) =>
      sessions.append({
        sessionKey: 'dm:telegram:1',
        at,
        kind,
        actor: 'Ann',
        text: kind,
        data: data ?? null,
      });
    event(now - 30 * HOUR, 'inbound'); // older than a day: not counted
    event(now - 2 * HOUR, 'inbound');
    event(now - 2 * HOUR + 1, 'tool-call');
    event(now - 2 * HOUR + 2, 'tool-call');
    event(now - 2 * HOUR + 3, 'assistant'); // the assistant's reply is not a message in
    event(now - 60_000, 'inbound');
    event(now - 50_000, 'elevated', { action: 'refused' });
    event(now - 40_000, 'elevated', { action: 'on' });
    const audit = createAccessAuditRepo(db);
    audit.record({
      at: now - 5 * HOUR,
      provider: 'telegram',
      action: 'pairing-requested',
      subjectId: '9',
      actor: 'gateway',
      detail: {},
    });
    audit.record({
      at: now - 5 * HOUR,
      provider: 'telegram',
      action: 'pairing-approved',
      subjectId: '9',
      actor: 'ui',
      detail: {},
    });
    const blocked = createBlockedCountsRepo(db);
    const refusedGroup = {
      provider: 'telegram',
      chatId: '-100',
      senderId: '',
      reason: 'group-not-allowed',
    };
    blocked.count({ ...refusedGroup, at: now - 30 * HOUR }); // older than a day: not counted
    blocked.count({ ...refusedGroup, at: now - 2 * HOUR });
    blocked.count({ ...refusedGroup, at: now - 2 * HOUR + 5 });
    for (let i = 0; i < 3; i++) {
      blocked.count({
        at: now - 10_000 + i,
        provider: 'telegram',
        chatId: '1',
        senderId: '1',
        reason: 'rate-limited',
      });
    }

    const hours = createActivityRepo(db).lastDay(now);
    expect(hours).toHaveLength(24);
    expect(hours.at(-1)?.start).toBe(Date.UTC(2026, 11, 3, 12));
    expect(hours[0]?.start).toBe(Date.UTC(2026, 11, 2, 13));
    const at = (start: number) => hours.find((h) => h.start === start);
    expect(at(Date.UTC(2026, 11, 3, 10))).toMatchObject({ messages: 1, toolCalls: 2, blocked: 2 });
    expect(at(Date.UTC(2026, 11, 3, 7))).toMatchObject({ messages: 0, toolCalls: 0, blocked: 1 });
    expect(at(Date.UTC(2026, 11, 3, 12))).toMatchObject({ messages: 1, toolCalls: 0, blocked: 4 });
    const total = hours.reduce((sum, h) => sum + h.messages + h.toolCalls + h.blocked, 0);
    expect(total).toBe(11);
    db.close();
  });
});
