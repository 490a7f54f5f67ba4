import { lazy, Suspense } from 'react';
import { ActivityChart } from '../components/ActivityChart.js';
import { EngineCard } from '../components/EngineCard.js';
import { GatewayCard } from '../components/GatewayCard.js';
import { IncidentLink } from '../components/IncidentLink.js';
import { KillSwitchButton } from '../components/KillSwitchButton.js';
import { ModelCard } from '../components/ModelCard.js';
import { UsageCard } from '../components/UsageCard.js';
import { ActiveSessionsCard } from '../components/overview/ActiveSessionsCard.js';
import { BlockedCard } from '../components/overview/BlockedCard.js';
import { ProviderOverviewCards } from '../components/overview/ProviderOverviewCards.js';
import { SandboxesOverviewCard } from '../components/overview/SandboxesOverviewCard.js';
import { WaitingCard } from '../components/overview/WaitingCard.js';
import '../components/overview/overview.css';

// The kill report (only while engaged: the status bar and the shell already say so at once),
// the audit, the set-up checks and the kill history load after the first paint: they carry the
// shared domain modules that build zod schemas, which the first chunk can do without.
const KillReportPanel = lazy(() =>
  import('../components/KillReportPanel.js').then((m) => ({ default: m.KillReportPanel })),
);
const AuditSummaryCard = lazy(() =>
  import('../components/AuditSummaryCard.js').then((m) => ({ default: m.AuditSummaryCard })),
);
const DoctorCard = lazy(() =>
  import('../components/DoctorCard.js').then((m) => ({ default: m.DoctorCard })),
);
const KillHistoryCard = lazy(() =>
  import('../components/KillHistoryCard.js').then((m) => ({ default: m.KillHistoryCard })),
);

/**
 * The dashboard, a live overview in a grid that uses wide screens: the kill switch first (or,
 * engaged, its report), then what runs and what fails (gateway, providers, engine, model), what
 * is happening (sessions, sandboxes, what waits for the owner, what was blocked, today's use),
 * the last 24 hours, and the checks and history below.
 */
export function DashboardView() {
  return (
    <div className="dashboard">
      <KillSwitchButton />
      <Suspense fallback={null}>
        <KillReportPanel />
      </Suspense>
      <IncidentLink urgent={false} />
      <GatewayCard />
      <ProviderOverviewCards />
      <EngineCard />
      <ModelCard />
      <ActiveSessionsCard />
      <SandboxesOverviewCard />
      <WaitingCard />
      <BlockedCard />
      <UsageCard />
      <ActivityChart />
      <Suspense fallback={null}>
        <AuditSummaryCard />
        <DoctorCard />
        <KillHistoryCard />
      </Suspense>
    </div>
  );
}
