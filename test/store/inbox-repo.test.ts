import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createInboxRepo, type NewInboxMessage } from '../../src-main/store/inbox-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { dm } from '../helpers/gateway-harness.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

/** The inbox's rows through a real SQLite file: what a restart would find. */
describe('the inbox repository', () => {
  const newStateDir = useTempStateDirs();
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });

  function repo() {
    const db = openDatabase(newStateDir());
    open.push(db);
    const states = () =>
      db.prepare('SELECT id, state, attempts FROM inbox ORDER BY id').all() as {
        id: number;
        state: string;
        attempts: number;
      }[];
    return { inbox: createInboxRepo(db), db, states };
  }

  const message = (id: string, claim = false): NewInboxMessage => ({
    provider: 'telegram',
    messageId: id,
    envelope: dm('42', `text of ${id}`),
    claim,
  });

  it('records a message once, however often it is handed out', () => {
    const { inbox, states } = repo();
    const first = inbox.record([message('a'), message('b', true)], 1_000);
    expect(first.map((r) => [r.state, r.attempts, r.startedAt])).toEqual([
      ['received', 0, null],
      ['processing', 1, 1_000],
    ]);
    expect(inbox.record([message('b'), message('a'), message('c')], 2_000)).toHaveLength(1);
    expect(states().map((s) => s.state)).toEqual(['received', 'processing', 'received']);
    // Another provider's message of the same id is another message.
    expect(inbox.record([{ ...message('a'), provider: 'whatsapp' }], 3_000)).toHaveLength(1);
  });

  it('finishes runs of messages and leaves the others alone', () => {
    const { inbox, states } = repo();
    const ids = inbox
      .record(
        ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'].map((id) => message(id, true)),
        1,
      )
      .map((r) => r.id);
    inbox.transition(
      {
        finish: [
          { id: ids[4]!, outcome: 'done' },
          { id: ids[0]!, outcome: 'done' },
          { id: ids[1]!, outcome: 'done' },
          { id: ids[2]!, outcome: 'missed' },
        ],
      },
      2,
    );
    expect(states().map((s) => s.state)).toEqual([
      'done',
      'done',
      'missed',
      'processing',
      'done',
      'processing',
    ]);
    expect(inbox.unfinished().map((r) => r.id)).toEqual([ids[3], ids[5]]);
    expect(inbox.unfinished()[0]!.envelope).toMatchObject({ text: 'text of m4' });
  });

  it('counts a crash’s cut attempt, but not a stop’s', () => {
    const { inbox, states } = repo();
    const [a, b] = inbox.record([message('a', true), message('b', true)], 1).map((r) => r.id);
    inbox.transition({ release: [a!], requeue: [b!] }, 2);
    expect(states()).toEqual([
      { id: a, state: 'received', attempts: 0 },
      { id: b, state: 'received', attempts: 1 },
    ]);
    inbox.transition({ claim: [a!, b!] }, 3);
    expect(states().map((s) => [s.state, s.attempts])).toEqual([
      ['processing', 1],
      ['processing', 2],
    ]);
    // Started before: a later turn knows it continues one.
    expect(inbox.unfinished().map((r) => r.startedAt)).toEqual([1, 1]);
  });

  it('prunes finished messages received before the cutoff, never the newest', () => {
    const { inbox, states } = repo();
    const [done1, waiting, done2] = inbox.record(
      [message('done1', true), message('waiting'), message('done2', true)],
      100,
    );
    inbox.transition(
      {
        finish: [
          { id: done1!.id, outcome: 'done' },
          { id: done2!.id, outcome: 'done' },
        ],
      },
      200,
    );
    expect(inbox.prune(1_000)).toBe(1);
    // Unfinished stays whatever its age; the newest row stays, so no id is ever given again.
    expect(states().map((s) => s.id)).toEqual([waiting!.id, done2!.id]);
    const [fresh] = inbox.record([message('new')], 2_000);
    expect(fresh!.id).toBeGreaterThan(done2!.id);
    // Now older than the newest row, it goes too.
    expect(inbox.prune(1_000)).toBe(1);
    expect(states().map((s) => s.id)).toEqual([waiting!.id, fresh!.id]);
  });
});
