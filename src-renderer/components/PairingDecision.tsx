import type { PairingRequest } from '../../src-shared/domain/access.js';
import { rejectMeaning } from '../../src-shared/domain/pairing-display.js';
import { useApp } from '../state/store-context.js';

/**
 * Reject and Approve for one request, the same wherever a request is shown (its row, the
 * dialog). Reject acts at once and says what it means on hover; Approve grants access, so
 * outside the dialog it opens the dialog (which names who gets access to what) instead of
 * approving. Both are disabled while either answer is on its way, so one click counts once.
 */
export function PairingDecision(props: {
  request: PairingRequest;
  testIdPrefix: string;
  /** In the review dialog: Approve approves. Elsewhere it opens that dialog to confirm. */
  confirming?: boolean;
}) {
  const busy = useApp((s) => s.busy === 'pairing:approve' || s.busy === 'pairing:reject');
  const approve = useApp((s) => s.approve);
  const reject = useApp((s) => s.reject);
  const review = useApp((s) => s.review);
  const { request, confirming = false } = props;
  return (
    <>
      <button
        type="button"
        className="danger"
        data-testid={`${props.testIdPrefix}-reject`}
        disabled={busy}
        title={rejectMeaning()}
        onClick={() => void reject(request)}
      >
        Reject
      </button>
      <button
        type="button"
        className="primary"
        data-testid={`${props.testIdPrefix}-approve`}
        disabled={busy}
        onClick={() => (confirming ? void approve(request) : review(request.id))}
      >
        {confirming ? 'Approve' : 'Approve…'}
      </button>
    </>
  );
}
