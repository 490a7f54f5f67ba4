import { useStore } from 'zustand';
import type { SessionSummary } from '../../src-shared/domain/transcript.js';
import type { SessionsStore } from '../state/sessions-store.js';
import { sessionName } from './SessionWords.js';
import { TranscriptList } from './TranscriptList.js';
import { formatCount } from './format.js';

/** The open session's transcript, with its loading, empty and error states. */
export function TranscriptPanel({
  store,
  session,
}: {
  store: SessionsStore;
  session: SessionSummary | undefined;
}) {
  const transcript = useStore(store, (s) => s.transcript);
  const loadOlder = useStore(store, (s) => s.loadOlder);
  const loadNewer = useStore(store, (s) => s.loadNewer);
  const open = useStore(store, (s) => s.open);

  if (!transcript) {
    return (
      <p className="muted" data-testid="transcript-none">
        Pick a session to read its transcript.
      </p>
    );
  }
  const name = session ? sessionName(session) : transcript.key;
  const { events, loading, error } = transcript;
  return (
    <section className="transcript" aria-label={`Transcript of ${name}`} data-testid="transcript">
      <header className="transcript__header">
        <h3>
          {name} <code className="muted">{transcript.key}</code>
        </h3>
        <span className="muted" data-testid="transcript-count" aria-live="polite">
          {loading === 'open'
            ? 'Loading…'
            : `${formatCount(events.length)} of ${formatCount(transcript.total)} events loaded`}
          {loading === 'older' && ' · loading older…'}
          {loading === 'newer' && ' · loading newer…'}
        </span>
      </header>
      {error && (
        <div className="notice notice--error" role="alert" data-testid="transcript-error">
          Could not load the transcript: {error}
          <button type="button" onClick={() => void open(transcript.key)}>
            Retry
          </button>
        </div>
      )}
      {loading === 'open' ? (
        <p data-testid="transcript-loading">Loading the latest events…</p>
      ) : events.length === 0 && !error ? (
        <p className="muted" data-testid="transcript-empty">
          Nothing in this session yet. Events appear here as they happen.
        </p>
      ) : (
        <>
          {transcript.reachedStart && events.length > 0 && (
            <span className="visually-hidden">Start of the transcript.</span>
          )}
          <TranscriptList
            key={transcript.generation}
            events={events}
            focusId={transcript.focusId}
            reachedStart={transcript.reachedStart}
            reachedEnd={transcript.reachedEnd}
            loading={loading !== null}
            label={`Events of ${name}`}
            onNeedOlder={() => void loadOlder()}
            onNeedNewer={() => void loadNewer()}
          />
        </>
      )}
    </section>
  );
}
