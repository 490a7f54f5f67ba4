import type { Database } from 'better-sqlite3';
import { createSessionsRepo, type SessionIdentity } from '../../src-main/store/sessions-repo.js';
import { seedUsageHistory } from './seed-usage.js';

/** The owner's own session, as the gateway names it. */
const MAIN: SessionIdentity = {
  key: 'main',
  provider: 'console',
  chatKind: 'dm',
  peerId: 'owner',
  title: 'You',
  trust: 'owner',
  toolsRunIn: 'host',
};

/**
 * Seeds a state's database the way a busy installation looks: the owner's `main` session and
 * `sessions` friends' DMs, each with a short exchange including a sandboxed tool call and its
 * result, spread over the last day, and 30 days of model use (see seedUsageHistory). Written
 * through the real repositories in one transaction each (the screenshots script, the UI bench
 * and the accessibility test share it).
 */
export function seedBusyState(db: Database, sessions: number, now = Date.now()): void {
  const repo = createSessionsRepo(db);
  db.transaction(() => {
    const t0 = now - 3_600_000;
    repo.upsert(MAIN, t0);
    repo.append({ sessionKey: 'main', at: t0, kind: 'inbound', actor: 'owner', text: 'status?' });
    repo.append({
      sessionKey: 'main',
      at: t0 + 2000,
      kind: 'assistant',
      actor: 'assistant',
      text: 'All quiet: no new pairing requests today.',
    });
    for (let n = 1; n <= sessions; n++) {
      const at = now - ((n * 86_400_000) / Math.max(sessions, 1)) * 0.9;
      const identity: SessionIdentity = {
        key: `dm:telegram:${1000 + n}`,
        provider: 'telegram',
        chatKind: 'dm',
        peerId: String(1000 + n),
        title: `Friend ${n}`,
        trust: 'allowed',
        toolsRunIn: 'sandbox',
      };
      repo.upsert(identity, at);
      const event = { sessionKey: identity.key, actor: `Friend ${n}` };
      repo.append({ ...event, at, kind: 'inbound', text: `can you list my files? (${n})` });
      repo.append({
        ...event,
        at: at + 1000,
        kind: 'tool-call',
        actor: 'assistant',
        text: 'exec ls',
        data: { tool: 'exec', args: { command: 'ls' }, callId: `c${n}`, where: 'sandbox' },
      });
      repo.append({
        ...event,
        at: at + 1500,
        kind: 'tool-result',
        actor: 'exec',
        text: 'notes.txt',
        data: { tool: 'exec', callId: `c${n}`, ok: true, where: 'sandbox', durationMs: 40 },
      });
      repo.append({
        ...event,
        at: at + 2000,
        kind: 'assistant',
        actor: 'assistant',
        text: 'You have notes.txt.',
      });
    }
  })();
  seedUsageHistory(db, sessions, now);
}
