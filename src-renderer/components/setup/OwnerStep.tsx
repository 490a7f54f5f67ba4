import { KeyRound } from 'lucide-react';
import { useId, useState } from 'react';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import { providerName } from '../../../src-shared/domain/pairing-display.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import { useApp } from '../../state/store-context.js';
import { useNow } from '../use-now.js';
import type { SetupHandle } from './use-setup.js';

/**
 * Step 1: who the owner is. The app shows a one-time code; the owner sends it to the bot from
 * their own Telegram or WhatsApp account, and the gateway makes that account `owner.<provider>`.
 * Typing the numeric id stays possible.
 */
export function OwnerStep({ setup }: { setup: SetupHandle }) {
  const { state } = setup;
  const [provider, setProvider] = useState<MessagingProvider>('telegram');
  const [id, setId] = useState('');
  const [idError, setIdError] = useState<string | null>(null);
  const base = useId();
  const now = useNow(5000);
  // The code reaches the gateway only through a connected bot; a newcomer on step 1 has none yet.
  const connected = useApp((s) => s.providers?.some((p) => p.state === 'connected') ?? false);
  if (!state) return null;
  const code = state.ownerCode;
  const live = code && code.claimedBy === null && code.expiresAt > now;
  const owners = Object.entries(state.owners).filter(([, ids]) => ids.length > 0);
  return (
    <div className="stack">
      {owners.length > 0 && (
        <p className="setup__ok" data-testid="setup-owners">
          Owner:{' '}
          {owners
            .map(([p, ids]) => `${providerName(p as MessagingProvider)} ${ids.join(', ')}`)
            .join('; ')}
        </p>
      )}
      {code?.claimedBy && (
        <p className="setup__ok" role="status" data-testid="setup-owner-claimed">
          {providerName(code.claimedBy.provider)} account {code.claimedBy.senderId} sent the code:
          it is the owner now.
        </p>
      )}
      {live ? (
        <div role="status">
          <p>
            From your own Telegram or WhatsApp account, send this to the bot (it works once, for 15
            minutes):
          </p>
          <p className="pairing-code" data-testid="setup-owner-code">
            {code.code}
          </p>
          {connected ? (
            <p className="muted">Waiting for it…</p>
          ) : (
            <p className="notice" data-testid="setup-owner-no-bot">
              No bot is connected yet, so nothing can reach Clawdbot: connect Telegram (step 2) or
              WhatsApp (step 3), then send the code. It stays valid meanwhile.
            </p>
          )}
        </div>
      ) : (
        <button
          type="button"
          onClick={() => void setup.call('ownercode:create', {}).then(() => setup.refresh())}
          data-testid="setup-owner-code-button"
        >
          <KeyRound aria-hidden size={16} /> Show a one-time code
        </button>
      )}
      <form
        className="settings-inline"
        aria-label="Or type the owner's id"
        onSubmit={(event) => {
          event.preventDefault();
          const ids = state.owners[provider] ?? [];
          void setup
            .call('config:save', {
              changes: [{ path: ['owner', provider], value: [...ids, id.trim()] }],
            })
            .then((result) => {
              if (result && !result.saved)
                throw new Error(result.issues.map((i) => i.message).join('; '));
              return setup.refresh();
            })
            .catch((failure: unknown) => setIdError(describeError(failure)));
        }}
      >
        <label htmlFor={`${base}-provider`}>Or type the id on</label>
        <select
          id={`${base}-provider`}
          value={provider}
          onChange={(event) => setProvider(event.target.value as MessagingProvider)}
        >
          <option value="telegram">Telegram</option>
          <option value="whatsapp">WhatsApp</option>
        </select>
        <label htmlFor={`${base}-id`}>Id</label>
        <input
          id={`${base}-id`}
          value={id}
          inputMode={provider === 'telegram' ? 'numeric' : undefined}
          aria-invalid={idError ? true : undefined}
          aria-describedby={idError ? `${base}-error` : undefined}
          onChange={(event) => {
            setId(event.target.value);
            setIdError(null);
          }}
        />
        <button type="submit" disabled={!id.trim()}>
          Make owner
        </button>
        {idError && (
          <p id={`${base}-error`} className="settings-field__error">
            {idError}
          </p>
        )}
      </form>
    </div>
  );
}
