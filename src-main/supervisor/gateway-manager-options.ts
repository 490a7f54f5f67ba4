import type { KeychainSecretName } from '../../src-shared/gateway-protocol.js';
import type { Timers } from '../process/timers.js';
import type { KillSwitchRepo } from '../store/kill-switch-repo.js';
import type { RuntimeRepo } from '../store/runtime-repo.js';
import type { GatewayLauncher } from './gateway-child.js';
import type { RestartPolicyOptions } from './restart-policy.js';

/** What the gateway manager needs. */
export interface GatewayManagerOptions {
  launch: GatewayLauncher;
  /** The state directory whose gateway this is (its lock files name every gateway of it). */
  stateDir: string;
  runtime: RuntimeRepo;
  killSwitch: KillSwitchRepo;
  /** The environment the child starts with. */
  env: NodeJS.ProcessEnv;
  /**
   * The keychain's secrets (the model key, the Telegram bot token), handed to the gateway over
   * its channel when it asks and whenever one changes.
   */
  keychain?: (name: KeychainSecretName) => string | null;
  policy?: RestartPolicyOptions;
  /** No heartbeat for this long means the gateway is hung. */
  heartbeatTimeoutMs?: number;
  /** No `ready` for this long after spawning means the gateway is hung. */
  readyTimeoutMs?: number;
  /** How long a graceful stop waits before SIGKILLing the process tree. */
  stopGraceMs?: number;
  /** How often a pending start looks whether the other gateway has gone. */
  foreignPollMs?: number;
  now?: () => number;
  /** Where restarts, watchdogs and polls are scheduled (tests look at what is pending). */
  timers?: Timers;
}
