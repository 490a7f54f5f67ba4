import { useApp } from '../../state/store-context.js';
import { useQuery } from '../../state/use-query.js';
import { useNow } from '../use-now.js';

function startOfToday(now: number): number {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/**
 * Attempts blocked today (since local midnight): strangers (held for pairing, rejected, not on
 * the allowlist), groups the bot is not allowed in and members a group does not list, messages
 * over a sender's rate, elevation refused — the activity chart's counts (`activity:day`, whose
 * repository alone defines what counts), summed over today's hours. The pairing requests are
 * listed in Pairing; the refusals are in the Logs.
 */
export function BlockedCard() {
  const pulse = useApp((s) => `${s.snapshot?.gateway.state}:${s.pending?.length}`);
  const showView = useApp((s) => s.showView);
  const now = useNow(60_000);
  // Read again when the gateway or the pending list changes, and every five minutes.
  const hours = useQuery('activity:day', {}, `${pulse}:${Math.floor(now / 300_000)}`);
  if (!hours) return null;
  const since = startOfToday(now);
  // An hour that began before midnight is yesterday's, except for time zones off the hour.
  const blocked = hours.filter((h) => h.start >= since).reduce((sum, h) => sum + h.blocked, 0);
  return (
    <section
      className="card"
      aria-labelledby="overview-blocked-title"
      data-testid="overview-blocked"
    >
      <header className="card__header">
        <h2 id="overview-blocked-title">Blocked today</h2>
        <span>
          <button type="button" className="link-button" onClick={() => showView('pairing')}>
            Pairing
          </button>{' '}
          <button type="button" className="link-button" onClick={() => showView('logs')}>
            Logs
          </button>
        </span>
      </header>
      <p className="overview-count" data-testid="overview-blocked-count">
        {blocked === 0
          ? 'Nothing blocked today'
          : `${blocked} attempt${blocked === 1 ? '' : 's'} blocked`}
      </p>
      <p className="muted">
        Strangers, refused groups, messages over the rate limit, elevated mode refused.
      </p>
    </section>
  );
}
