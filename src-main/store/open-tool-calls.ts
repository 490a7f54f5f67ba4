import type { Database } from 'better-sqlite3';
import type { ToolCallStatus, TranscriptEvent } from '../../src-shared/domain/transcript.js';
import { createSessionsRepo } from './sessions-repo.js';

/** How a call is closed by someone other than the gateway that ran it. */
export type ClosingStatus = Extract<ToolCallStatus, 'killed' | 'interrupted'>;

/** What a closed call's result says, as the transcript, the CLI and the model's history read it. */
export const CLOSING_TEXT: Record<ClosingStatus, string> = {
  killed: 'killed by the kill switch; no result',
  interrupted: 'the gateway stopped before this call finished; no result',
};

interface CallRow {
  id: number;
  session_key: string;
  at: number;
  actor: string;
  data: string | null;
}

/**
 * Appends a result to every tool call that has none, so no call stays "running" after the
 * process that ran it is gone: `killed` from the kill switch once the gateway is dead,
 * `interrupted` when a gateway starts (a crash, or a stop that cut a call short). Only the
 * writer that knows the gateway is not running may call this: a live gateway's calls are open
 * for real. Returns the results written.
 *
 * A session runs one call at a time, so only its latest call can be open: this looks at that one
 * per session (two indexed look-ups each), which keeps the kill switch's extra work to
 * milliseconds even with thousands of sessions.
 */
export function closeOpenToolCalls(
  db: Database,
  status: ClosingStatus,
  at: number,
): TranscriptEvent[] {
  const open = db
    .prepare<[], CallRow>(
      `SELECT c.id, c.session_key, c.at, c.actor, c.data FROM sessions s
         JOIN session_events c ON c.id = (
           SELECT e.id FROM session_events e
            WHERE e.session_key = s.key AND e.kind = 'tool-call' ORDER BY e.id DESC LIMIT 1)
        WHERE NOT EXISTS (
          SELECT 1 FROM session_events r
           WHERE r.session_key = c.session_key AND r.id > c.id AND r.kind = 'tool-result'
             AND json_extract(r.data, '$.callId') IS json_extract(c.data, '$.callId'))
        ORDER BY c.id`,
    )
    .all();
  if (open.length === 0) return [];
  const repo = createSessionsRepo(db);
  return db.transaction(() =>
    open.map((call) => {
      const data = call.data === null ? {} : (JSON.parse(call.data) as Record<string, unknown>);
      return repo.append({
        sessionKey: call.session_key,
        // Never before the call itself, whatever the clocks of the two writers say.
        at: Math.max(at, call.at),
        kind: 'tool-result',
        actor: call.actor,
        text: CLOSING_TEXT[status],
        data: {
          tool: data['tool'] ?? call.actor,
          callId: data['callId'] ?? null,
          ok: false,
          status,
          where: data['where'] ?? null,
          elevated: data['elevated'] === true,
        },
      });
    }),
  )();
}
