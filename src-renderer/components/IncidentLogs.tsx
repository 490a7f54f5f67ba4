import type { Incident } from '../state/incident-store.js';

/** The time part of a log line's ISO time, as the Logs view shows it. */
function clock(time: string | null): string {
  if (!time) return '—';
  const at = new Date(time);
  return Number.isNaN(at.getTime()) ? time : at.toLocaleTimeString();
}

/**
 * Step 2: the log lines just before and after the incident's moment. A short plain list (about
 * forty lines, no virtualisation); the Logs view has the rest.
 */
export function IncidentLogs(props: { logs: Incident['logs']; onOpenInLogs: () => void }) {
  const { logs } = props;
  return (
    <>
      {logs.error && (
        <p className="notice notice--error" role="alert">
          Could not read the log: {logs.error}
        </p>
      )}
      {!logs.error && logs.lines.length === 0 ? (
        <p className="muted" data-testid="incident-logs-empty">
          The log for {logs.day} has no lines.
        </p>
      ) : (
        <ol className="incident-log" data-testid="incident-logs" aria-label={`Log of ${logs.day}`}>
          {logs.lines.map((line) => (
            <li
              key={line.line}
              data-testid="incident-log-line"
              data-line={line.line}
              className={line.line === logs.target ? 'incident-log__line--moment' : undefined}
              aria-current={line.line === logs.target ? 'true' : undefined}
            >
              <time>{clock(line.time)}</time>
              <span className={`incident-log__level incident-log__level--${line.level ?? 'none'}`}>
                {line.level ?? '?'}
              </span>
              <span className="incident-log__where">
                {line.process ?? '—'}
                {line.scope ? `/${line.scope}` : ''}
              </span>
              <span className="incident-log__msg">{line.malformed ? line.raw : line.msg}</span>
            </li>
          ))}
        </ol>
      )}
      <p>
        <a
          href="#logs"
          data-testid="incident-open-logs"
          onClick={(event) => {
            event.preventDefault();
            props.onOpenInLogs();
          }}
        >
          Open in Logs at this time
        </a>
      </p>
    </>
  );
}
