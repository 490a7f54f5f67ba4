import { useEffect, useRef } from 'react';
import { useApp } from '../state/store-context.js';
import { PairingDecision } from './PairingDecision.js';
import { formatTime, formatTimeLeft } from './format.js';
import { cleanDisplayName, providerName } from '../../src-shared/domain/pairing-display.js';
import { useNow } from './use-now.js';

/**
 * Click-to-approve: who is asking, where, with which code, and what approving means. Opened from
 * a toast, a desktop notification or the tray. If the request is handled elsewhere meanwhile
 * (the CLI, another window, its hour ran out), it says so instead of offering stale buttons.
 */
export function PairingDialog() {
  const requestId = useApp((s) => s.reviewing);
  const pending = useApp((s) => s.pending);
  // Until the first list arrives, a request opened from a notification cannot be told apart
  // from one already handled.
  if (requestId === null || pending === null) return null;
  return <ReviewDialog key={requestId} requestId={requestId} />;
}

function ReviewDialog({ requestId }: { requestId: string }) {
  const request = useApp((s) => s.pending?.find((r) => r.id === requestId) ?? null);
  const error = useApp((s) => s.error);
  const closeReview = useApp((s) => s.closeReview);
  const now = useNow();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const name = request ? cleanDisplayName(request.displayName) : null;
  return (
    <dialog
      ref={ref}
      className="dialog pairing-dialog"
      data-testid="pairing-dialog"
      aria-labelledby="pairing-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        closeReview();
      }}
    >
      <h2 id="pairing-dialog-title">Pairing request</h2>
      {request ? (
        <>
          <p className="pairing-dialog__who">
            <strong data-testid="pairing-dialog-name">{name ?? 'Someone without a name'}</strong>{' '}
            (id <code data-testid="pairing-dialog-sender">{request.senderId}</code>) wants to talk
            to your assistant on{' '}
            <strong data-testid="pairing-dialog-provider">{providerName(request.provider)}</strong>.
          </p>
          <dl className="facts">
            <dt>Code</dt>
            <dd>
              <code className="pairing-code" data-testid="pairing-dialog-code">
                {request.code}
              </code>
            </dd>
            <dt>First seen</dt>
            <dd>{formatTime(request.createdAt)}</dd>
            <dt>Expires in</dt>
            <dd>{formatTimeLeft(request.expiresAt, now)}</dd>
          </dl>
          <p className="pairing-dialog__reminder" data-testid="pairing-dialog-reminder">
            Approving gives this person a sandboxed session of their own: they never reach your own
            (main) session or its access to this computer. If they told you a code, check that it
            matches.
          </p>
          {error && (
            <p className="notice notice--error" role="alert" data-testid="pairing-dialog-error">
              {error}
            </p>
          )}
          <div className="dialog__actions">
            <button type="button" onClick={closeReview}>
              Later
            </button>
            <PairingDecision request={request} testIdPrefix="pairing-dialog" />
          </div>
        </>
      ) : (
        <>
          <p data-testid="pairing-dialog-gone">
            This request is no longer pending: it was approved or rejected elsewhere, or it expired.
          </p>
          <div className="dialog__actions">
            <button type="button" onClick={closeReview}>
              Close
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
