import type { MouseEvent } from 'react';
import { countBySeverity, FINDING_SEVERITIES } from '../../src-shared/domain/audit.js';
import { useSecurity } from '../state/security-store.js';
import { useApp } from '../state/store-context.js';
import '../views/security.css';

/** The dashboard's count of security findings by severity, linking to the Security view. */
export function AuditSummaryCard() {
  const report = useSecurity((s) => s.report);
  const error = useSecurity((s) => s.error);
  const showView = useApp((s) => s.showView);
  if (report === null && error === null) return null;
  const counts = report ? countBySeverity(report.findings) : null;
  const total = report?.findings.length ?? 0;

  return (
    <section className="card" aria-label="Security" data-testid="audit-summary">
      <header className="card__header">
        <h2>Security</h2>
        <a
          href="#security"
          data-testid="audit-summary-link"
          onClick={(event: MouseEvent) => {
            event.preventDefault();
            showView('security');
          }}
        >
          {counts ? (
            <span data-testid="audit-total">
              {total === 0 ? 'No findings' : `${total} finding${total === 1 ? '' : 's'}`}
            </span>
          ) : (
            'Audit unavailable'
          )}
        </a>
      </header>
      {counts && total > 0 && (
        <ul className="audit-counts">
          {FINDING_SEVERITIES.filter((s) => counts[s] > 0).map((severity) => (
            <li key={severity} data-testid={`audit-count-${severity}`}>
              <span className={`severity severity--${severity}`}>{severity}</span>{' '}
              {counts[severity]}
            </li>
          ))}
        </ul>
      )}
      {error && <p className="card__message">{error}</p>}
    </section>
  );
}
