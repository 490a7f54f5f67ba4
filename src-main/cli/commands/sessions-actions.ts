import type { TranscriptEvent } from '../../../src-shared/domain/transcript.js';
import {
  sessionSummary,
  type SessionRecord,
  type SessionsRepo,
} from '../../store/sessions-repo.js';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { databaseChanges } from '../../store/database-changes.js';
import { followEvents, startOfLast, streamEvents } from '../sessions-follow.js';
import { writeOut } from '../sessions-output.js';
import { withSessionsStore } from '../sessions-store.js';
import { formatTable, formatTimestamp, printable } from '../table.js';
import {
  eventJsonLine,
  formatEvent,
  formatSecond,
  formatSessionHeader,
  oneLine,
} from '../transcript-format.js';

/** What `show` prints and how. */
export interface ShowOptions {
  json: boolean;
  follow: boolean;
  /** Only the latest this many events; all of them when absent. */
  limit?: number;
}

function requireSession(sessions: SessionsRepo, key: string): SessionRecord {
  const session = sessions.get(key);
  if (!session) {
    throw new CliError(
      `no session ${JSON.stringify(key)}; run \`clawdbot sessions list\` to see the sessions`,
    );
  }
  return session;
}

function jsonLines(events: TranscriptEvent[]): string {
  return events.map((e) => `${eventJsonLine(e)}\n`).join('');
}

function textLines(events: TranscriptEvent[]): string {
  return events.map((e) => `${formatEvent(e)}\n`).join('');
}

/** `sessions list`: every session, most recently active first. */
export function listSessions(context: CliContext, json: boolean): Promise<void> {
  return withSessionsStore(context, async ({ sessions }) => {
    const all = sessions.list().map(sessionSummary);
    if (json) return writeOut(`${JSON.stringify(all)}\n`);
    if (all.length === 0) return writeOut('no sessions yet\n');
    const rows = all.map((s) => [
      s.key,
      s.provider,
      s.title ? `${s.title} (${s.peerId})` : s.peerId,
      s.trust,
      s.toolsRunIn,
      s.elevated ? 'ON' : 'off',
      formatTimestamp(s.lastActivityAt),
      String(s.eventCount),
    ]);
    const headers = ['key', 'provider', 'peer', 'trust', 'tools', 'elevated', 'last activity'];
    return writeOut(`${formatTable([...headers, 'events'], rows)}\n`);
  });
}

/** `sessions show`: the transcript (or its latest events), then, with `follow`, new ones live. */
export function showSession(context: CliContext, key: string, options: ShowOptions): Promise<void> {
  return withSessionsStore(context, async ({ db, sessions }) => {
    // Before the first read: a commit between the two is then caught by the first look.
    const changes = databaseChanges(db);
    const session = requireSession(sessions, key);
    const format = options.json ? jsonLines : textLines;
    const sink = (events: TranscriptEvent[]): Promise<void> => writeOut(format(events));
    if (!options.json) await writeOut(`${formatSessionHeader(sessionSummary(session))}\n\n`);
    const from = options.limit === undefined ? 0 : startOfLast(sessions, key, options.limit);
    const afterId = await streamEvents(sessions, key, from, sink);
    if (!options.json && afterId === 0 && !options.follow) await writeOut('(no events yet)\n');
    if (options.follow) await followEvents(changes, sessions, key, afterId, sink);
  });
}

/** `sessions export --jsonl`: every event, oldest first, one JSON object per line. */
export function exportSession(context: CliContext, key: string): Promise<void> {
  return withSessionsStore(context, async ({ sessions }) => {
    requireSession(sessions, key);
    await streamEvents(sessions, key, 0, (events) => writeOut(jsonLines(events)));
  });
}

/** `sessions search`: full-text matches, newest first, across sessions or in one. */
export function searchSessions(
  context: CliContext,
  query: string,
  options: { key?: string; json: boolean; limit: number },
): Promise<void> {
  return withSessionsStore(context, async ({ sessions }) => {
    if (options.key !== undefined) requireSession(sessions, options.key);
    const found = sessions.search(query, { key: options.key, limit: options.limit });
    if (options.json) return writeOut(jsonLines(found));
    if (found.length === 0) {
      const where = options.key === undefined ? '' : ` in session ${printable(options.key)}`;
      return writeOut(`no events match ${JSON.stringify(query)}${where}\n`);
    }
    const rows = found.map((e) => [
      formatSecond(e.at),
      e.sessionKey,
      e.kind,
      oneLine(e.actor, 40),
      oneLine(e.text, 100),
    ]);
    return writeOut(`${formatTable(['time', 'session', 'kind', 'actor', 'text'], rows)}\n`);
  });
}
