import type { SessionSummary } from '../../src-shared/domain/transcript.js';
import { formatAgo } from '../state/relative-time.js';
import { formatTime } from './format.js';
import { providerLabel, sessionName, trustLabel } from './SessionWords.js';
import { useNow } from './use-now.js';

/** The sessions, newest activity first; a click on one opens its transcript. */
export function SessionList(props: {
  sessions: readonly SessionSummary[];
  openKey: string | null;
  onOpen: (key: string) => void;
}) {
  // "5 min ago" must keep moving while nothing happens; a coarse tick is enough.
  const now = useNow(10_000);
  return (
    <div className="session-list">
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
          {props.sessions.map((session) => {
            const open = session.key === props.openKey;
            const trust = trustLabel(session.trust);
            return (
              <tr
                key={session.key}
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
                    onClick={() => props.onOpen(session.key)}
                  >
                    {session.chatKind === 'group' ? 'Group ' : ''}
                    <span data-testid="session-name">{sessionName(session)}</span>
                  </button>
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
                <td data-testid="session-events">{session.eventCount.toLocaleString()}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
