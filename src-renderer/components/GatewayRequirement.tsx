import { useApp } from '../state/store-context.js';

/**
 * Why something that lives inside the gateway cannot be used right now, or null when it can.
 * Providers and the assistant run in the gateway process, so without it there is nothing to
 * start, stop or talk to.
 */
export function useGatewayUnavailableReason(): string | null {
  const connection = useApp((s) => s.connection);
  const snapshot = useApp((s) => s.snapshot);
  if (connection !== 'connected' || !snapshot) return 'Not connected to the supervisor.';
  if (snapshot.killSwitch.engaged) {
    return 'The kill switch is engaged, so the gateway is stopped: re-arm it and start the gateway on the Dashboard.';
  }
  switch (snapshot.gateway.state) {
    case 'running':
      return null;
    case 'starting':
      return 'The gateway is starting…';
    case 'stopping':
      return 'The gateway is stopping.';
    case 'stopped':
    case 'crashed':
      return 'The gateway is not running: start it on the Dashboard.';
    default: {
      const unreachable: never = snapshot.gateway.state;
      return unreachable;
    }
  }
}

/** The reason above as a notice, for views whose controls it disables. */
export function GatewayRequirement({ testId }: { testId: string }) {
  const reason = useGatewayUnavailableReason();
  if (reason === null) return null;
  return (
    <p className="notice notice--warn" data-testid={testId}>
      {reason}
    </p>
  );
}
