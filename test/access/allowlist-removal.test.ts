import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { defaultConfig } from '../../src-shared/config/schema.js';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { AllowlistService } from '../../src-main/access/allowlist-service.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo, type SessionIdentity } from '../../src-main/store/sessions-repo.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const friend: SessionIdentity = {
  key: 'dm:telegram:123',
  provider: 'telegram',
  chatKind: 'dm',
  peerId: '123',
  title: 'Friend',
  trust: 'allowed',
  toolsRunIn: 'sandbox',
};

describe('removing an allowlist entry', () => {
  const newStateDir = useTempStateDirs();
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });

  function setup() {
    const db = openDatabase(newStateDir());
    open.push(db);
    return {
      service: new AllowlistService(createAccessStore(db)),
      sessions: createSessionsRepo(db),
    };
  }

  it("records the decision in the removed sender's and group's sessions (topics too)", () => {
    const { service, sessions } = setup();
    const config = { config: defaultConfig, path: '/dev/null' };
    service.add('telegram', 'dm', '123', 'cli');
    service.add('telegram', 'group', '-100777', 'cli');
    for (const identity of [
      friend,
      { ...friend, key: 'dm:telegram:999', peerId: '999' },
      {
        ...friend,
        key: 'group:telegram:-100777',
        chatKind: 'group' as const,
        trust: 'group' as const,
      },
      {
        ...friend,
        key: 'group:telegram:-100777:topic:5',
        chatKind: 'group' as const,
        trust: 'group' as const,
      },
    ]) {
      sessions.upsert(identity, 1);
    }
    service.remove('telegram', 'dm', '123', 'ui', config);
    service.remove('telegram', 'group', '-100777', 'cli', config);
    const accessEvents = (key: string) => sessions.events(key).filter((e) => e.kind === 'access');
    expect(accessEvents('dm:telegram:123')).toEqual([
      expect.objectContaining({
        text: 'Removed from the telegram DM allowlist (ui); later messages are blocked',
        data: { action: 'allowlist-removed', actor: 'ui', id: '123' },
      }),
    ]);
    expect(accessEvents('group:telegram:-100777')).toHaveLength(1);
    expect(accessEvents('group:telegram:-100777:topic:5')).toHaveLength(1);
    // Someone else's session is untouched.
    expect(accessEvents('dm:telegram:999')).toEqual([]);
  });
});
