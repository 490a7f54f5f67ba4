import { useApp } from '../state/store-context.js';
import { Modal } from './Modal.js';
import { PairingDecision } from './PairingDecision.js';
import { PairingFirstMessage } from './PairingFirstMessage.js';
import { formatTime, formatTimeLeft } from './format.js';
import {
  cleanDisplayName,
  providerName,
  rejectMeaning,
} from '../../src-shared/domain/pairing-display.js';
import { useNow } from './use-now.js';

/**
 * Click-to-approve, and the confirmation every approval goes through: who is asking (name,
 * handle, id), on which provider, what they wrote first, with which code, what approving gives
 * them and what rejecting means. Opened from a toast, a desktop notification, the tray or a
 * row's Approve…. If the request is handled elsewhere meanwhile (the CLI, another window, its
 * hour ran out), it says so instead of offering stale buttons.
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

  const name = request ? cleanDisplayName(request.displayName) : null;
  // A handle is as untrusted as a name: the same cleaning.
  const handle = request ? cleanDisplayName(request.handle ?? null) : null;
  const who = name ?? handle ?? request?.senderId ?? '';
  return (
    <Modal
      title={request ? `Let ${who} talk to your assistant?` : 'Pairing request'}
      testId="pairing-dialog"
      className="pairing-dialog"
      onDismiss={closeReview}
    >
      {request ? (
        <>
          <p className="pairing-dialog__who">
            <strong data-testid="pairing-dialog-name">{name ?? 'Someone without a name'}</strong>
            {handle && (
              <>
                {' '}
                <span className="pairing-handle" data-testid="pairing-dialog-handle">
                  {handle}
                </span>
              </>
            )}{' '}
            (id <code data-testid="pairing-dialog-sender">{request.senderId}</code>) wants to talk
            to your assistant on{' '}
            <strong data-testid="pairing-dialog-provider">{providerName(request.provider)}</strong>.
          </p>
          <h3 className="pairing-dialog__label">Their first message</h3>
          <PairingFirstMessage request={request} testId="pairing-dialog-first-message" />
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
            Approving gives {who} a sandboxed session of their own with your assistant on{' '}
            {providerName(request.provider)}: they never reach your own (main) session or its access
            to this computer. If they told you a code, check that it matches.
          </p>
          <p className="pairing-reject-meaning" data-testid="pairing-dialog-reject-meaning">
            {rejectMeaning()}
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
            <PairingDecision request={request} testIdPrefix="pairing-dialog" confirming />
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
    </Modal>
  );
}
