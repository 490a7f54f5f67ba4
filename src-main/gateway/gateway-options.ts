import type { Database } from 'better-sqlite3';
import type { ConsoleMessage, ProviderStatus } from '../../src-shared/domain/provider-status.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import type { ConfigService } from '../config/config-service.js';
import type { Logger } from '../logging/logger.js';
import type { InboxRepo } from '../store/inbox-repo.js';
import type { AgentServiceOptions } from './agent/agent-service-options.js';
import type { SessionStep } from './inbound/delivery.js';
import type { KeychainSecretSource } from './keychain-secret.js';
import type { ProviderManagerOptions } from './providers/provider-manager.js';
import type { ProviderFactory } from './providers/provider-runtime.js';

/** Where the gateway's outward events go (the supervisor, or the terminal in the foreground). */
export interface GatewayEvents {
  providers(statuses: ProviderStatus[]): void;
  console(message: ConsoleMessage): void;
  /** A transcript event was stored (live views read it back from SQLite). */
  sessionEvent(event: TranscriptEvent): void;
}

/** What the gateway is composed from. */
export interface GatewayOptions {
  db: Database;
  stateDir: string;
  /**
   * The process's one ConfigService (its logging follows the same one). Absent (tests, benches):
   * the gateway makes its own over `db`, on `configPath`, and starts and stops it with itself.
   */
  config?: ConfigService;
  /** The config file of a ConfigService the gateway makes itself; default: the state directory's. */
  configPath?: string;
  log: Logger;
  /** The providers this gateway can run; absent: none (tests and benches of the inbound side). */
  factories?: Partial<Record<MessagingProvider, ProviderFactory>>;
  autoStart?: ProviderManagerOptions['autoStart'];
  /** Where the gateway's outward events go; absent: nowhere (tests and benches). */
  events?: GatewayEvents;
  /** The gateway's environment (model keys); default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** The keychain's model key, handed over by the supervisor (absent in the foreground). */
  modelKey?: KeychainSecretSource;
  /** The keychain's Telegram bot token, handed over by the supervisor (absent in the foreground). */
  telegramToken?: KeychainSecretSource;
  /** For tests: build the model client instead of the real SDK clients. */
  modelFactory?: AgentServiceOptions['modelFactory'];
  /** For tests: the Docker engine sandboxes run on. */
  docker?: AgentServiceOptions['docker'];
  /** For tests and benches: the session step in place of the agent. */
  sessions?: SessionStep;
  /** The inbox's store (default: this database's; bench/durability measures one in memory). */
  inbox?: InboxRepo;
  /** The gateway's clock (default: the system's). */
  now?: () => number;
  /** How often to look for what other processes committed (approvals, queued notices). */
  watchIntervalMs?: number;
}
