import { GatewayCard } from '../components/GatewayCard.js';
import { KillReportPanel } from '../components/KillReportPanel.js';
import { KillSwitchButton } from '../components/KillSwitchButton.js';

/** The dashboard: the kill switch first, then what it would stop. */
export function DashboardView() {
  return (
    <div className="dashboard">
      <KillSwitchButton />
      <KillReportPanel />
      <GatewayCard />
    </div>
  );
}
