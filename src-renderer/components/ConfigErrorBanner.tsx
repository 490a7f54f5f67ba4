import { useApp } from '../state/store-context.js';

/**
 * Shown on every view while the config file's current content is rejected: the owner's edit
 * did not take effect, and they must know the bot still runs on the previous rules.
 */
export function ConfigErrorBanner() {
  const overview = useApp((s) => s.allowlists);
  if (!overview?.configErrors) return null;
  return (
    <section className="banner banner--error" role="alert" data-testid="config-errors">
      <h2>Your config edit was rejected</h2>
      <p>
        <code>{overview.configPath}</code> is invalid, so the last good config is still in force
        (safe defaults if it was never valid). Fix these and save again:
      </p>
      <ul>
        {overview.configErrors.map((error) => (
          <li key={error} data-testid="config-error">
            {error}
          </li>
        ))}
      </ul>
    </section>
  );
}
