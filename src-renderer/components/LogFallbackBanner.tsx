import { useApp } from '../state/store-context.js';

/**
 * Shown on every view while the logs are not where the config says (the directory was refused,
 * so they went under the state directory), or not written at all: the owner must never lose the
 * audit trail without knowing it.
 */
export function LogFallbackBanner() {
  const logging = useApp((s) => s.snapshot?.logging);
  const fallback = logging?.fallback;
  if (!logging || (!fallback && !logging.error)) return null;
  if (logging.error) {
    return (
      <section className="banner banner--error" role="alert" data-testid="log-fallback">
        <h2>No log is being written</h2>
        <p>{fallback?.reason}.</p>
        <p>
          The fallback failed too: <code>{logging.error}</code>. Nothing the bot does is recorded
          until this is fixed (see the Security view).
        </p>
      </section>
    );
  }
  return (
    <section className="banner banner--warn" role="alert" data-testid="log-fallback">
      <h2>Logs are not where you configured them</h2>
      <p>
        Not <code>{fallback?.configured}</code>: {fallback?.reason}. They are written to{' '}
        <code data-testid="log-fallback-file">{logging.file}</code> instead, where the Logs view and{' '}
        <code>clawdbot logs</code> read them. The Security view says how to fix it.
      </p>
    </section>
  );
}
