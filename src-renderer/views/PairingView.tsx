import { formatTime, formatTimeLeft } from '../components/format.js';
import { cleanDisplayName, providerName } from '../../src-shared/domain/pairing-display.js';
import { useNow } from '../components/use-now.js';
import { PairingDecision } from '../components/PairingDecision.js';
import { useApp } from '../state/store-context.js';

/** Strangers waiting for an answer: who, where, which code, how long left; approve or reject. */
export function PairingView() {
  const pending = useApp((s) => s.pending);
  const review = useApp((s) => s.review);
  const now = useNow();

  return (
    <section className="card" aria-label="Pairing requests" data-testid="pairing-view">
      <h2>Pairing requests</h2>
      <p className="card__message">
        Under the pairing policy, a stranger who messages the bot gets a code and is ignored until
        you approve them here (or with <code>clawdbot pairing approve</code>). Requests expire after
        an hour.
      </p>
      {pending === null ? (
        <p>Loading…</p>
      ) : pending.length === 0 ? (
        <p data-testid="pairing-empty">No one is waiting.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Code</th>
              <th scope="col">Sender</th>
              <th scope="col">First seen</th>
              <th scope="col">Expires in</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pending.map((request) => (
              <tr key={request.id} data-testid="pairing-row" data-request-id={request.id}>
                <td>{providerName(request.provider)}</td>
                <td>
                  <code className="pairing-code" data-testid="pairing-code">
                    {request.code}
                  </code>
                </td>
                <td>
                  <span data-testid="pairing-name">
                    {cleanDisplayName(request.displayName) ?? '—'}
                  </span>
                  <br />
                  <code className="muted" data-testid="pairing-sender">
                    {request.senderId}
                  </code>
                </td>
                <td>{formatTime(request.createdAt)}</td>
                <td data-testid="pairing-expires">{formatTimeLeft(request.expiresAt, now)}</td>
                <td className="table__actions">
                  <button type="button" onClick={() => review(request.id)}>
                    Details
                  </button>
                  <PairingDecision request={request} testIdPrefix="pairing" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
