import type { GatewayExit, GatewayStatus } from '../../src-shared/domain/gateway.js';
import type { FoundGateway } from '../process/gateway-registry.js';

/** What a start waiting for another gateway of the state directory says. */
export function waitingMessage(other: FoundGateway): string {
  const what =
    other.kind === 'foreground'
      ? `a gateway running in the foreground (pid ${other.pid})`
      : other.kind === 'supervised'
        ? `a gateway left running by a previous supervisor (pid ${other.pid})`
        : `another gateway (pid ${other.pid})`;
  return `waiting for ${what} to exit before starting ours; the kill switch kills it`;
}

/** How the gateway ended, when nothing more telling (a watchdog's verdict) is known. */
export function describeExit(exit: GatewayExit): string {
  if (exit.signal) return `gateway was killed by ${exit.signal}`;
  return `gateway exited with code ${exit.code ?? 'unknown'}`;
}

/** A restart delay as the status message shows it. */
export function formatDelay(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** The status of a gateway the kill switch stopped, or kept from starting again. */
export const KILLED_BY_SWITCH = {
  state: 'stopped',
  nextRestartAt: null,
  message: 'killed by the kill switch',
} as const satisfies Partial<GatewayStatus>;
