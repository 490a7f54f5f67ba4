import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { LogDetails } from '../components/LogDetails.js';
import { LogList } from '../components/LogList.js';
import { LogToolbar } from '../components/LogToolbar.js';
import { createLogsStore, takeLogsJump, type LogsStore } from '../state/logs-store.js';
import { useTransport } from '../state/store-context.js';
import type { Transport } from '../transport.js';
import './LogsView.css';
import { formatCount } from '../components/format.js';

/** How often the view re-reads the counts while following, or while a search is running. */
const FOLLOW_POLL_MS = 1000;
const SEARCH_POLL_MS = 250;

function LogsPanel({ store }: { store: LogsStore }) {
  const selected = useStore(store, (s) => s.selected);
  const follow = useStore(store, (s) => s.follow);
  const complete = useStore(store, (s) => s.complete);
  const loaded = useStore(store, (s) => s.loaded);
  const error = useStore(store, (s) => s.error);
  const shownDay = useStore(store, (s) => s.shownDay);
  const fileLines = useStore(store, (s) => s.fileLines);

  useEffect(() => {
    void store.getState().loadDays();
    const jump = takeLogsJump();
    if (jump) {
      store.getState().setDay(jump.day);
      void store.getState().jumpToTime(jump.time);
    } else store.getState().ensureRange(0, 100);
  }, [store]);

  // Following polls logs:query (see the contract's note): new lines, and the next day's file
  // after midnight. A search still scanning is polled too, so its count becomes exact.
  const polling = follow || (loaded && !complete);
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(
      () => void store.getState().poll(),
      follow ? FOLLOW_POLL_MS : SEARCH_POLL_MS,
    );
    return () => clearInterval(timer);
  }, [store, polling, follow]);

  return (
    <section className="card logs" aria-label="Logs" data-testid="logs-view">
      <header className="logs__header">
        <h2>Logs</h2>
        <span className="muted" data-testid="log-file-info">
          {shownDay ?? '…'}: {formatCount(fileLines)} lines
        </span>
      </header>
      <LogToolbar store={store} />
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      <div className="logs__body">
        <LogList store={store} />
        {selected && (
          <LogDetails line={selected.line} onClose={() => store.setState({ selected: null })} />
        )}
      </div>
    </section>
  );
}

function LogsWithTransport({ transport }: { transport: Transport }) {
  const store = useMemo(() => createLogsStore(transport), [transport]);
  return <LogsPanel store={store} />;
}

/**
 * The log viewer: the day's JSON-lines log, searched, filtered and followed. Everything heavy
 * (indexing, search, finding a time) runs in the supervisor; this view holds a few pages.
 */
export function LogsView() {
  const transport = useTransport();
  if (!transport) return <p className="muted">Not connected to the supervisor.</p>;
  return <LogsWithTransport transport={transport} />;
}
