import { useState } from 'react';
import { useStore } from 'zustand';
import type { AllowEntry } from '../../src-shared/config/approvals-schema.js';
import { approvalsStoreFor, type ApprovalsStore } from '../state/approvals-store.js';
import { useTransport } from '../state/store-context.js';
import { ApprovalRunsOn } from '../components/ApprovalRunsOn.js';
import { CommandText } from '../components/CommandText.js';
import { formatTime } from '../components/format.js';

/**
 * Exec approvals: what waits now, 30 days of decisions (who decided, where, how long it waited)
 * and the allowlist of commands that run without asking, editable here.
 */
export function ApprovalsView() {
  const transport = useTransport();
  if (!transport) return <p className="notice">Not connected.</p>;
  return <Approvals store={approvalsStoreFor(transport)} />;
}

function Approvals({ store }: { store: ApprovalsStore }) {
  const overview = useStore(store, (s) => s.overview);
  const error = useStore(store, (s) => s.error);
  const removeEntry = useStore(store, (s) => s.removeEntry);
  if (!overview) return <p>Loading…</p>;
  return (
    <section className="view approvals-view" data-testid="approvals-view">
      <h2>Approvals</h2>
      <p data-testid="approvals-policy">
        Host commands: <strong>{overview.policy.host}</strong>; sandboxed commands:{' '}
        <strong>{overview.policy.sandbox}</strong>; a request is denied after{' '}
        {overview.policy.timeoutSec} s without an answer.
      </p>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <h3>Waiting ({overview.pending.length})</h3>
      {overview.pending.length === 0 ? (
        <p>Nothing is waiting.</p>
      ) : (
        <ul data-testid="approvals-pending">
          {overview.pending.map((r) => (
            <li key={r.id}>
              <code>{r.id}</code> {r.sessionKey}, runs on <ApprovalRunsOn request={r} />
              <CommandText command={r.command} />
            </li>
          ))}
        </ul>
      )}
      <h3>Allowlist</h3>
      <table className="table" data-testid="approvals-allowlist">
        <thead>
          <tr>
            <th>Command</th>
            <th>Match</th>
            <th>Where</th>
            <th>Added by</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {overview.allowlist.map((entry) => (
            <tr key={`${entry.match}:${entry.where}:${entry.command}`}>
              <td>
                <CommandText command={entry.command} />
              </td>
              <td>{entry.match}</td>
              <td>{entry.where}</td>
              <td>
                {entry.addedBy}
                {entry.addedAt ? ` ${formatTime(entry.addedAt)}` : ''}
              </td>
              <td>
                <button type="button" className="danger" onClick={() => void removeEntry(entry)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddEntry store={store} />
      <h3>History (30 days)</h3>
      {/* Seven columns: on a narrow window the table scrolls inside the view, never the page. */}
      <div className="table-scroll">
        <table className="table" data-testid="approvals-history">
          <thead>
            <tr>
              <th>When</th>
              <th>Command</th>
              <th>Session</th>
              <th>Runs on</th>
              <th>Outcome</th>
              <th>Decided by</th>
              <th>Waited</th>
            </tr>
          </thead>
          <tbody>
            {overview.history.map((r) => (
              <tr key={r.id} data-testid={`approval-history-${r.id}`}>
                <td>{formatTime(r.requestedAt)}</td>
                <td>
                  <CommandText command={r.command} />
                </td>
                <td>{r.sessionKey}</td>
                <td>
                  <ApprovalRunsOn request={r} />
                </td>
                <td>{r.outcome ?? r.state}</td>
                <td>
                  {r.decidedBy ?? '—'} {r.decidedVia ? `(${r.decidedVia})` : ''}
                </td>
                <td>
                  {r.decidedAt !== null
                    ? `${Math.round((r.decidedAt - r.requestedAt) / 1000)} s`
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AddEntry({ store }: { store: ApprovalsStore }) {
  const addEntry = useStore(store, (s) => s.addEntry);
  const [command, setCommand] = useState('');
  const [match, setMatch] = useState<AllowEntry['match']>('exact');
  const [where, setWhere] = useState<AllowEntry['where']>('host');
  return (
    <form
      className="approvals-add"
      onSubmit={(event) => {
        event.preventDefault();
        void addEntry({ command, match, where }).then((ok) => ok && setCommand(''));
      }}
    >
      <input
        aria-label="Command"
        data-testid="approvals-add-command"
        value={command}
        onChange={(e) => setCommand(e.target.value)}
        placeholder="git log --oneline"
      />
      <select
        aria-label="Match"
        value={match}
        onChange={(e) => setMatch(e.target.value as AllowEntry['match'])}
      >
        <option value="exact">exact</option>
        <option value="prefix">prefix</option>
        <option value="regex">regex</option>
      </select>
      <select
        aria-label="Where"
        value={where}
        onChange={(e) => setWhere(e.target.value as AllowEntry['where'])}
      >
        <option value="host">host</option>
        <option value="sandbox">sandbox</option>
      </select>
      <button type="submit" disabled={command.trim() === ''}>
        Add
      </button>
      <p className="hint">
        Prefix and regex entries never match a command that passes code to an interpreter inline
        (bash -c, python -c, node -e, eval, | sh) or chains commands; only an exact entry can.
      </p>
    </form>
  );
}
