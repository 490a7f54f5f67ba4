import { describe, expect, it } from 'vitest';
import { CLOSING_TEXT, closeOpenToolCalls } from '../../src-main/store/open-tool-calls.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo, type SessionIdentity } from '../../src-main/store/sessions-repo.js';
import { toolResultStatus } from '../../src-shared/domain/transcript.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const identity = (key: string): SessionIdentity => ({
  key,
  provider: 'telegram',
  chatKind: 'dm',
  peerId: key,
  title: null,
  trust: 'allowed',
  toolsRunIn: 'sandbox',
});

/**
 * Closing the calls a dead gateway left open, on a real SQLite file: only calls with no result
 * get one, each exactly once, after the call, saying how it ended.
 */
describe('closeOpenToolCalls', () => {
  const stateDir = useTempStateDirs();

  it('closes each open call once, leaves answered ones alone, and is a no-op the second time', () => {
    const db = openDatabase(stateDir());
    try {
      const repo = createSessionsRepo(db);
      repo.upsert(identity('a'), 1);
      repo.upsert(identity('b'), 1);
      repo.upsert(identity('quiet'), 1);
      const call = (key: string, callId: string, at: number) =>
        repo.append({
          sessionKey: key,
          at,
          kind: 'tool-call',
          actor: 'bash',
          text: 'bash: sleep 600',
          data: {
            tool: 'bash',
            callId,
            args: { command: 'sleep 600' },
            where: 'sandbox',
            elevated: false,
            engine: 'unix:///run/docker.sock',
            runtime: null,
          },
        });
      // a: one answered call, then one still open. b: answered. quiet: no calls at all.
      call('a', 'a1', 10);
      repo.append({
        sessionKey: 'a',
        at: 11,
        kind: 'tool-result',
        actor: 'bash',
        text: 'exit code 0',
        data: { tool: 'bash', callId: 'a1', ok: true, status: 'ok', where: 'sandbox' },
      });
      const open = call('a', 'a2', 12);
      call('b', 'b1', 13);
      repo.append({
        sessionKey: 'b',
        at: 14,
        kind: 'tool-result',
        actor: 'bash',
        text: 'exit code 1',
        data: { tool: 'bash', callId: 'b1', ok: false, where: 'sandbox' },
      });
      repo.append({ sessionKey: 'quiet', at: 15, kind: 'inbound', actor: 'x', text: 'hi' });

      // A clock behind the call's still puts the result after it.
      const closed = closeOpenToolCalls(db, 'killed', 5);
      expect(closed).toHaveLength(1);
      expect(closed[0]).toMatchObject({
        sessionKey: 'a',
        kind: 'tool-result',
        actor: 'bash',
        at: 12,
        text: CLOSING_TEXT.killed,
        data: { tool: 'bash', callId: 'a2', ok: false, status: 'killed', where: 'sandbox' },
      });
      expect(closed[0]!.id).toBeGreaterThan(open.id);
      expect(toolResultStatus(closed[0]!)).toBe('killed');
      expect(repo.events('a').map((e) => e.kind)).toEqual([
        'tool-call',
        'tool-result',
        'tool-call',
        'tool-result',
      ]);
      expect(closeOpenToolCalls(db, 'interrupted', 20)).toEqual([]);
      // A result from before calls had a status still reads as how it ended.
      expect(toolResultStatus(repo.events('b').at(-1)!)).toBe('error');
    } finally {
      db.close();
    }
  });
});
