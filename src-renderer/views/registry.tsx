import { lazy, type ComponentType } from 'react';
import {
  Activity,
  Gauge,
  KeyRound,
  ListChecks,
  MessagesSquare,
  Plug,
  ScrollText,
  ShieldCheck,
  Siren,
  SquareTerminal,
  UserPlus,
  Box,
  Settings,
  Wand2,
  type LucideIcon,
} from 'lucide-react';
import type { View } from '../state/view.js';
import { DashboardView } from './DashboardView.js';

// Every view but the dashboard is its own chunk, loaded when first shown: the first paint parses
// only the shell and the dashboard, not every view's code (and the libraries only they use).
const AllowlistsView = lazy(() =>
  import('./AllowlistsView.js').then((m) => ({ default: m.AllowlistsView })),
);
const ApprovalsView = lazy(() =>
  import('./ApprovalsView.js').then((m) => ({ default: m.ApprovalsView })),
);
const ConsoleView = lazy(() =>
  import('./ConsoleView.js').then((m) => ({ default: m.ConsoleView })),
);
const IncidentView = lazy(() =>
  import('./IncidentView.js').then((m) => ({ default: m.IncidentView })),
);
const LogsView = lazy(() => import('./LogsView.js').then((m) => ({ default: m.LogsView })));
const PairingView = lazy(() =>
  import('./PairingView.js').then((m) => ({ default: m.PairingView })),
);
const ProvidersView = lazy(() =>
  import('./ProvidersView.js').then((m) => ({ default: m.ProvidersView })),
);
const SandboxesView = lazy(() =>
  import('./SandboxesView.js').then((m) => ({ default: m.SandboxesView })),
);
const SecurityView = lazy(() =>
  import('./SecurityView.js').then((m) => ({ default: m.SecurityView })),
);
const SessionsView = lazy(() =>
  import('./SessionsView.js').then((m) => ({ default: m.SessionsView })),
);
const SettingsView = lazy(() =>
  import('./SettingsView.js').then((m) => ({ default: m.SettingsView })),
);
const SetupView = lazy(() => import('./SetupView.js').then((m) => ({ default: m.SetupView })));
const UsageView = lazy(() => import('./UsageView.js').then((m) => ({ default: m.UsageView })));

/** How the shell shows one view: its name in the sidebar, its icon, and what renders it. */
export interface ViewEntry {
  /** Sentence case, as the sidebar and the page title show it. */
  label: string;
  icon: LucideIcon;
  component: ComponentType;
}

/**
 * Every view's entry. To add a view: add its name to VIEWS in state/view.ts (that is the sidebar
 * order and what the location hash accepts), then its entry here; the Record type makes a view
 * without an entry a type error, so the sidebar and the router cannot drift apart.
 */
export const VIEW_ENTRIES: Record<View, ViewEntry> = {
  dashboard: { label: 'Dashboard', icon: Gauge, component: DashboardView },
  console: { label: 'Console', icon: SquareTerminal, component: ConsoleView },
  providers: { label: 'Providers', icon: Plug, component: ProvidersView },
  pairing: { label: 'Pairing', icon: UserPlus, component: PairingView },
  approvals: { label: 'Approvals', icon: ListChecks, component: ApprovalsView },
  allowlists: { label: 'Allowlists', icon: KeyRound, component: AllowlistsView },
  sessions: { label: 'Sessions', icon: MessagesSquare, component: SessionsView },
  sandboxes: { label: 'Sandboxes', icon: Box, component: SandboxesView },
  usage: { label: 'Usage', icon: Activity, component: UsageView },
  security: { label: 'Security', icon: ShieldCheck, component: SecurityView },
  logs: { label: 'Logs', icon: ScrollText, component: LogsView },
  incident: { label: 'Incident', icon: Siren, component: IncidentView },
  settings: { label: 'Settings', icon: Settings, component: SettingsView },
  setup: { label: 'Setup', icon: Wand2, component: SetupView },
};
