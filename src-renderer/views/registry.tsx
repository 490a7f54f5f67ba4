import type { ComponentType } from 'react';
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
import { AllowlistsView } from './AllowlistsView.js';
import { ApprovalsView } from './ApprovalsView.js';
import { ConsoleView } from './ConsoleView.js';
import { DashboardView } from './DashboardView.js';
import { IncidentView } from './IncidentView.js';
import { LogsView } from './LogsView.js';
import { PairingView } from './PairingView.js';
import { ProvidersView } from './ProvidersView.js';
import { SandboxesView } from './SandboxesView.js';
import { SecurityView } from './SecurityView.js';
import { SessionsView } from './SessionsView.js';
import { SettingsView } from './SettingsView.js';
import { SetupView } from './SetupView.js';
import { UsageView } from './UsageView.js';

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
