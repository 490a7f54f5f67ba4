import { useState } from 'react';
import type { ProviderAction, ProviderStatus } from '../../src-shared/domain/provider-status.js';
import { providerName } from '../../src-shared/domain/pairing-display.js';
import { useApp } from '../state/store-context.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { formatTime } from './format.js';
import { currentError, providerStateBadges, providerStateWords } from './provider-words.js';
import { WhatsAppQr } from './WhatsAppQr.js';

/** States in which the provider is trying to be, or is, connected: Stop applies. */
const running = new Set<ProviderStatus['state']>(['connecting', 'qr', 'connected']);

/**
 * One messaging provider: its state in plain words, the WhatsApp QR while linking, the last
 * error (kept after recovering, so a flapping connection is visible), and its controls.
 */
export function ProviderCard({
  status,
  gatewayRunning,
}: {
  status: ProviderStatus;
  gatewayRunning: boolean;
}) {
  const busy = useApp((s) => s.busy === 'providers:control');
  const control = useApp((s) => s.controlProvider);
  const [confirmingLogout, setConfirmingLogout] = useState(false);
  const { provider, state } = status;
  const name = providerName(provider);
  const isRunning = running.has(state);
  // Shown apart from the sentence unless the sentence already says it: an error kept from before
  // a recovery is how the owner learns the connection dropped while they were away.
  const inSentence = state === 'error' || (state === 'disabled' && currentError(status) !== null);
  const lastError = inSentence ? null : status.lastError;
  const disabled = busy || !gatewayRunning;
  const act = (action: ProviderAction) => void control(provider, action);

  return (
    <section
      className="card"
      aria-label={name}
      data-testid={`provider-${provider}`}
      data-state={state}
    >
      <header className="card__header">
        <h2>{name}</h2>
        <span className={`badge badge--${state}`} data-testid="provider-badge">
          {providerStateBadges[state]}
        </span>
      </header>
      <p data-testid="provider-state">{providerStateWords(status)}</p>
      {state === 'qr' && status.qr !== null && <WhatsAppQr payload={status.qr} />}
      <dl className="facts">
        <dt>Since</dt>
        <dd data-testid="provider-since">{formatTime(status.since)}</dd>
        {lastError !== null && (
          <>
            <dt>Last error</dt>
            <dd data-testid="provider-last-error">
              {lastError}
              {status.lastErrorAt !== null && (
                <span className="muted"> (at {formatTime(status.lastErrorAt)})</span>
              )}
            </dd>
          </>
        )}
      </dl>
      <div className="card__actions">
        {isRunning ? (
          <button
            type="button"
            data-testid="provider-stop"
            disabled={disabled}
            onClick={() => act('stop')}
          >
            Stop
          </button>
        ) : (
          <button
            type="button"
            data-testid="provider-start"
            disabled={disabled}
            onClick={() => act('start')}
          >
            {/* An unlinked WhatsApp starts by showing a QR code: starting it is linking it. */}
            {provider === 'whatsapp' && (state === 'disabled' || state === 'logged-out')
              ? 'Link'
              : 'Start'}
          </button>
        )}
        {provider === 'whatsapp' && state !== 'logged-out' && state !== 'disabled' && (
          <button
            type="button"
            className="danger"
            data-testid="provider-logout"
            disabled={disabled}
            onClick={() => setConfirmingLogout(true)}
          >
            Log out…
          </button>
        )}
      </div>
      {confirmingLogout && (
        <ConfirmDialog
          title={`Log out of ${name}?`}
          body="This unlinks Clawdbot from your WhatsApp account and deletes its saved keys. It stops receiving and sending messages until you link it again by scanning a new QR code."
          confirmLabel="Log out"
          destructive
          onConfirm={() => {
            setConfirmingLogout(false);
            act('logout');
          }}
          onCancel={() => setConfirmingLogout(false)}
        />
      )}
    </section>
  );
}
