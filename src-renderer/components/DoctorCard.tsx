import { doctorProblems, type DoctorCheck } from '../../src-shared/domain/doctor.js';
import { useDoctor } from '../state/doctor-store.js';
import { formatTime } from './format.js';
import '../views/security.css';

// The audit's severity colours: a failed check reads like a high finding, a warning like a medium.
const SEVERITY_CLASS: Record<DoctorCheck['status'], string> = {
  error: 'severity--high',
  warning: 'severity--medium',
  info: 'severity--info',
  ok: 'severity--ok',
};

function CheckItem({ check }: { check: DoctorCheck }) {
  return (
    <li className="doctor-check" data-testid="doctor-check" data-check-id={check.id}>
      <span className={`severity ${SEVERITY_CLASS[check.status]}`}>{check.status}</span>{' '}
      <strong>{check.title}</strong>: {check.summary}
      {check.fix && (
        <p className="doctor-check__fix">
          Fix: {check.fix}
          {check.fixable && <span className="muted"> (clawdbot doctor --fix does this)</span>}
        </p>
      )}
    </li>
  );
}

/**
 * The dashboard's set-up card: the checks of `clawdbot doctor`, problems first and expanded,
 * the rest listed below them.
 */
export function DoctorCard() {
  const report = useDoctor((s) => s.report);
  const error = useDoctor((s) => s.error);
  const checking = useDoctor((s) => s.checking) ?? false;
  const refresh = useDoctor((s) => s.refresh);
  if (!refresh) return null;
  const problems = report ? doctorProblems(report.checks) : [];
  const rest = report ? report.checks.filter((c) => !problems.includes(c)) : [];

  return (
    <section className="card" aria-label="Set-up" data-testid="doctor-card">
      <header className="card__header">
        <h2>Set-up</h2>
        <span className="muted" data-testid="doctor-summary">
          {report
            ? `${problems.length === 0 ? 'Nothing is wrong' : `${problems.length} problem${problems.length === 1 ? '' : 's'}`} · checked ${formatTime(report.checkedAt)}`
            : 'checking…'}
        </span>
      </header>
      <p className="muted">
        The same checks as <code>clawdbot doctor</code>; <code>clawdbot doctor --fix</code> applies
        the safe fixes (file modes, migrations, a missing sandbox image).
      </p>
      {problems.length > 0 && (
        <ul className="doctor-checks" data-testid="doctor-problems">
          {problems.map((check) => (
            <CheckItem key={check.id} check={check} />
          ))}
        </ul>
      )}
      {rest.length > 0 && (
        <details>
          <summary>{rest.length} checks without a problem</summary>
          <ul className="doctor-checks">
            {rest.map((check) => (
              <CheckItem key={check.id} check={check} />
            ))}
          </ul>
        </details>
      )}
      {error && <p className="card__message">{error}</p>}
      <div className="card__actions">
        <button
          type="button"
          data-testid="doctor-refresh"
          disabled={checking}
          onClick={() => void refresh()}
        >
          {checking ? 'Checking…' : 'Check again'}
        </button>
      </div>
    </section>
  );
}
