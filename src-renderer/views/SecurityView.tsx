import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { FindingGroups } from '../components/FindingGroups.js';
import { formatTime } from '../components/format.js';
import { useSecurity } from '../state/security-store.js';
import './security.css';

const FIX_BODY =
  'This makes the state directory 0700 and the config, database and credential files 0600, turns log redaction on, and changes every groupPolicy "open" to "allowlist" in the config file. Nothing else is changed.';

/** The security audit: findings by severity, a refresh, and the safe fixes behind a confirm. */
export function SecurityView() {
  const report = useSecurity((s) => s.report);
  const error = useSecurity((s) => s.error);
  const auditing = useSecurity((s) => s.auditing) ?? false;
  const fixing = useSecurity((s) => s.fixing) ?? false;
  const changes = useSecurity((s) => s.changes);
  const refresh = useSecurity((s) => s.refresh);
  const fix = useSecurity((s) => s.fix);
  const [confirming, setConfirming] = useState(false);

  // Audit afresh on every visit: files and containers change without any event.
  useEffect(() => {
    void refresh?.();
  }, [refresh]);

  if (!refresh || !fix) return <p>Not connected to the supervisor.</p>;
  const findings = report?.findings ?? [];
  const fixable = findings.some((f) => f.fixable);

  return (
    <div className="stack security" data-testid="security-view">
      <section className="card">
        <header className="card__header">
          <h2>Security audit</h2>
          <span className="muted" data-testid="security-checked-at">
            {report ? `checked ${formatTime(report.checkedAt)}` : 'checking…'}
          </span>
        </header>
        <p className="muted">
          The same findings as <code>clawdbot security audit</code>. “Fix safe issues” only tightens
          permissions, turns log redaction on and closes open group policies; everything else is
          yours to decide.
        </p>
        <div className="card__actions">
          <button
            type="button"
            data-testid="security-refresh"
            disabled={auditing}
            onClick={() => void refresh()}
          >
            {auditing ? 'Checking…' : 'Refresh'}
          </button>
          <button
            type="button"
            className="primary"
            data-testid="security-fix"
            disabled={!fixable || fixing}
            onClick={() => setConfirming(true)}
          >
            {fixing ? 'Fixing…' : 'Fix safe issues'}
          </button>
        </div>
        {error && (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        )}
        {changes && (
          <div data-testid="security-changes">
            {changes.length === 0 ? (
              <p>Nothing needed a safe fix.</p>
            ) : (
              <>
                <p>Changed:</p>
                <ul className="audit-changes">
                  {changes.map((change) => (
                    <li key={change}>
                      <code>{change}</code>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </section>
      {report && findings.length === 0 && (
        <p className="card" data-testid="security-clean">
          No findings: nothing in this setup widens the bot's reach beyond what you configured.
        </p>
      )}
      <FindingGroups findings={findings} />
      {confirming && (
        <ConfirmDialog
          title="Apply the safe fixes?"
          body={FIX_BODY}
          confirmLabel="Fix"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void fix();
          }}
        />
      )}
    </div>
  );
}
