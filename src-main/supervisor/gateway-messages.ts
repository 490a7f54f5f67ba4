import {
  GatewayToSupervisorSchema,
  type GatewayToSupervisor,
} from '../../src-shared/gateway-protocol.js';

/** Gateway messages the supervisor relays to the UI. */
export type GatewayReport = Extract<
  GatewayToSupervisor,
  { type: 'providers' | 'console' | 'sessions-changed' }
>;

/** What the gateway manager does with each message its child sends. */
export interface GatewayMessageHandlers {
  ready(): void;
  heartbeat(): void;
  keychainRequest(): void;
  /** What the gateway reports beyond its lifecycle, for the UI. */
  report(message: GatewayReport): void;
}

/** Parses a message from the gateway child and hands it to its handler; one that does not parse is dropped. */
export function routeGatewayMessage(raw: unknown, handlers: GatewayMessageHandlers): void {
  const parsed = GatewayToSupervisorSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  switch (message.type) {
    case 'ready':
      handlers.ready();
      break;
    case 'heartbeat':
      handlers.heartbeat();
      break;
    case 'status':
      break;
    case 'keychain-request':
      handlers.keychainRequest();
      break;
    case 'providers':
    case 'console':
    case 'sessions-changed':
      handlers.report(message);
      break;
    default: {
      const unreachable: never = message;
      throw new Error(`unhandled gateway message ${JSON.stringify(unreachable)}`);
    }
  }
}
