import type { MouseEvent } from 'react';
import { useApp } from '../state/store-context.js';
import { VIEWS, type View } from '../state/view.js';

const labels: Record<View, string> = {
  dashboard: 'Dashboard',
  console: 'Console',
  providers: 'Providers',
  pairing: 'Pairing',
  approvals: 'Approvals',
  allowlists: 'Allowlists',
  security: 'Security',
  logs: 'Logs',
  incident: 'Incident',
  sessions: 'Sessions',
  sandboxes: 'Sandboxes',
  settings: 'Settings',
  setup: 'Setup',
};

/** The views, with the number of pairing requests waiting beside "Pairing". */
export function ViewNav() {
  const view = useApp((s) => s.view);
  const showView = useApp((s) => s.showView);
  const waiting = useApp((s) => s.pending?.length ?? 0);

  const link = (target: View) => (
    <a
      key={target}
      href={`#${target}`}
      className={view === target ? 'active' : undefined}
      aria-current={view === target ? 'page' : undefined}
      data-testid={`nav-${target}`}
      onClick={(event: MouseEvent) => {
        event.preventDefault();
        showView(target);
      }}
    >
      {labels[target]}
      {target === 'pairing' && waiting > 0 && (
        <span
          className="nav-badge"
          data-testid="pairing-badge"
          aria-label={`${waiting} waiting`}
          title={`${waiting} pairing request${waiting === 1 ? '' : 's'} waiting`}
        >
          {waiting}
        </span>
      )}
    </a>
  );

  return <nav aria-label="Views">{VIEWS.map((target) => link(target))}</nav>;
}
