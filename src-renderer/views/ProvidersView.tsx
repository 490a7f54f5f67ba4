import {
  GatewayRequirement,
  useGatewayUnavailableReason,
} from '../components/GatewayRequirement.js';
import { ProviderCard } from '../components/ProviderCard.js';
import { useApp } from '../state/store-context.js';

/** The messaging providers: each one's connection, the WhatsApp QR while linking, and controls. */
export function ProvidersView() {
  const providers = useApp((s) => s.providers);
  const gatewayRunning = useGatewayUnavailableReason() === null;

  return (
    <div className="stack" data-testid="providers-view">
      <GatewayRequirement testId="providers-gateway-down" />
      {providers === null ? (
        <p>Loading…</p>
      ) : (
        providers.map((status) => (
          <ProviderCard key={status.provider} status={status} gatewayRunning={gatewayRunning} />
        ))
      )}
    </div>
  );
}
