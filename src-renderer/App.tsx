import { lazy, Suspense } from 'react';
import { ConfigErrorBanner } from './components/ConfigErrorBanner.js';
import { LogFallbackBanner } from './components/LogFallbackBanner.js';
import { PairingToasts } from './components/PairingToasts.js';
import { Sidebar } from './components/Sidebar.js';
import { StatusBar } from './components/StatusBar.js';
import { useAttention } from './state/attention.js';
import { useApp } from './state/store-context.js';
import { VIEW_ENTRIES } from './views/registry.js';

// The set-up view's chunk comes with its banner, which only an unconfigured installation shows.
const SetupAutoOpen = lazy(() =>
  import('./views/SetupView.js').then((m) => ({ default: m.SetupAutoOpen })),
);

// The dialogs open on a request, never before the first paint: their chunks (Radix dialog, the
// approval's command matching and its schema) load after it.
const PairingDialog = lazy(() =>
  import('./components/PairingDialog.js').then((m) => ({ default: m.PairingDialog })),
);
const ApprovalDialog = lazy(() =>
  import('./components/ApprovalDialog.js').then((m) => ({ default: m.ApprovalDialog })),
);

function ConnectionNotice() {
  const connection = useApp((s) => s.connection);
  switch (connection) {
    case 'connected':
      return null;
    case 'connecting':
      return <p className="notice">Connecting to the supervisor…</p>;
    case 'disconnected':
      return <p className="notice notice--warn">Lost the supervisor; reconnecting…</p>;
    case 'unauthorized':
      return (
        <p className="notice notice--error" data-testid="unauthorized">
          The supervisor rejected this page's token (it changes each time the supervisor starts).
          Run <code>clawdbot web-url</code> on this machine and open the address it prints.
        </p>
      );
    case 'locked-out':
      return (
        <p className="notice notice--error" data-testid="locked-out">
          Too many failed sign-ins came from this address, so the supervisor refuses it for a few
          minutes, even with the right token. This page tries again by itself.
        </p>
      );
    case 'no-token':
      return (
        <p className="notice notice--error" data-testid="no-token">
          This page was opened without its sign-in token. Run <code>clawdbot web-url</code> on this
          machine and open the address it prints (it ends in <code>#token=…</code>);{' '}
          <code>npm start</code> and <code>clawdbot supervise --web</code> print it too when they
          start.
        </p>
      );
    default: {
      const unreachable: never = connection;
      return unreachable;
    }
  }
}

function ErrorBar() {
  const error = useApp((s) => s.error);
  const dismiss = useApp((s) => s.dismissError);
  if (!error) return null;
  return (
    <div className="notice notice--error" role="alert" data-testid="error">
      {error}
      <button type="button" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}

function CurrentView() {
  const view = useApp((s) => s.view);
  const Component = VIEW_ENTRIES[view].component;
  // A view's chunk loads on its first visit (from disk or localhost: a moment, no spinner).
  return (
    <Suspense fallback={null}>
      <Component />
    </Suspense>
  );
}

/**
 * The app shell: the sidebar (views), the current view with the notices that concern every
 * view above it, and the status bar with the compact kill switch below. Engaged, the whole
 * shell wears the kill switch's colour, so no view can be mistaken for business as usual.
 */
export function App() {
  const engaged = useApp((s) => s.snapshot?.killSwitch.engaged ?? false);
  useAttention();
  return (
    <div className={`shell${engaged ? ' shell--engaged' : ''}`}>
      <Sidebar />
      <div className="shell__body">
        <main className="shell__main">
          <ConnectionNotice />
          <ErrorBar />
          <Suspense fallback={null}>
            <SetupAutoOpen />
          </Suspense>
          <ConfigErrorBanner />
          <LogFallbackBanner />
          <CurrentView />
        </main>
        <StatusBar />
      </div>
      <PairingToasts />
      <Suspense fallback={null}>
        <PairingDialog />
        <ApprovalDialog />
      </Suspense>
    </div>
  );
}
