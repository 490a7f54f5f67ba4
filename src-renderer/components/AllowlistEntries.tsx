import type { AllowlistEntry } from '../../src-shared/domain/access.js';
import { useApp } from '../state/store-context.js';
import { formatTime } from './format.js';
import { approvedByWords } from './labels.js';
import { cleanDisplayName } from '../../src-shared/domain/pairing-display.js';

/**
 * One allowlist (DMs or groups) with where each entry comes from. Approved entries can be
 * removed here; config entries only in the file, so the row names the file and the key.
 */
export function AllowlistEntries(props: {
  entries: AllowlistEntry[];
  configPath: string;
  /** What to say when there are no entries; nothing when omitted. */
  empty?: string;
  testId: string;
}) {
  const busy = useApp((s) => s.busy === 'allowlist:remove');
  const removeEntry = useApp((s) => s.removeEntry);
  if (props.entries.length === 0)
    return props.empty ? <p className="muted">{props.empty}</p> : null;

  return (
    <table className="table" data-testid={props.testId}>
      <thead>
        <tr>
          <th scope="col">Who</th>
          <th scope="col">Source</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((entry) => (
          <tr
            key={`${entry.source}:${entry.configKey ?? ''}:${entry.id}`}
            data-testid="allowlist-entry"
            data-entry-id={entry.id}
            data-source={entry.source}
          >
            <td>
              {cleanDisplayName(entry.displayName) && (
                <>
                  {cleanDisplayName(entry.displayName)}
                  <br />
                </>
              )}
              <code>{entry.id === '*' ? '* (everyone)' : entry.id}</code>
            </td>
            <td data-testid="allowlist-source">
              {entry.source === 'approved' ? (
                <>
                  Approved by {approvedByWords(entry.approvedBy)}
                  {entry.approvedAt !== null && <> on {formatTime(entry.approvedAt)}</>}
                </>
              ) : (
                <>
                  Config file (read-only): edit <code>{entry.configKey}</code> in{' '}
                  <code>{props.configPath}</code>
                </>
              )}
            </td>
            <td className="table__actions">
              {entry.source === 'approved' && (
                <button
                  type="button"
                  className="danger"
                  data-testid="allowlist-remove"
                  disabled={busy}
                  onClick={() => void removeEntry(entry)}
                >
                  Remove
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
