import { Send } from 'lucide-react';
import { useId, useState } from 'react';
import type { TelegramBot } from '../../../src-shared/domain/setup.js';
import type { SetupHandle } from './use-setup.js';

/**
 * Step 2: the Telegram bot token, pasted and checked live with `getMe` before it is kept: in the
 * OS keychain in the desktop app, else in a private file under the state directory's
 * credentials, named by `telegram.tokenFile`.
 */
export function TelegramStep({ setup }: { setup: SetupHandle }) {
  const [token, setToken] = useState('');
  const [bot, setBot] = useState<TelegramBot | null>(null);
  const [checking, setChecking] = useState(false);
  const [apiRoot, setApiRoot] = useState('');
  const id = useId();
  const telegram = setup.state?.telegram;
  return (
    <div className="stack">
      {telegram?.fromEnv && (
        <p className="notice" data-testid="setup-telegram-env">
          The environment variable <code>{telegram.envVar}</code> holds a token; a token saved here
          (or in the config) is used instead of it.
        </p>
      )}
      {telegram?.tokenFile && !bot && (
        <p className="muted">
          A token is kept in <code>{telegram.tokenFile}</code>; paste a new one to replace it.
        </p>
      )}
      {telegram?.inKeychain && !bot && (
        <p className="muted">A token is kept in the OS keychain; paste a new one to replace it.</p>
      )}
      <p>
        In Telegram, ask <strong>@BotFather</strong> for a new bot (<code>/newbot</code>) and paste
        the token it gives you.{' '}
        {telegram?.storage === 'keychain'
          ? 'It is kept encrypted in the OS keychain and handed to the gateway directly.'
          : 'This web-mode supervisor has no keychain: it is kept in a private file (credentials/telegram-token, readable by you only) that the config names.'}
      </p>
      <form
        className="settings-inline"
        onSubmit={(event) => {
          event.preventDefault();
          setChecking(true);
          // A self-hosted Bot API server is saved first, so the check asks that server.
          const root = apiRoot.trim();
          void (
            root
              ? setup.call('config:save', {
                  changes: [{ path: ['telegram', 'apiRoot'], value: root }],
                })
              : Promise.resolve(null)
          )
            .then(() => setup.call('telegramtoken:save', { token }))
            .then((result) => {
              if (result) {
                setBot(result);
                setToken('');
              }
            })
            .finally(() => setChecking(false));
        }}
      >
        <label htmlFor={id}>Bot token</label>
        <input
          id={id}
          type="password"
          autoComplete="off"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          data-testid="setup-telegram-token"
          aria-invalid={setup.error && !bot ? true : undefined}
          aria-describedby={setup.error && !bot ? 'setup-error' : undefined}
        />
        <details>
          <summary>Self-hosted Bot API server</summary>
          <label htmlFor={`${id}-api`}>Server address</label>{' '}
          <input
            id={`${id}-api`}
            value={apiRoot}
            placeholder="https://api.telegram.org"
            onChange={(event) => setApiRoot(event.target.value)}
            data-testid="setup-telegram-api-root"
          />
        </details>
        <button
          type="submit"
          disabled={!token.trim() || checking}
          data-testid="setup-telegram-check"
        >
          <Send aria-hidden size={16} /> {checking ? 'Asking Telegram…' : 'Check and save'}
        </button>
      </form>
      {bot && (
        <p className="setup__ok" role="status" data-testid="setup-telegram-bot">
          Telegram knows this token: it is <strong>@{bot.username}</strong>. Saved
          {telegram?.storage === 'keychain' ? ' in the OS keychain' : ''}; the gateway connects as
          this bot.
        </p>
      )}
    </div>
  );
}
