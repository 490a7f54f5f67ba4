import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { SandboxSummary } from '../../src-shared/domain/sandbox.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { SandboxTable } from '../components/SandboxTable.js';
import { WorkspaceFileReader } from '../components/WorkspaceFileReader.js';
import type { Transport } from '../transport.js';
import { sandboxesStoreFor, type SandboxesStore } from '../state/sandboxes-store.js';
import { useTransport } from '../state/store-context.js';
import './sessions.css';

/**
 * How long after one list arrives the next is asked for. Each list samples stats, which costs
 * the engine about a second per running container (it takes two samples to compute CPU), all in
 * parallel: polling faster would keep the engine busy for a view no one may be reading.
 */
const REFRESH_MS = 5000;

/** Re-lists on open and every REFRESH_MS while the view is shown and the page is visible. */
function usePolling(store: SandboxesStore): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const tick = async (): Promise<void> => {
      if (document.visibilityState === 'visible') await store.getState().refresh();
      // Counted from the reply, not the request: a slow engine is never asked twice at once.
      if (!stopped) timer = setTimeout(() => void tick(), REFRESH_MS);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [store]);
}

function Sandboxes({ store, transport }: { store: SandboxesStore; transport: Transport }) {
  const sandboxes = useStore(store, (s) => s.sandboxes);
  const dockerError = useStore(store, (s) => s.dockerError);
  const error = useStore(store, (s) => s.error);
  const stopping = useStore(store, (s) => s.stopping);
  const refreshing = useStore(store, (s) => s.refreshing);
  const stop = useStore(store, (s) => s.stop);
  const refresh = useStore(store, (s) => s.refresh);
  const [confirming, setConfirming] = useState<SandboxSummary | null>(null);
  usePolling(store);

  return (
    <>
      <div className="card__header">
        <p className="card__message">
          One Docker container per sandboxed session, created on first use. Stopping one removes the
          container; its workspace stays, and the session’s next tool call starts a fresh one. The
          kill switch stops them all.
        </p>
        <button type="button" onClick={() => void refresh()} disabled={refreshing}>
          {refreshing ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {dockerError && (
        <div className="notice notice--error" role="alert" data-testid="docker-error">
          <span>
            Docker is unreachable: {dockerError}. Sandboxed tools fail closed (they refuse to run)
            until it answers again.
          </span>
        </div>
      )}
      {error && (
        <div className="notice notice--error" role="alert" data-testid="sandboxes-error">
          {error}
        </div>
      )}
      {sandboxes === null ? (
        !error && <p data-testid="sandboxes-loading">Asking Docker…</p>
      ) : sandboxes.length === 0 ? (
        !dockerError && (
          <p className="muted" data-testid="sandboxes-empty">
            No sandbox containers are running. One starts when a sandboxed session first uses a
            tool.
          </p>
        )
      ) : (
        <>
          <SandboxTable sandboxes={sandboxes} stopping={stopping} onStop={setConfirming} />
          <WorkspaceFileReader transport={transport} sandboxes={sandboxes} />
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title="Stop this sandbox?"
          body={`${confirming.name} (session ${confirming.sessionKey ?? 'unknown'}) is removed now; anything running in it is killed. Its workspace is kept.`}
          confirmLabel="Stop sandbox"
          destructive
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void stop(confirming.name);
          }}
        />
      )}
    </>
  );
}

/** The sandbox containers: which session, which image, how old, how busy; stop one. */
export function SandboxesView() {
  const transport = useTransport();
  return (
    <section className="card" aria-label="Sandboxes" data-testid="sandboxes-view">
      <h2>Sandboxes</h2>
      {transport ? (
        <Sandboxes store={sandboxesStoreFor(transport)} transport={transport} />
      ) : (
        <p className="muted">Not connected to the supervisor.</p>
      )}
    </section>
  );
}
