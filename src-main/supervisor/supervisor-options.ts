import type Docker from 'dockerode';
import type { ConfigService } from '../config/config-service.js';
import type { Logger } from '../logging/logger.js';
import type { GatewayLauncher } from './gateway-child.js';
import type { GatewayManagerOptions } from './gateway-manager-options.js';
import type { KeychainStore } from './keychain-store.js';
import type { ModelKeyStore } from './model-admin.js';

/** How a supervisor is put together; the desktop app and `clawdbot supervise` differ only in `launch`. */
export interface SupervisorOptions extends Pick<
  GatewayManagerOptions,
  'policy' | 'heartbeatTimeoutMs' | 'readyTimeoutMs' | 'stopGraceMs' | 'timers'
> {
  stateDir: string;
  launch: GatewayLauncher;
  /** The gateway's environment; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  docker?: Docker;
  /** Where the model key is kept outside the config (the desktop app's OS keychain). */
  modelKeyStore?: ModelKeyStore;
  /** Where a pasted Telegram bot token is kept (the desktop app's OS keychain). */
  telegramTokenStore?: KeychainStore;
  /** How often to look for changes other processes (the CLI) made to the database. */
  watchIntervalMs?: number;
  /**
   * The process's config service (shared with its logging). Without one, `open` makes the
   * supervisor's own on its database, and stops it on close.
   */
  config?: ConfigService;
  /** Where the supervisor says what went wrong inside it (a failed read, a failed sweep record). */
  log: Logger;
}
