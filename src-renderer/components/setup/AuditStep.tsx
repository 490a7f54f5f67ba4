import { ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import type { AuditReport } from '../../../src-shared/domain/audit.js';
import { countBySeverity } from '../../../src-shared/domain/audit.js';
import type { SetupHandle } from './use-setup.js';

/** Step 6: the security audit of what was set up, worst first. */
export function AuditStep({ setup }: { setup: SetupHandle }) {
  const [report, setReport] = useState<AuditReport | null>(null);
  const [running, setRunning] = useState(false);
  const counts = report ? countBySeverity(report.findings) : null;
  return (
    <div className="stack">
      <button
        type="button"
        disabled={running}
        onClick={() => {
          setRunning(true);
          void setup
            .call('security:audit', {})
            .then((result) => setReport(result))
            .finally(() => setRunning(false));
        }}
        data-testid="setup-audit-run"
      >
        <ShieldCheck aria-hidden size={16} /> {running ? 'Auditing…' : 'Run the security audit'}
      </button>
      {report && counts && (
        <div role="status" data-testid="setup-audit-result">
          <p>
            {counts.high} high, {counts.medium} medium, {counts.low} low.
          </p>
          <ul>
            {report.findings
              .filter((finding) => finding.severity !== 'info')
              .map((finding) => (
                <li key={`${finding.id}:${finding.title}`} data-severity={finding.severity}>
                  <strong>{finding.title}</strong>
                  {finding.fix && <> — {finding.fix}</>}
                </li>
              ))}
          </ul>
        </div>
      )}
    </div>
  );
}
