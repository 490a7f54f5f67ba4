import { useApp } from '../state/store-context.js';

/**
 * The way to the Incident view: prominent in the kill report (the next thing to do after the
 * switch), quiet on the dashboard otherwise, where it would only add alarm.
 */
export function IncidentLink({ urgent }: { urgent: boolean }) {
  const view = useApp((s) => s.view);
  const engaged = useApp((s) => s.snapshot?.killSwitch.engaged ?? false);
  const showView = useApp((s) => s.showView);
  // Already there; and while engaged the kill report carries the prominent one.
  if (view === 'incident' || (!urgent && engaged)) return null;
  return (
    <a
      href="#incident"
      className={`incident-link${urgent ? ' incident-link--urgent' : ''}`}
      data-testid="incident-link"
      onClick={(event) => {
        event.preventDefault();
        showView('incident');
      }}
    >
      {urgent
        ? 'Incident response: logs, sessions, secrets, rules →'
        : 'Incident response checklist'}
    </a>
  );
}
