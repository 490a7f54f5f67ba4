import type { Database } from 'better-sqlite3';
import type { SessionIdentity } from '../../src-main/store/sessions-repo.js';
import { createSessionsRepo, type NewTranscriptEvent } from '../../src-main/store/sessions-repo.js';

/** A session with many events, each a plain line: what the transcript bench and e2e test open. */
export const LONG_SESSION: SessionIdentity = {
  key: 'dm:telegram:long',
  provider: 'telegram',
  chatKind: 'dm',
  peerId: 'long',
  title: 'Long talker',
  trust: 'allowed',
  toolsRunIn: 'sandbox',
};

/** The text of the `n`th (1-based) event of a seeded long transcript. */
export function longEventText(n: number): string {
  return `line ${n} of the long transcript`;
}

/**
 * Writes `count` events into `identity`'s session in one transaction (through the real
 * repository, so the full-text index is filled as the gateway would fill it), every tenth (5th, 15th, …) a tool
 * call and the next event its result, so rows vary in height and every call is closed as the
 * gateway closes them (an open one would be a call still running). Returns the first and last
 * event ids.
 */
export function seedLongSession(
  db: Database,
  count: number,
  identity: SessionIdentity = LONG_SESSION,
  startAt = Date.now() - count * 1000,
): { firstId: number; lastId: number } {
  const repo = createSessionsRepo(db);
  let firstId = 0;
  let lastId = 0;
  db.transaction(() => {
    repo.upsert(identity, startAt);
    for (let n = 1; n <= count; n++) {
      const event: NewTranscriptEvent =
        n % 10 === 5
          ? {
              sessionKey: identity.key,
              at: startAt + n * 1000,
              kind: 'tool-call',
              actor: 'assistant',
              text: longEventText(n),
              data: {
                tool: 'exec',
                args: { command: `echo ${n}` },
                callId: `c${n}`,
                where: 'sandbox',
              },
            }
          : n % 10 === 6
            ? {
                sessionKey: identity.key,
                at: startAt + n * 1000,
                kind: 'tool-result',
                actor: 'exec',
                text: longEventText(n),
                data: {
                  tool: 'exec',
                  callId: `c${n - 1}`,
                  ok: true,
                  status: 'ok',
                  where: 'sandbox',
                  durationMs: 40,
                },
              }
            : {
                sessionKey: identity.key,
                at: startAt + n * 1000,
                kind: n % 2 === 0 ? 'assistant' : 'inbound',
                actor: n % 2 === 0 ? 'assistant' : 'Long talker',
                text: longEventText(n),
              };
      const stored = repo.append(event);
      if (n === 1) firstId = stored.id;
      lastId = stored.id;
    }
  })();
  return { firstId, lastId };
}
