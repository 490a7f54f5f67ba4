import { useApp } from '../state/store-context.js';
import { formatTime } from './format.js';
import { useNow } from './use-now.js';
import { formatDuration } from '../../src-shared/format/duration.js';
import { GATEWAY_STATE_LABELS } from './early-words.js';

/** The gateway process: state, pid, uptime, restarts, last exit, and start/stop/restart. */
export function GatewayCard() {
  const gateway = useApp((s) => s.snapshot?.gateway);
  const config = useApp((s) => s.snapshot?.config);
  const engaged = useApp((s) => s.snapshot?.killSwitch.engaged ?? false);
  const busy = useApp((s) => s.busy);
  const { startGateway, stopGateway, restartGateway } = useApp((s) => s);
  const now = useNow();
  if (!gateway) return null;
  const live = gateway.state === 'running' || gateway.state === 'starting';

  return (
    <section className="card" aria-label="Gateway">
      <header className="card__header">
        <h2>Gateway</h2>
        <span className={`badge badge--${gateway.state}`} data-testid="gateway-state">
          {GATEWAY_STATE_LABELS[gateway.state]}
        </span>
      </header>
      <dl className="facts">
        <dt>Process</dt>
        <dd data-testid="gateway-pid">{gateway.pid !== null ? `pid ${gateway.pid}` : '—'}</dd>
        <dt>Uptime</dt>
        <dd>
          {gateway.state === 'running' && gateway.readyAt !== null
            ? // The clock ticks once a second: a gateway that just started is "ahead" of it.
              formatDuration(Math.max(0, now - gateway.readyAt))
            : '—'}
        </dd>
        <dt>Restarts</dt>
        <dd data-testid="gateway-restarts">{gateway.restarts}</dd>
        <dt>Last exit</dt>
        <dd>
          {gateway.lastExit
            ? `${gateway.lastExit.signal ? `killed by ${gateway.lastExit.signal}` : `code ${gateway.lastExit.code ?? '?'}`} at ${formatTime(gateway.lastExit.at)}`
            : '—'}
        </dd>
      </dl>
      {gateway.message && <p className="card__message">{gateway.message}</p>}
      {config && config.state !== 'valid' && (
        // "Running" must not read as "all is well" while the config file is rejected.
        <p className="card__message warning" data-testid="gateway-config">
          {config.state === 'last-good'
            ? `Config file rejected: running on the last good config${config.lastGoodAt ? ` from ${formatTime(config.lastGoodAt)}` : ''}.`
            : 'Config file rejected and no good config ever seen: running on safe defaults, no messenger connected.'}
        </p>
      )}
      {gateway.state === 'crashed' && gateway.lastExit?.stderrTail && (
        <details>
          <summary>Last output on stderr</summary>
          <pre className="stderr">{gateway.lastExit.stderrTail}</pre>
        </details>
      )}
      <div className="card__actions">
        {live ? (
          <>
            <button type="button" disabled={busy !== null} onClick={() => void stopGateway()}>
              Stop
            </button>
            <button type="button" disabled={busy !== null} onClick={() => void restartGateway()}>
              Restart
            </button>
          </>
        ) : (
          <button
            type="button"
            data-testid="gateway-start"
            disabled={busy !== null || engaged || gateway.state === 'stopping'}
            title={engaged ? 'Re-arm the kill switch first' : undefined}
            onClick={() => void startGateway()}
          >
            Start gateway
          </button>
        )}
      </div>
    </section>
  );
}
