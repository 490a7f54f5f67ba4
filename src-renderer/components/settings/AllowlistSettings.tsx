import { Plus, Tag, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import type {
  AllowlistEntry,
  AllowlistKind,
  AllowlistOrigin,
} from '../../../src-shared/domain/access.js';
import { MAX_ALLOWLIST_LABEL } from '../../../src-shared/domain/access.js';
import type {
  AllowlistOverview,
  ProviderAllowlist,
} from '../../../src-shared/domain/allowlist-overview.js';
import type { Envelope } from '../../../src-shared/ipc/envelope.js';
import { providerName } from '../../../src-shared/domain/pairing-display.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import { useApp, useTransport } from '../../state/store-context.js';
import { formatTime } from '../format.js';
import type { ConfigDraft } from './use-config-draft.js';

const originWords: Record<AllowlistOrigin, string> = {
  pairing: 'Pairing approval',
  manual: 'Added by hand',
  setup: 'First-run setup',
  import: 'Imported from an older version',
  config: 'Config file',
};

function originOf(entry: AllowlistEntry): string {
  const words = originWords[entry.origin ?? (entry.source === 'config' ? 'config' : 'pairing')];
  if (entry.source === 'config') return `${words} (${entry.configKey ?? ''})`;
  return entry.approvedAt === null ? words : `${words}, ${formatTime(entry.approvedAt)}`;
}

/** The owner's label for one entry, edited in place. */
function LabelEditor(props: { entry: AllowlistEntry; onSave: (label: string) => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(props.entry.label ?? '');
  const id = useId();
  if (!editing) {
    return (
      <button
        type="button"
        className="link"
        onClick={() => setEditing(true)}
        aria-label={`Label ${props.entry.id}`}
      >
        <Tag aria-hidden size={14} /> {props.entry.label ? 'Rename' : 'Add label'}
      </button>
    );
  }
  return (
    <form
      className="settings-inline"
      onSubmit={(event) => {
        event.preventDefault();
        void props.onSave(text).then(() => setEditing(false));
      }}
    >
      <label htmlFor={id} className="visually-hidden">
        Label for {props.entry.id}
      </label>
      <input
        id={id}
        value={text}
        maxLength={MAX_ALLOWLIST_LABEL}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit">Save label</button>
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
    </form>
  );
}

/** A form to add a DM sender or group by hand, with a label. */
function AddEntry(props: {
  provider: ProviderAllowlist['provider'];
  onAdd: (kind: AllowlistKind, id: string, label: string) => Promise<boolean>;
}) {
  const [kind, setKind] = useState<AllowlistKind>('dm');
  const [id, setId] = useState('');
  const [label, setLabel] = useState('');
  const base = useId();
  return (
    <form
      className="settings-inline"
      aria-label={`Add to the ${providerName(props.provider)} allowlist`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!id.trim()) return;
        void props.onAdd(kind, id, label).then((ok) => {
          if (ok) {
            setId('');
            setLabel('');
          }
        });
      }}
    >
      <label htmlFor={`${base}-kind`}>Kind</label>
      <select
        id={`${base}-kind`}
        value={kind}
        onChange={(event) => setKind(event.target.value as AllowlistKind)}
      >
        <option value="dm">Person (direct messages)</option>
        <option value="group">Group</option>
      </select>
      <label htmlFor={`${base}-id`}>Id</label>
      <input
        id={`${base}-id`}
        value={id}
        inputMode={props.provider === 'telegram' && kind === 'dm' ? 'numeric' : undefined}
        onChange={(event) => setId(event.target.value)}
        data-testid={`allowlist-add-id-${props.provider}`}
      />
      <label htmlFor={`${base}-label`}>Label</label>
      <input
        id={`${base}-label`}
        value={label}
        maxLength={MAX_ALLOWLIST_LABEL}
        onChange={(event) => setLabel(event.target.value)}
      />
      <button type="submit">
        <Plus aria-hidden size={16} /> Add
      </button>
    </form>
  );
}

