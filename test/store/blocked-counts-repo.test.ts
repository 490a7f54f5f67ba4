import { describe, expect, it } from 'vitest';
import {
  createBlockedCountsRepo,
  MAX_BLOCKED_ROWS_PER_HOUR,
} from '../../src-main/store/blocked-counts-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const HOUR = 3_600_000;

/**
 * Blocked attempts over a real SQLite file: a flood must not grow the database with it. One
 * sender's flood is one row an hour; a flood from ever new senders fills an hour up to its bound
 * and the rest is counted together; old hours are pruned. The totals stay exact throughout.
 */
describe('blocked counts', () => {
  const tempState = useTempStateDirs();
  const at = Date.UTC(2026, 11, 3, 12, 0);

  const rows = (db: ReturnType<typeof openDatabase>): number =>
    db.prepare('SELECT COUNT(*) FROM blocked_counts').pluck().get() as number;

  it('counts a flood of 10,000 messages from one sender in one row', () => {
    const db = openDatabase(tempState());
    const repo = createBlockedCountsRepo(db);
    for (let i = 0; i < 10_000; i++) {
      repo.count({
        at: at + i * 100,
        provider: 'telegram',
        chatId: '42',
        senderId: '42',
        reason: 'rate-limited',
      });
    }
    expect(rows(db)).toBe(1);
    expect(repo.since(0)).toEqual([
      {
        hour: at,
        provider: 'telegram',
        chatId: '42',
        senderId: '42',
        reason: 'rate-limited',
        count: 10_000,
        lastAt: at + 9_999 * 100,
      },
    ]);
    db.close();
  });

  it('bounds the rows of an hour when every message comes from a new sender', () => {
    const db = openDatabase(tempState());
    const repo = createBlockedCountsRepo(db);
    const senders = MAX_BLOCKED_ROWS_PER_HOUR * 5;
    for (let i = 0; i < senders; i++) {
      const id = String(1_000 + i);
      repo.count({
        at: at + i,
        provider: 'telegram',
        chatId: id,
        senderId: id,
        reason: 'not-allowlisted',
      });
    }
    // One already counted keeps its own row once the hour is full.
    repo.count({
      at: at + senders,
      provider: 'telegram',
      chatId: '1000',
      senderId: '1000',
      reason: 'not-allowlisted',
    });
    expect(rows(db)).toBe(MAX_BLOCKED_ROWS_PER_HOUR + 1);
    const counts = repo.since(0);
    expect(counts.reduce((sum, r) => sum + r.count, 0)).toBe(senders + 1);
    expect(counts.find((r) => r.senderId === '1000')?.count).toBe(2);
    expect(counts.find((r) => r.senderId === '*')).toMatchObject({
      chatId: '*',
      count: senders - MAX_BLOCKED_ROWS_PER_HOUR,
    });
    // The next hour starts afresh.
    repo.count({
      at: at + HOUR,
      provider: 'telegram',
      chatId: '9',
      senderId: '9',
      reason: 'not-allowlisted',
    });
    expect(repo.since(at + HOUR)).toMatchObject([{ senderId: '9', count: 1 }]);
    db.close();
  });

  it('prunes the hours that began before a time, and only those', () => {
    const db = openDatabase(tempState());
    const repo = createBlockedCountsRepo(db);
    const attempt = {
      provider: 'telegram',
      chatId: '-5',
      senderId: '',
      reason: 'group-not-allowed',
    };
    repo.count({ ...attempt, at: at - 91 * 24 * HOUR });
    repo.count({ ...attempt, at: at - HOUR });
    repo.count({ ...attempt, at });
    expect(repo.prune(at - HOUR)).toBe(1);
    expect(repo.since(0).map((r) => r.hour)).toEqual([at - HOUR, at]);
    db.close();
  });
});
