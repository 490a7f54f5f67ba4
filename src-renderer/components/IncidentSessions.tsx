import type { IncidentSession } from '../../src-shared/domain/incident.js';
import { formatCount, formatTime } from './format.js';
import { providerLabel, sessionName, trustLabel } from './SessionWords.js';

/** Step 3: the sessions with events in the hour before the incident; each opens its transcript. */
export function IncidentSessions(props: {
  sessions: readonly IncidentSession[];
  truncated: boolean;
  onOpen: (key: string) => void;
}) {
  if (props.sessions.length === 0) {
    return (
      <p className="muted" data-testid="incident-sessions-empty">
        No session had any activity in that hour.
      </p>
    );
  }
  return (
    <>
      <table className="table" data-testid="incident-sessions">
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Trust</th>
            <th scope="col">Tools ran</th>
            <th scope="col">Elevated</th>
            <th scope="col">Events (that hour / all)</th>
            <th scope="col">Last activity</th>
          </tr>
        </thead>
        <tbody>
          {props.sessions.map((session) => {
            const trust = trustLabel(session.trust);
            return (
              <tr key={session.key} data-testid="incident-session" data-session-key={session.key}>
                <td>
                  <a
                    href="#sessions"
                    data-testid="incident-session-open"
                    onClick={(event) => {
                      event.preventDefault();
                      props.onOpen(session.key);
                    }}
                  >
                    {sessionName(session)}
                  </a>{' '}
                  <span className="muted">({providerLabel(session.provider)})</span>
                </td>
                <td title={trust.hint}>{trust.word}</td>
                <td>{session.toolsRunIn === 'host' ? 'Host' : 'Sandbox'}</td>
                <td>{session.elevated ? <strong>Yes</strong> : 'No'}</td>
                <td data-testid="incident-session-events">
                  {session.eventsInWindow} / {formatCount(session.eventCount)}
                </td>
                <td>{formatTime(session.lastActivityAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {props.truncated && (
        <p className="muted">More sessions were active; only the most recent are listed.</p>
      )}
    </>
  );
}
