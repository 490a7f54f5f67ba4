import { useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { IncidentLogs } from '../components/IncidentLogs.js';
import { IncidentPrompt } from '../components/IncidentPrompt.js';
import { IncidentSecrets } from '../components/IncidentSecrets.js';
import { IncidentSessions } from '../components/IncidentSessions.js';
import { KillReportPanel } from '../components/KillReportPanel.js';
import { KillSwitchButton } from '../components/KillSwitchButton.js';
import { formatTime } from '../components/format.js';
import { incidentStoreFor, type IncidentStore } from '../state/incident-store.js';
import { openLogsAt } from '../state/logs-store.js';
import { sessionsStoreFor } from '../state/sessions-store.js';
import { useApp, useTransport } from '../state/store-context.js';
import type { Transport } from '../transport.js';
import './incident.css';

function Step(props: { n: number; title: string; testId: string; children: ReactNode }) {
  const headingId = `incident-step-${props.n}`;
  return (
    <li className="card incident-step" aria-labelledby={headingId} data-testid={props.testId}>
      <h3 id={headingId}>
        <span className="incident-step__n">{props.n}.</span> {props.title}
      </h3>
      {props.children}
    </li>
  );
}

function IncidentSteps({ store, transport }: { store: IncidentStore; transport: Transport }) {
  const incident = useStore(store, (s) => s.incident);
  const loadError = useStore(store, (s) => s.loadError);
  const pending = useStore(store, (s) => s.pending);
  const checkError = useStore(store, (s) => s.checkError);
  const prompt = useStore(store, (s) => s.prompt);
  const saving = useStore(store, (s) => s.saving);
  const promptError = useStore(store, (s) => s.promptError);
  const savedAt = useStore(store, (s) => s.savedAt);
  const showView = useApp((s) => s.showView);
  // A kill (or re-arm) changes what "the incident" is: read it all again.
  const engaged = useApp((s) => s.snapshot?.killSwitch.engaged ?? false);
  const engagedAt = useApp((s) => s.snapshot?.killSwitch.engagedAt ?? null);
  useEffect(() => {
    void store.getState().load();
  }, [store, engaged, engagedAt]);

  return (
    <>
      {loadError && (
        <div className="notice notice--error" role="alert">
          Could not read the incident: {loadError}
          <button type="button" onClick={() => void store.getState().load()}>
            Retry
          </button>
        </div>
      )}
      {incident && (
        <p className="incident__moment" data-testid="incident-moment">
          {incident.engaged
            ? `The kill switch was engaged at ${formatTime(incident.at)}.`
            : 'The kill switch is not engaged: this page shows the last hour until now.'}{' '}
          Sessions from {formatTime(incident.windowFrom)} to {formatTime(incident.windowTo)}.
        </p>
      )}
      <ol className="incident-steps">
        <Step n={1} title="Stop it" testId="incident-stop">
          {engaged ? <KillReportPanel /> : <KillSwitchButton />}
        </Step>
        <Step n={2} title="Check the logs" testId="incident-logs-step">
          {incident ? (
            <IncidentLogs
              logs={incident.logs}
              onOpenInLogs={() => {
                openLogsAt(incident.logs.day, new Date(incident.at).toISOString());
                showView('logs');
              }}
            />
          ) : (
            <p className="muted">Loading…</p>
          )}
        </Step>
        <Step n={3} title="Review the sessions" testId="incident-sessions-step">
          {incident ? (
            <IncidentSessions
              sessions={incident.sessions}
              truncated={incident.sessionsTruncated}
              onOpen={(key) => {
                void sessionsStoreFor(transport).getState().open(key);
                showView('sessions');
              }}
            />
          ) : (
            <p className="muted">Loading…</p>
          )}
        </Step>
        <Step n={4} title="Rotate secrets" testId="incident-secrets-step">
          {incident ? (
            <IncidentSecrets
              secrets={incident.secrets}
              pending={pending}
              error={checkError}
              onCheck={(item, checked) => void store.getState().check(item, checked)}
            />
          ) : (
            <p className="muted">Loading…</p>
          )}
        </Step>
        <Step n={5} title="Update the rules" testId="incident-prompt-step">
          {prompt ? (
            <IncidentPrompt
              prompt={prompt}
              saving={saving}
              error={promptError}
              savedAt={savedAt}
              onSave={(mode, text) => void store.getState().savePrompt(mode, text)}
            />
          ) : (
            <p className="muted">Loading…</p>
          )}
        </Step>
      </ol>
    </>
  );
}

/**
 * Incident response: the seed's five steps on one page — stop it, check the logs, review the
 * sessions, rotate secrets, update the rules — each one click away.
 */
export function IncidentView() {
  const transport = useTransport();
  return (
    <section className="incident" aria-labelledby="incident-title" data-testid="incident-view">
      <h2 id="incident-title">Incident response</h2>
      {transport ? (
        <IncidentSteps store={incidentStoreFor(transport)} transport={transport} />
      ) : (
        <p className="muted">Not connected to the supervisor.</p>
      )}
    </section>
  );
}
