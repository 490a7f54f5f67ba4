import { ActivityChart } from '../components/ActivityChart.js';
import { AuditSummaryCard } from '../components/AuditSummaryCard.js';
import { DoctorCard } from '../components/DoctorCard.js';
import { EngineCard } from '../components/EngineCard.js';
import { GatewayCard } from '../components/GatewayCard.js';
import { IncidentLink } from '../components/IncidentLink.js';
import { KillHistoryCard } from '../components/KillHistoryCard.js';
import { KillReportPanel } from '../components/KillReportPanel.js';
import { KillSwitchButton } from '../components/KillSwitchButton.js';
import { ModelCard } from '../components/ModelCard.js';
import { UsageCard } from '../components/UsageCard.js';

/** The dashboard: the kill switch first, then what it would stop, then why nobody gets answers. */
export function DashboardView() {
  return (
    <div className="dashboard">
      <KillSwitchButton />
      <KillReportPanel />
      <IncidentLink urgent={false} />
      <GatewayCard />
      <EngineCard />
      <ActivityChart />
      <ModelCard />
      <UsageCard />
      <AuditSummaryCard />
      <DoctorCard />
      <KillHistoryCard />
    </div>
  );
}
