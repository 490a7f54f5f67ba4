import { Plus, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import { MESSAGING_PROVIDERS } from '../../../src-shared/domain/providers.js';
import { providerName } from '../../../src-shared/domain/pairing-display.js';
import { SettingsField } from './SettingsField.js';
import type { ConfigDraft } from './use-config-draft.js';

const DM_POLICIES = [
  { value: 'pairing', label: 'Pairing: strangers get a code the owner approves' },
  { value: 'allowlist', label: 'Allowlist: only listed senders' },
  { value: 'open', label: 'Open: anyone (needs "*" in the allowlist)' },
  { value: 'disabled', label: 'Disabled: no DMs' },
] as const;

const GROUP_POLICIES = [
  { value: 'allowlist', label: 'Allowlist: only the groups listed below' },
  { value: 'open', label: 'Open: any group the bot is in' },
  { value: 'disabled', label: 'Disabled: ignore groups' },
] as const;

type Groups = Record<string, { requireMention?: boolean; enabled?: boolean }>;

/** The groups a provider answers in, each with whether it must be mentioned. */
function GroupsEditor(props: { draft: ConfigDraft; provider: MessagingProvider }) {
  const { draft, provider } = props;
  const path = [provider, 'groups'];
  const groups = (draft.value(path) ?? {}) as Groups;
  const [newId, setNewId] = useState('');
  const inputId = useId();
  const issues = draft.issuesFor(path);
  const put = (next: Groups) => draft.set(path, next);
  return (
    <fieldset className="settings-group">
      <legend>Groups</legend>
      {Object.keys(groups).length === 0 && <p className="muted">No groups listed.</p>}
      <ul className="settings-list" data-testid={`groups-${provider}`}>
        {Object.entries(groups).map(([id, settings]) => (
          <li key={id} data-group-id={id}>
            <code>{id === '*' ? '* (every group)' : id}</code>
            <label>
              <input
                type="checkbox"
                checked={settings.requireMention !== false}
                onChange={(event) =>
                  put({ ...groups, [id]: { ...settings, requireMention: event.target.checked } })
                }
              />{' '}
              Only when mentioned
            </label>
            <label>
              <input
                type="checkbox"
                checked={settings.enabled !== false}
                onChange={(event) =>
                  put({ ...groups, [id]: { ...settings, enabled: event.target.checked } })
                }
              />{' '}
              Enabled
            </label>
            <button
              type="button"
              aria-label={`Remove group ${id}`}
              onClick={() => {
                const rest = { ...groups };
                delete rest[id];
                put(rest);
              }}
            >
              <Trash2 aria-hidden size={16} />
            </button>
          </li>
        ))}
      </ul>
      <form
        className="settings-inline"
        onSubmit={(event) => {
          event.preventDefault();
          const id = newId.trim();
          if (!id) return;
          put({ ...groups, [id]: { requireMention: true } });
          setNewId('');
        }}
      >
        <label htmlFor={inputId}>Group id</label>
        <input id={inputId} value={newId} onChange={(event) => setNewId(event.target.value)} />
        <button type="submit">
          <Plus aria-hidden size={16} /> Add group
        </button>
      </form>
      {issues.length > 0 && (
        <ul className="settings-field__error" role="alert">
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>{issue.message}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** Who may reach the bot on each provider: DM policy, group policy, groups and mentions. */
export function AccessSection(props: { draft: ConfigDraft }) {
  const { draft } = props;
  return (
    <div className="stack">
      {MESSAGING_PROVIDERS.map((provider) => (
        <section key={provider} className="card" aria-labelledby={`access-${provider}`}>
          <h3 id={`access-${provider}`}>{providerName(provider)}</h3>
          <SettingsField
            draft={draft}
            path={[provider, 'dmPolicy']}
            label="Direct messages"
            kind={{ type: 'select', options: DM_POLICIES }}
          />
          <SettingsField
            draft={draft}
            path={[provider, 'groupPolicy']}
            label="Groups"
            kind={{ type: 'select', options: GROUP_POLICIES }}
          />
          <SettingsField
            draft={draft}
            path={[provider, 'groupAllowFrom']}
            label="Who may trigger the bot in groups"
            kind={{
              type: 'list',
              placeholder: 'one sender id per line (empty: anyone in the group)',
            }}
          />
          <GroupsEditor draft={draft} provider={provider} />
        </section>
      ))}
      <section className="card" aria-labelledby="access-mentions">
        <h3 id="access-mentions">Mention patterns</h3>
        <SettingsField
          draft={draft}
          path={['routing', 'groupChat', 'mentionPatterns']}
          label="Patterns that count as mentioning the bot in a group"
          kind={{ type: 'list', placeholder: 'one regular expression per line, e.g. \\bclawd\\b' }}
          help="Matched without regard to case, in addition to the platform's own @mention."
        />
      </section>
    </div>
  );
}
