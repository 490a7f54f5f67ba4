import type { GatewayState } from '../../src-shared/domain/gateway.js';

// Words the app's components share with the early shell: free of zod and React, since the
// early shell (src-renderer/early-shell.ts), inlined in the page, uses them.

/** How the gateway's state reads on screen. */
export const GATEWAY_STATE_LABELS: Readonly<Record<GatewayState, string>> = {
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  crashed: 'Crashed',
};

/** What the kill switch does, under its button. */
export const KILL_SWITCH_HINT =
  'Kills the gateway and every sandbox container of this installation at once. Nothing restarts until you re-arm.';
