import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/store/open-database.js';
import {
  createSessionsRepo,
  ftsQuery,
  type SessionIdentity,
  type SessionsRepo,
} from '../../src-main/store/sessions-repo.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const owner: SessionIdentity = {
  key: 'main',
  provider: 'telegram',
  chatKind: 'dm',
  peerId: 'owner',
  title: 'Me',
  trust: 'owner',
  toolsRunIn: 'host',
};

const peer = (id: string, title: string | null = null): SessionIdentity => ({
  key: `dm:telegram:${id}`,
  provider: 'telegram',
  chatKind: 'dm',
  peerId: id,
  title,
  trust: 'allowed',
  toolsRunIn: 'sandbox',
});

describe('the sessions repository', () => {
  const stateDir = useTempStateDirs();
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });
  const repo = (): { db: Database; sessions: SessionsRepo } => {
    const db = openDatabase(stateDir());
    open.push(db);
    return { db, sessions: createSessionsRepo(db) };
  };
  const say = (sessions: SessionsRepo, key: string, at: number, text: string) =>
    sessions.append({ sessionKey: key, at, kind: 'inbound', actor: 'alice', text });

  it('upserts a session, and keeps its title when a later upsert has none', () => {
    const { sessions } = repo();
    const first = sessions.upsert(peer('1', 'Alice'), 1000);
    expect(first).toMatchObject({
      key: 'dm:telegram:1',
      title: 'Alice',
      trust: 'allowed',
      elevated: false,
      createdAt: 1000,
      lastActivityAt: 1000,
      eventCount: 0,
      contextFromId: 0,
    });
    const again = sessions.upsert({ ...peer('1'), trust: 'public', toolsRunIn: 'host' }, 5000);
    expect(again).toMatchObject({ title: 'Alice', trust: 'public', toolsRunIn: 'host' });
    // Seeing a session again is not activity, and does not make it new.
    expect(again).toMatchObject({ createdAt: 1000, lastActivityAt: 1000 });
    expect(sessions.upsert(peer('1', 'Alice B.'), 6000).title).toBe('Alice B.');
    expect(sessions.get('dm:telegram:404')).toBeNull();
  });

  it('appends an event, bumping last activity and the count in the same transaction', () => {
    const { db, sessions } = repo();
    sessions.upsert(owner, 1000);
    const event = sessions.append({
      sessionKey: 'main',
      at: 2000,
      kind: 'tool-call',
      actor: 'assistant',
      text: 'ls',
      data: { tool: 'bash', args: { cmd: 'ls -la' }, callId: 'c1', where: 'host' },
    });
    expect(event).toMatchObject({ sessionKey: 'main', at: 2000, kind: 'tool-call' });
    expect(sessions.get('main')).toMatchObject({ lastActivityAt: 2000, eventCount: 1 });
    expect(sessions.events('main')).toEqual([event]);

    // An event stamped earlier (a late tool result) counts, but never moves activity back.
    say(sessions, 'main', 1500, 'late');
    expect(sessions.get('main')).toMatchObject({ lastActivityAt: 2000, eventCount: 2 });

    // All or nothing: when the bump fails, the event is not stored either.
    db.exec(`CREATE TEMP TRIGGER fail_bump BEFORE UPDATE ON sessions
      BEGIN SELECT RAISE(ABORT, 'bump refused'); END`);
    expect(() => say(sessions, 'main', 3000, 'lost')).toThrow(/bump refused/);
    db.exec('DROP TRIGGER fail_bump');
    expect(sessions.events('main').map((e) => e.text)).toEqual(['ls', 'late']);
    expect(sessions.get('main')).toMatchObject({ lastActivityAt: 2000, eventCount: 2 });
  });

  it('pages events after and before an id, and returns the latest page', () => {
    const { sessions } = repo();
    sessions.upsert(owner, 0);
    sessions.upsert(peer('1'), 0);
    const ids: number[] = [];
    for (let i = 1; i <= 10; i++) {
      ids.push(say(sessions, 'main', i, `m${i}`).id);
      say(sessions, 'dm:telegram:1', i, `other ${i}`);
    }
    const texts = (events: { text: string }[]) => events.map((e) => e.text);
    expect(texts(sessions.events('main', { limit: 3 }))).toEqual(['m1', 'm2', 'm3']);
    expect(texts(sessions.events('main', { afterId: ids[6], limit: 5 }))).toEqual([
      'm8',
      'm9',
      'm10',
    ]);
    expect(texts(sessions.events('main', { beforeId: ids[4], limit: 2 }))).toEqual(['m3', 'm4']);
    expect(texts(sessions.events('main', { beforeId: Number.MAX_SAFE_INTEGER, limit: 3 }))).toEqual(
      ['m8', 'm9', 'm10'],
    );
    expect(sessions.events('main', { beforeId: ids[0] })).toEqual([]);
    // Across sessions, in id order: what a follower reads.
    expect(texts(sessions.eventsSince(ids[8]!))).toEqual(['other 9', 'm10', 'other 10']);
  });

  it('starts the model context after a reset, keeping the earlier events', () => {
    const { sessions } = repo();
    sessions.upsert(owner, 0);
    say(sessions, 'main', 1, 'before');
    sessions.resetContext('main');
    const after = say(sessions, 'main', 2, 'after');
    const { contextFromId } = sessions.get('main')!;
    expect(contextFromId).toBeLessThanOrEqual(after.id);
    expect(sessions.events('main', { afterId: contextFromId - 1 }).map((e) => e.text)).toEqual([
      'after',
    ]);
    expect(sessions.events('main')).toHaveLength(2);
  });

  it('searches case-insensitively by word prefix, scoped to a session when asked', () => {
    const { sessions } = repo();
    sessions.upsert(owner, 0);
    sessions.upsert(peer('1'), 0);
    say(sessions, 'main', 1, 'Deploy the Kubernetes cluster');
    say(sessions, 'dm:telegram:1', 2, 'kubernetes is down again');
    say(sessions, 'dm:telegram:1', 3, 'unrelated chatter');
    const hits = (q: string, key?: string) =>
      sessions.search(q, key === undefined ? {} : { key }).map((e) => e.text);
    expect(hits('KUBER')).toEqual(['kubernetes is down again', 'Deploy the Kubernetes cluster']);
    expect(hits('kube', 'main')).toEqual(['Deploy the Kubernetes cluster']);
    expect(hits('kube down')).toEqual(['kubernetes is down again']);
    expect(hits('kube', 'dm:telegram:404')).toEqual([]);
    for (const q of [
      '"',
      '*',
      '(',
      ')',
      'NEAR',
      'NEAR(kube',
      '-kube',
      'text:kube',
      'a AND',
      '_',
      '^',
    ]) {
      expect(() => sessions.search(q), q).not.toThrow();
    }
    expect(hits('"kube*')).toHaveLength(2);
    expect(hits('-down')).toEqual(['kubernetes is down again']);
    // A word of underscores has no token; it must not turn the query into "match nothing".
    expect(hits('kube _')).toHaveLength(2);
    expect(ftsQuery(' * ( " ')).toBeNull();
  });

  it('lists sessions active in a time window, most recent first', () => {
    const { sessions } = repo();
    sessions.upsert(owner, 0);
    sessions.upsert(peer('1'), 0);
    sessions.upsert(peer('2'), 0);
    say(sessions, 'main', 100, 'early');
    say(sessions, 'dm:telegram:1', 200, 'middle');
    say(sessions, 'dm:telegram:1', 250, 'middle again');
    say(sessions, 'dm:telegram:2', 900, 'late');
    const keys = (from: number, to: number) => sessions.activeBetween(from, to).map((s) => s.key);
    expect(keys(150, 300)).toEqual(['dm:telegram:1']);
    expect(keys(0, 1000)).toEqual(['dm:telegram:2', 'dm:telegram:1', 'main']);
    expect(keys(300, 800)).toEqual([]);
    expect(sessions.list().map((s) => s.key)).toEqual(['dm:telegram:2', 'dm:telegram:1', 'main']);
  });
});
