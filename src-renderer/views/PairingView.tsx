import { formatTime, formatTimeLeft } from '../components/format.js';
import {
  cleanDisplayName,
  providerName,
  rejectMeaning,
} from '../../src-shared/domain/pairing-display.js';
import { useNow } from '../components/use-now.js';
import { PairingDecision } from '../components/PairingDecision.js';
import { PairingFirstMessage } from '../components/PairingFirstMessage.js';
import { TableHead } from '../components/TableHead.js';
import { useApp } from '../state/store-context.js';

/**
 * Strangers waiting for an answer: who (name, handle, id), what they wrote first, where, which
 * code, how long left; reject at once, or approve after confirming in the review dialog.
 */
export function PairingView() {
  const pending = useApp((s) => s.pending);
  const now = useNow();

  return (
    <section className="card" aria-label="Pairing requests" data-testid="pairing-view">
      <h2>Pairing requests</h2>
      <p className="card__message">
        Under the pairing policy, a stranger who messages the bot gets a code and is ignored until
        you approve them here (or with <code>clawdbot pairing approve</code>). Requests expire after
        an hour. Their first message is shown here for you only: it never reaches the assistant.
      </p>
      <p className="pairing-reject-meaning" data-testid="pairing-reject-meaning">
        {rejectMeaning()}
      </p>
      {pending === null ? (
        <p>Loading…</p>
      ) : pending.length === 0 ? (
        <p data-testid="pairing-empty">No one is waiting.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <TableHead
              columns={['Sender', 'First message', 'Provider and code', 'Expires in']}
              actions
            />
            <tbody>
              {pending.map((request) => {
                // A handle is as untrusted as a name: the same cleaning.
                const handle = cleanDisplayName(request.handle ?? null);
                return (
                  <tr key={request.id} data-testid="pairing-row" data-request-id={request.id}>
                    <td>
                      <span data-testid="pairing-name">
                        {cleanDisplayName(request.displayName) ?? '—'}
                      </span>
                      {handle && (
                        <>
                          {' '}
                          <span className="pairing-handle" data-testid="pairing-handle">
                            {handle}
                          </span>
                        </>
                      )}
                      <br />
                      <code className="muted" data-testid="pairing-sender">
                        {request.senderId}
                      </code>
                    </td>
                    <td>
                      <PairingFirstMessage
                        request={request}
                        testId="pairing-first-message"
                        clamped
                      />
                    </td>
                    <td>
                      {providerName(request.provider)}
                      <br />
                      <code className="pairing-code" data-testid="pairing-code">
                        {request.code}
                      </code>
                    </td>
                    <td
                      data-testid="pairing-expires"
                      title={`First seen ${formatTime(request.createdAt)}`}
                    >
                      {formatTimeLeft(request.expiresAt, now)}
                    </td>
                    <td className="table__actions">
                      <PairingDecision request={request} testIdPrefix="pairing" />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
