import { useCallback, useEffect } from 'react';
import { useStore } from 'zustand';
import { SessionList } from '../components/SessionList.js';
import { SessionSearch } from '../components/SessionSearch.js';
import { TranscriptPanel } from '../components/TranscriptPanel.js';
import { sessionsStoreFor, type SessionsStore } from '../state/sessions-store.js';
import { useTransport } from '../state/store-context.js';
import './sessions.css';

function Sessions({ store }: { store: SessionsStore }) {
  const sessions = useStore(store, (s) => s.sessions);
  const listError = useStore(store, (s) => s.listError);
  const openKey = useStore(store, (s) => s.transcript?.key ?? null);
  const open = useStore(store, (s) => s.open);
  const refresh = useStore(store, (s) => s.refreshList);
  // Stable, so a live event re-renders only the session row it changed (the rows are memoised).
  const onOpen = useCallback((key: string) => void open(key), [open]);
  // Live only while shown: the view follows session:event and catches up when it comes back.
  useEffect(() => store.getState().attach(), [store]);

  return (
    <>
      {listError && (
        <div className="notice notice--error" role="alert" data-testid="sessions-error">
          Could not list the sessions: {listError}
          <button type="button" onClick={() => void refresh()}>
            Retry
          </button>
        </div>
      )}
      {sessions === null ? (
        !listError && <p data-testid="sessions-loading">Loading sessions…</p>
      ) : sessions.length === 0 ? (
        <p className="muted" data-testid="sessions-empty">
          No sessions yet — one starts when someone the access rules let through writes to the bot,
          or when you use the Console.
        </p>
      ) : (
        <SessionList sessions={sessions} openKey={openKey} onOpen={onOpen} />
      )}
      <SessionSearch store={store} />
      <TranscriptPanel store={store} session={sessions?.find((s) => s.key === openKey)} />
    </>
  );
}

/**
 * Sessions and their transcripts: who, on which provider, how trusted, where their tools run;
 * the transcript streams live while the agent works, and searches find any event.
 */
export function SessionsView() {
  const transport = useTransport();
  return (
    <section className="card sessions-view" aria-label="Sessions" data-testid="sessions-view">
      <h2>Sessions</h2>
      {transport ? (
        <Sessions store={sessionsStoreFor(transport)} />
      ) : (
        <p className="muted">Not connected to the supervisor.</p>
      )}
    </section>
  );
}
