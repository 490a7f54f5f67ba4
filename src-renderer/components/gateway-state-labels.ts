import type { GatewayState } from '../../src-shared/domain/gateway.js';

/**
 * How the gateway's state reads on screen: the gateway card's and the early shell's words.
 * Free of zod and React, since the entry chunk's early shell uses it.
 */
export const GATEWAY_STATE_LABELS: Readonly<Record<GatewayState, string>> = {
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  crashed: 'Crashed',
};
