import { useApp } from '../../state/store-context.js';
import { useQuery } from '../../state/use-query.js';
import { idleFor } from './session-doing.js';

/** The most recently used few; the Sandboxes view lists (and stops) every one. */
const SHOWN = 3;

/**
 * Running sandboxes: how many, the few most recently used, and the way to the Sandboxes view.
 * Asked of the engine when the dashboard opens and whenever the engine's health (with its
 * sandbox count) changes, never polled from here.
 */
export function SandboxesOverviewCard() {
  const showView = useApp((s) => s.showView);
  const engine = useApp((s) => s.snapshot?.sandboxEngine);
  const pulse = engine ? (engine.reachable ? `up:${engine.sandboxes}` : 'down') : 'unknown';
  const list = useQuery('sandboxes:list', { detail: false }, pulse);
  const running = (list?.sandboxes ?? [])
    .filter((s) => s.state === 'running')
    .sort((a, b) => b.lastUsedAtMs - a.lastUsedAtMs);
  return (
    <section
      className="card"
      aria-labelledby="overview-sandboxes-title"
      data-testid="overview-sandboxes"
    >
      <header className="card__header">
        <h2 id="overview-sandboxes-title">Running sandboxes</h2>
        <button type="button" className="link-button" onClick={() => showView('sandboxes')}>
          Sandboxes
        </button>
      </header>
      {list === null ? (
        <p className="card__message">Asking the engine…</p>
      ) : list.dockerError !== null ? (
        <p className="card__message" data-testid="overview-sandboxes-error">
          Unknown: the engine did not answer ({list.dockerError}).
        </p>
      ) : (
        <>
          <p className="overview-count" data-testid="overview-sandboxes-count">
            {running.length} running
          </p>
          {running.length > 0 && (
            <ul className="overview-list">
              {running.slice(0, SHOWN).map((s) => (
                <li key={s.id} className="overview-list__row" data-testid="overview-sandbox">
                  <span className="overview-list__name">{s.sessionKey ?? s.name}</span>
                  <span className="muted">used {idleFor(s.idleMs)} ago</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
