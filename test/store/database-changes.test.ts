import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKillSwitchRepo } from '../../src-main/store/kill-switch-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo, type SessionIdentity } from '../../src-main/store/sessions-repo.js';
import { watchDataVersion } from '../../src-main/store/data-version-watch.js';
import { databaseChanges } from '../../src-main/store/database-changes.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const friend: SessionIdentity = {
  key: 'dm:telegram:42',
  provider: 'telegram',
  chatKind: 'dm',
  peerId: '42',
  title: null,
  trust: 'allowed',
  toolsRunIn: 'sandbox',
};

describe('database changes: one watcher per connection, fanned out', () => {
  const stateDir = useTempStateDirs();
  const open: Database[] = [];
  const subscriptions = new AbortController();
  const signal = subscriptions.signal;
  afterEach(() => {
    vi.useRealTimers();
    for (const db of open.splice(0)) db.close();
  });
  /** Two connections to one database: this process's, and another process's. */
  const connections = (): { ours: Database; theirs: Database } => {
    const dir = stateDir();
    const ours = openDatabase(dir);
    const theirs = openDatabase(dir);
    open.push(ours, theirs);
    return { ours, theirs };
  };
  /** Counts the `data_version` reads on a connection: what one poll costs. */
  const countPolls = (db: Database): (() => number) => {
    let polls = 0;
    const pragma = db.pragma.bind(db);
    db.pragma = (source: string, options?: { simple?: boolean }) => {
      if (source === 'data_version') polls++;
      return pragma(source, options);
    };
    return () => polls;
  };

  it("tells every listener of another connection's commit from one read", () => {
    const { ours, theirs } = connections();
    const polls = countPolls(ours);
    const changes = databaseChanges(ours);
    expect(databaseChanges(ours)).toBe(changes);
    const heard: string[] = [];
    changes.on('others', () => heard.push('kill switch'), { signal });
    changes.on('any', () => heard.push('transcripts'), { signal });
    changes.on('any', () => heard.push('usage'), { signal });

    changes.check();
    expect(heard).toEqual([]);
    createKillSwitchRepo(theirs).engage('drill', 'cli', 1000);
    const before = polls();
    changes.check();
    expect(polls() - before).toBe(1);
    expect(heard).toEqual(['kill switch', 'transcripts', 'usage']);
    // Nothing new: nobody is told again.
    changes.check();
    expect(heard).toHaveLength(3);
  });

  it('polls once per tick at the quickest interval asked for, and not at all once nobody listens', () => {
    vi.useFakeTimers();
    const { ours } = connections();
    const polls = countPolls(ours);
    const first = new AbortController();
    const second = new AbortController();
    // What the gateway did with two watchers of its own: now both listen to the one poll.
    const stopFirst = watchDataVersion(ours, 250, () => undefined);
    databaseChanges(ours).on('others', () => undefined, { signal: first.signal, intervalMs: 100 });
    databaseChanges(ours).on('any', () => undefined, { signal: second.signal });
    const start = polls();
    vi.advanceTimersByTime(1000);
    expect(polls() - start).toBe(10);

    first.abort();
    const slower = polls();
    vi.advanceTimersByTime(1000);
    expect(polls() - slower).toBe(4);

    stopFirst();
    second.abort();
    const stopped = polls();
    vi.advanceTimersByTime(5000);
    expect(polls()).toBe(stopped);
  });

  it("hears this connection's own transcript writes, once per burst, after the write is done", async () => {
    const { ours } = connections();
    const sessions = createSessionsRepo(ours);
    sessions.upsert(friend, 1);
    const any: number[] = [];
    const others: number[] = [];
    databaseChanges(ours).on('any', () => any.push(sessions.eventsSince(0).length), { signal });
    databaseChanges(ours).on('others', () => others.push(1), { signal });

    sessions.append({ sessionKey: friend.key, at: 2, kind: 'inbound', actor: '42', text: 'hi' });
    sessions.append({ sessionKey: friend.key, at: 3, kind: 'inbound', actor: '42', text: 'again' });
    expect(any).toEqual([]);
    await Promise.resolve();
    expect(any).toEqual([2]);
    // Our own commits never move data_version: a poll finds nothing, and others' listeners
    // are not told of what this process did itself.
    databaseChanges(ours).check();
    expect(others).toEqual([]);
    expect(any).toEqual([2]);
  });

  it('a listener that throws is reported on its own and does not keep the others from running', () => {
    const { ours, theirs } = connections();
    const failures: unknown[] = [];
    const heard: string[] = [];
    databaseChanges(ours).on(
      'others',
      () => {
        throw new Error('locked');
      },
      { signal, onError: (error) => failures.push(error) },
    );
    databaseChanges(ours).on('others', () => heard.push('next'), { signal });
    createKillSwitchRepo(theirs).engage('drill', 'cli', 1000);
    databaseChanges(ours).check();
    expect(failures).toEqual([new Error('locked')]);
    expect(heard).toEqual(['next']);
  });

  it('a commit between the watcher’s creation and its first look is not missed', () => {
    const { ours, theirs } = connections();
    const changes = databaseChanges(ours);
    createKillSwitchRepo(theirs).engage('drill', 'cli', 1000);
    const heard: string[] = [];
    changes.on('others', () => heard.push('seen'), { signal });
    changes.check();
    expect(heard).toEqual(['seen']);
  });
});
