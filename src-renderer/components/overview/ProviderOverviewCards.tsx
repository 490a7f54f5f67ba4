import { providerName } from '../../../src-shared/domain/pairing-display.js';
import { useApp } from '../../state/store-context.js';
import { currentError, providerHealth, providerStateWords } from '../provider-words.js';

/**
 * One card per messaging provider: connected (as whom), or failing and why, from what the
 * supervisor already knows (`providers:changed`). A provider that is not set up says so.
 */
export function ProviderOverviewCards() {
  const providers = useApp((s) => s.providers);
  const showView = useApp((s) => s.showView);
  if (providers === null) return null;
  return providers.map((status) => {
    const error = currentError(status);
    return (
      <section
        key={status.provider}
        className="card overview-card"
        aria-label={providerName(status.provider)}
        data-testid={`overview-provider-${status.provider}`}
        data-state={status.state}
      >
        <header className="card__header">
          <h2>
            <span
              className={`status-dot status-dot--${providerHealth(status)}`}
              aria-hidden="true"
            />{' '}
            {providerName(status.provider)}
          </h2>
          <button type="button" className="link-button" onClick={() => showView('providers')}>
            Providers
          </button>
        </header>
        <p data-testid="overview-provider-state">{providerStateWords(status)}</p>
        {error && status.state !== 'error' && status.state !== 'disabled' && (
          <p className="muted">Last error: {error}</p>
        )}
      </section>
    );
  });
}
