import { RefreshCw } from 'lucide-react';
import { useDoctor } from '../../state/doctor-store.js';

/** The doctor's checks with these ids, as the setup steps show them, and a way to ask again. */
export function DoctorChecks(props: { ids: readonly string[]; testId: string }) {
  const report = useDoctor((s) => s.report);
  const checking = useDoctor((s) => s.checking) ?? false;
  const refresh = useDoctor((s) => s.refresh);
  const checks = report?.checks.filter((check) => props.ids.includes(check.id)) ?? [];
  return (
    <div aria-live="polite" aria-busy={checking}>
      <ul className="doctor-checks" data-testid={props.testId}>
        {checks.map((check) => (
          <li
            key={check.id}
            className="doctor-check"
            data-check-id={check.id}
            data-status={check.status}
          >
            <strong>{check.title}</strong>: {check.summary}
            {check.fix && <p className="muted">Fix: {check.fix}</p>}
          </li>
        ))}
      </ul>
      <button type="button" disabled={checking || !refresh} onClick={() => void refresh?.()}>
        <RefreshCw aria-hidden size={16} /> {checking ? 'Checking…' : 'Check again'}
      </button>
    </div>
  );
}