/**
 * Every allowlist entry with where it came from (pairing approval, by hand, setup, import,
 * config file) and the owner's label. Approved entries are added and removed at once; entries
 * of the config file are removed through the file, with the diff shown before saving.
 */
export function AllowlistSettings(props: { draft: ConfigDraft }) {
  const { draft } = props;
  const overview = useApp((s) => s.allowlists);
  const receive = useApp((s) => s.receiveAllowlists);
  const removeApproved = useApp((s) => s.removeEntry);
  const transport = useTransport();
  const [error, setError] = useState<string | null>(null);
  if (!overview) return <p>Loading…</p>;

  const run = async (call: () => Promise<Envelope<AllowlistOverview>>): Promise<boolean> => {
    try {
      const reply = await call();
      if (!reply.ok) {
        setError(reply.error.message);
        return false;
      }
      setError(null);
      receive(reply.value);
      return true;
    } catch (failure) {
      setError(describeError(failure));
      return false;
    }
  };

  const removeFromConfig = (entry: AllowlistEntry) => {
    const key = entry.configKey?.split('.') ?? [];
    if (entry.kind === 'group') {
      const groups = {
        ...((draft.value([entry.provider, 'groups']) ?? {}) as Record<string, unknown>),
      };
      delete groups[entry.id];
      draft.set([entry.provider, 'groups'], groups as never);
      return;
    }
    const list = (draft.value(key) ?? []) as string[];
    draft.set(
      key,
      list.filter((id) => id !== entry.id),
    );
  };

  return (
    <div className="stack" data-testid="allowlist-settings">
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {overview.providers.map((access) => (
        <section
          key={access.provider}
          className="card"
          aria-labelledby={`allow-${access.provider}`}
        >
          <h3 id={`allow-${access.provider}`}>{providerName(access.provider)}</h3>
          {access.entries.length === 0 ? (
            <p className="muted">Nobody yet.</p>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Who</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Came from</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {access.entries.map((entry) => (
                  <tr
                    key={`${entry.source}:${entry.configKey ?? ''}:${entry.kind}:${entry.id}`}
                    data-testid="settings-allowlist-entry"
                    data-entry-id={entry.id}
                    data-origin={entry.origin}
                  >
                    <td>
                      {(entry.label ?? entry.displayName) && (
                        <>
                          <strong>{entry.label ?? entry.displayName}</strong>
                          <br />
                        </>
                      )}
                      <code>{entry.id === '*' ? '* (everyone)' : entry.id}</code>
                      {entry.configKey === `owner.${entry.provider}` && <> (owner)</>}
                    </td>
                    <td>{entry.kind === 'dm' ? 'Person' : 'Group'}</td>
                    <td data-testid="settings-allowlist-origin">{originOf(entry)}</td>
                    <td className="table__actions">
                      <LabelEditor
                        entry={entry}
                        onSave={async (label) => {
                          if (!transport) return;
                          await run(() =>
                            transport.invoke('allowlist:label', {
                              provider: entry.provider,
                              kind: entry.kind,
                              id: entry.id,
                              label,
                            }),
                          );
                        }}
                      />{' '}
                      <button
                        type="button"
                        aria-label={`Remove ${entry.label ?? entry.id}`}
                        onClick={() =>
                          entry.source === 'approved'
                            ? void removeApproved(entry)
                            : removeFromConfig(entry)
                        }
                      >
                        <Trash2 aria-hidden size={16} />
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <AddEntry
            provider={access.provider}
            onAdd={(kind, id, label) =>
              transport
                ? run(() =>
                    transport.invoke('allowlist:add', {
                      provider: access.provider,
                      kind,
                      id,
                      ...(label.trim() ? { label } : {}),
                    }),
                  )
                : Promise.resolve(false)
            }
          />
          <p className="muted">
            Removing an entry of the config file is a change to the file: review and save it below.
          </p>
        </section>
      ))}
    </div>
  );
}
