import { memo, useState } from 'react';
import type { SessionSummary } from '../../src-shared/domain/transcript.js';
import { formatAgo } from '../state/relative-time.js';
import { stableOrder } from '../state/stable-order.js';
import { formatCount, formatTime } from './format.js';
import { providerLabel, sessionName, trustLabel } from './SessionWords.js';
import { useNow } from './use-now.js';

/** What the list looked like when the pointer came over it: order, and each one's activity. */
interface Frozen {
  keys: readonly string[];
  activity: ReadonlyMap<string, number>;
}

/**
 * The sessions, newest activity first; a click on one opens its transcript. While the pointer is
 * over the list the order holds still (a row never jumps away from under the pointer): a session
 * active meanwhile is marked "new activity" where it is, and a new one joins at the end; the list
 * re-sorts once the pointer leaves.
 */
export function SessionList(props: {
  sessions: readonly SessionSummary[];
  openKey: string | null;
  onOpen: (key: string) => void;
}) {
  // "5 min ago" must keep moving while nothing happens; a coarse tick is enough.
  const now = useNow(10_000);
  const [frozen, setFrozen] = useState<Frozen | null>(null);
  const shown = frozen ? stableOrder(props.sessions, frozen.keys) : props.sessions;
  return (
    <div
      className="session-list"
      data-testid="session-list-box"
      data-order={frozen ? 'held' : 'live'}
      onPointerEnter={() =>
        setFrozen({
          keys: props.sessions.map((s) => s.key),
          activity: new Map(props.sessions.map((s) => [s.key, s.lastActivityAt])),
        })
      }
      onPointerLeave={() => setFrozen(null)}
    >
      <table className="table" data-testid="session-list">
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Provider</th>
            <th scope="col">Trust</th>
            <th scope="col">Tools run</th>
            <th scope="col">Last activity</th>
            <th scope="col">Events</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((session) => {
            const before = frozen?.activity.get(session.key);
            return (
              <SessionRow
                key={session.key}
                session={session}
                open={session.key === props.openKey}
                newActivity={
                  frozen !== null && (before === undefined || session.lastActivityAt > before)
                }
                now={now}
                onOpen={props.onOpen}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** One session. Memoised: a live event re-renders only the row of the session it belongs to. */
const SessionRow = memo(function SessionRow({
  session,
  open,
  newActivity,
  now,
  onOpen,
}: {
  session: SessionSummary;
  open: boolean;
  newActivity: boolean;
  now: number;
  onOpen: (key: string) => void;
}) {
  const trust = trustLabel(session.trust);
  return (
    <tr
      className={open ? 'session-list__row--open' : undefined}
      data-testid="session-row"
      data-session-key={session.key}
      aria-current={open ? 'true' : undefined}
    >
      <td>
        <button
          type="button"
          className="session-link"
          data-testid="session-open"
          onClick={() => onOpen(session.key)}
        >
          {session.chatKind === 'group' ? 'Group ' : ''}
          <span data-testid="session-name">{sessionName(session)}</span>
        </button>
        {newActivity && (
          <span className="session-list__new" data-testid="session-new-activity">
            New activity
          </span>
        )}
        <br />
        <code className="muted" data-testid="session-key">
          {session.key}
        </code>
      </td>
      <td data-testid="session-provider">{providerLabel(session.provider)}</td>
      <td data-testid="session-trust" title={trust.hint}>
        {trust.word}
      </td>
      <td>
        <span
          className={`session-where session-where--${session.toolsRunIn}`}
          data-testid="session-where"
          title={
            session.toolsRunIn === 'sandbox'
              ? 'Tools run in this session’s Docker container'
              : 'Tools run on this machine'
          }
        >
          {session.toolsRunIn === 'sandbox' ? 'Sandbox' : 'Host'}
        </span>
        {session.elevated && (
          <span
            className="transcript-mark transcript-mark--elevated"
            data-testid="session-elevated"
            title="Elevated: host commands are allowed in this session"
          >
            Elevated
          </span>
        )}
      </td>
      <td data-testid="session-activity" title={formatTime(session.lastActivityAt)}>
        {formatAgo(session.lastActivityAt, now)}
      </td>
      <td data-testid="session-events">{formatCount(session.eventCount)}</td>
    </tr>
  );
});
