import {
  FINDING_SEVERITIES,
  type Finding,
  type FindingSeverity,
} from '../../src-shared/domain/audit.js';
import { FindingItem } from './FindingItem.js';

const headings: Record<FindingSeverity, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** The findings under one heading per severity, worst first; empty severities are left out. */
export function FindingGroups({ findings }: { findings: readonly Finding[] }) {
  return (
    <>
      {FINDING_SEVERITIES.map((severity) => {
        const group = findings.filter((f) => f.severity === severity);
        if (group.length === 0) return null;
        return (
          <section
            key={severity}
            className="finding-group"
            aria-label={`${headings[severity]} severity`}
            data-testid={`findings-${severity}`}
          >
            <h2>
              {headings[severity]} <span className="muted">({group.length})</span>
            </h2>
            <ul className="finding-list">
              {group.map((finding) => (
                <FindingItem key={`${finding.id} ${finding.path ?? ''}`} finding={finding} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
