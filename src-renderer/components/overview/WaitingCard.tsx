import { usePendingApprovals } from '../../state/approvals-store.js';
import { useApp } from '../../state/store-context.js';

/** What waits for the owner: commands to allow or deny, people to approve or reject. */
export function WaitingCard() {
  const approvals = usePendingApprovals().length;
  const pairing = useApp((s) => s.pending?.length ?? null);
  const showView = useApp((s) => s.showView);
  return (
    <section
      className="card"
      aria-labelledby="overview-waiting-title"
      data-testid="overview-waiting"
    >
      <h2 id="overview-waiting-title">Waiting for you</h2>
      <ul className="overview-list">
        <li className="overview-list__row">
          <span className="overview-list__name" data-testid="overview-approvals">
            {approvals === 0
              ? 'No command waiting for approval'
              : `${approvals} command${approvals === 1 ? '' : 's'} waiting for approval`}
          </span>
          <button type="button" className="link-button" onClick={() => showView('approvals')}>
            Approvals
          </button>
        </li>
        <li className="overview-list__row">
          <span className="overview-list__name" data-testid="overview-pairing">
            {pairing === null
              ? 'Pairing requests: asking…'
              : pairing === 0
                ? 'No pairing request'
                : `${pairing} pairing request${pairing === 1 ? '' : 's'}`}
          </span>
          <button type="button" className="link-button" onClick={() => showView('pairing')}>
            Pairing
          </button>
        </li>
      </ul>
    </section>
  );
}
