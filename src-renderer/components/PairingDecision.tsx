import type { PairingRequest } from '../../src-shared/domain/access.js';
import { useApp } from '../state/store-context.js';

/**
 * Reject and Approve for one request, the same wherever a request is shown (its row, the
 * dialog). Both are disabled while either answer is on its way, so one click counts once.
 */
export function PairingDecision(props: { request: PairingRequest; testIdPrefix: string }) {
  const busy = useApp((s) => s.busy === 'pairing:approve' || s.busy === 'pairing:reject');
  const approve = useApp((s) => s.approve);
  const reject = useApp((s) => s.reject);
  return (
    <>
      <button
        type="button"
        data-testid={`${props.testIdPrefix}-reject`}
        disabled={busy}
        onClick={() => void reject(props.request)}
      >
        Reject
      </button>
      <button
        type="button"
        className="approve"
        data-testid={`${props.testIdPrefix}-approve`}
        disabled={busy}
        onClick={() => void approve(props.request)}
      >
        Approve
      </button>
    </>
  );
}
