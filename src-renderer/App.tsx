import { ConfigErrorBanner } from './components/ConfigErrorBanner.js';
import { LogFallbackBanner } from './components/LogFallbackBanner.js';
import { PairingDialog } from './components/PairingDialog.js';
import { ApprovalDialog } from './components/ApprovalDialog.js';
import { ApprovalsView } from './views/ApprovalsView.js';
import { PairingToasts } from './components/PairingToasts.js';
import { ViewNav } from './components/ViewNav.js';
import { useApp } from './state/store-context.js';
import { AllowlistsView } from './views/AllowlistsView.js';
import { ConsoleView } from './views/ConsoleView.js';
import { DashboardView } from './views/DashboardView.js';
import { IncidentView } from './views/IncidentView.js';
import { LogsView } from './views/LogsView.js';
import { PairingView } from './views/PairingView.js';
import { ProvidersView } from './views/ProvidersView.js';
import { SecurityView } from './views/SecurityView.js';
import { SandboxesView } from './views/SandboxesView.js';
import { SessionsView } from './views/SessionsView.js';
import { SettingsView } from './views/SettingsView.js';
import { SetupAutoOpen, SetupView } from './views/SetupView.js';

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
  switch (view) {
    case 'dashboard':
      return <DashboardView />;
    case 'console':
      return <ConsoleView />;
    case 'providers':
      return <ProvidersView />;
    case 'pairing':
      return <PairingView />;
    case 'approvals':
      return <ApprovalsView />;
    case 'allowlists':
      return <AllowlistsView />;
    case 'logs':
      return <LogsView />;
    case 'security':
      return <SecurityView />;
    case 'sessions':
      return <SessionsView />;
    case 'sandboxes':
      return <SandboxesView />;
    case 'incident':
      return <IncidentView />;
    case 'settings':
      return <SettingsView />;
    case 'setup':
      return <SetupView />;
    default: {
      const unreachable: never = view;
      return unreachable;
    }
  }
}

/** The app shell. Only views wired to real data appear in it. */
export function App() {
  const engaged = useApp((s) => s.snapshot?.killSwitch.engaged ?? false);
  return (
    <div className={`shell${engaged ? ' shell--engaged' : ''}`}>
      <header className="shell__header">
        <h1>Clawdbot</h1>
        <ViewNav />
      </header>
      <main className="shell__main">
        <ConnectionNotice />
        <ErrorBar />
        <SetupAutoOpen />
        <ConfigErrorBanner />
        <LogFallbackBanner />
        <CurrentView />
      </main>
      <PairingToasts />
      <PairingDialog />
      <ApprovalDialog />
    </div>
  );
}
