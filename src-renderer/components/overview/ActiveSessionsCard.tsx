import { useStore } from 'zustand';
import { useApp, useTransport } from '../../state/store-context.js';
import { sessionName } from '../SessionWords.js';
import { useNow } from '../use-now.js';
import { recentSessionsStoreFor, type RecentSessionsStore } from './recent-sessions-store.js';
import { sessionDoing } from './session-doing.js';

/** A session counts as active on the dashboard when something happened in it this last hour. */
const ACTIVE_WINDOW_MS = 3_600_000;
/** The card is a glance: the few most recent; the Sessions view lists every one. */
const SHOWN = 6;

/**
 * Active sessions and what each is doing now ("running `ls` in its sandbox", "waiting for the
 * model", "idle 3 min"), live from the transcript events the supervisor pushes.
 */
export function ActiveSessionsCard() {
  const transport = useTransport();
  return transport ? <ActiveSessionsBody store={recentSessionsStoreFor(transport)} /> : null;
}

function ActiveSessionsBody({ store }: { store: RecentSessionsStore }) {
  const sessions = useStore(store, (s) => s.sessions);
  const showView = useApp((s) => s.showView);
  const now = useNow(30_000);
  if (sessions === null) return null;
  const active = sessions.filter((r) => now - r.session.lastActivityAt < ACTIVE_WINDOW_MS);
  return (
    <section className="card" aria-labelledby="active-sessions-title" data-testid="active-sessions">
      <header className="card__header">
        <h2 id="active-sessions-title">Active sessions</h2>
        <button type="button" className="link-button" onClick={() => showView('sessions')}>
          All sessions
        </button>
      </header>
      {active.length === 0 ? (
        <p className="card__message">No session was active in the last hour.</p>
      ) : (
        <ul className="overview-list">
          {active.slice(0, SHOWN).map(({ session, last }) => (
            <li
              key={session.key}
              className="overview-list__row"
              data-testid="active-session"
              data-session-key={session.key}
            >
              <span className="overview-list__name">{sessionName(session)}</span>
              <span className="muted" data-testid="active-session-doing">
                {sessionDoing(last, now)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {active.length > SHOWN && (
        <p className="muted">and {active.length - SHOWN} more in the last hour</p>
      )}
    </section>
  );
}
