import type { Finding } from '../../src-shared/domain/audit.js';

/** One audit finding: what is wrong, where, what it means and how to fix it. */
export function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li
      className={`finding finding--${finding.severity}`}
      data-testid="finding"
      data-finding-id={finding.id}
    >
      <header className="finding__header">
        <span className={`severity severity--${finding.severity}`}>{finding.severity}</span>
        <h3>{finding.title}</h3>
        {finding.fixable && (
          <span className="finding__fixable" title="“Fix safe issues” fixes this">
            fixable
          </span>
        )}
      </header>
      {finding.path && (
        <p className="finding__path">
          <code>{finding.path}</code> · <code className="muted">{finding.id}</code>
        </p>
      )}
      <p>{finding.meaning}</p>
      <p className="finding__fix">
        <strong>Fix:</strong> {finding.fix}
      </p>
    </li>
  );
}
