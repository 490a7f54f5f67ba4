import { useApp } from '../state/store-context.js';
import { providerName, senderLabel } from '../../src-shared/domain/pairing-display.js';

/**
 * In-app notices of new pairing requests (web mode has no desktop notifications). Each stays
 * until it is clicked, dismissed, or its request is handled elsewhere: a stranger waiting for
 * an answer should not vanish from view on a timer.
 */
export function PairingToasts() {
  const toasts = useApp((s) => s.toasts);
  const pending = useApp((s) => s.pending);
  const review = useApp((s) => s.review);
  const dismiss = useApp((s) => s.dismissToast);
  // The Pairing view lists every request already: a toast there would say it twice.
  const onPairing = useApp((s) => s.view === 'pairing');
  const requests = onPairing
    ? []
    : toasts.flatMap((id) => pending?.filter((r) => r.id === id) ?? []);

  // Always rendered, even empty: screen readers announce changes only to a live region that
  // already existed.
  return (
    <section className="toasts" aria-label="New pairing requests" aria-live="polite">
      {requests.map((request) => (
        <div key={request.id} className="toast" data-testid="pairing-toast">
          <button
            type="button"
            className="toast__body"
            data-testid="pairing-toast-open"
            onClick={() => review(request.id)}
          >
            Pairing request on {providerName(request.provider)} from {senderLabel(request)} — click
            to review
          </button>
          <button
            type="button"
            className="toast__dismiss"
            aria-label="Dismiss"
            onClick={() => dismiss(request.id)}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
