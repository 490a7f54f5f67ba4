import { useApp } from '../state/store-context.js';
import { formatTime } from './format.js';

/**
 * Shown on every view while the config file's current content is rejected: the owner's edit
 * did not take effect (or the file broke), and they must know what the bot runs on instead —
 * the last good config, or (if none was ever valid) the safe defaults with no messenger.
 */
export function ConfigErrorBanner() {
  const config = useApp((s) => s.snapshot?.config);
  const overview = useApp((s) => s.allowlists);
  // The snapshot says which config is in force; an older supervisor only sends the errors.
  const errors = config ? config.errors : (overview?.configErrors ?? []);
  if (errors.length === 0) return null;
  const path = config?.path ?? overview?.configPath ?? 'the config file';
  return (
    <section className="banner banner--error" role="alert" data-testid="config-errors">
      <h2>
        {config?.state === 'rejected'
          ? 'Your config file is rejected: running on safe defaults'
          : `Your config file is rejected: running on the last good config${config?.lastGoodAt ? ` from ${formatTime(config.lastGoodAt)}` : ''}`}
      </h2>
      <p>
        <code>{path}</code> is invalid,{' '}
        {config?.state === 'rejected'
          ? 'and no valid config was ever seen, so the safe defaults are in force and no messenger is connected.'
          : 'so the last good config is still in force.'}{' '}
        Fix these and save again:
      </p>
      <ul>
        {errors.map((error) => (
          <li key={error} data-testid="config-error">
            {error}
          </li>
        ))}
      </ul>
    </section>
  );
}
