import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type {
  ConsoleMessage,
  ProviderAction,
  ProviderStatus,
} from '../../src-shared/domain/provider-status.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import type { Logger } from '../logging/logger.js';
import { GatewayCore } from './gateway-core.js';
import { createNotConfiguredResponder } from './not-configured-responder.js';
import { ProviderManager, type ProviderManagerOptions } from './providers/provider-manager.js';
import type { ProviderFactory } from './providers/provider-runtime.js';

/** Where the gateway's outward events go (the supervisor, or the terminal in the foreground). */
export interface GatewayEvents {
  providers(statuses: ProviderStatus[]): void;
  console(message: ConsoleMessage): void;
}

/** The gateway's moving parts, composed once per process. */
export interface GatewayServices {
  core: GatewayCore;
  providers: ProviderManager;
  /** The owner typed in the console: handle it as a message in the `main` session. */
  consoleMessage(text: string): Promise<void>;
  controlProvider(provider: MessagingProvider, action: ProviderAction): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the inbound core to the providers and the console: providers feed envelopes in,
 * connected providers get replies out, and delivered messages reach the session step.
 */
export async function startGatewayServices(options: {
  db: Database;
  stateDir: string;
  configPath: string;
  log: Logger;
  factories: Partial<Record<MessagingProvider, ProviderFactory>>;
  autoStart?: ProviderManagerOptions['autoStart'];
  events: GatewayEvents;
}): Promise<GatewayServices> {
  // The session step until the agent exists: a short "not configured" reply.
  const deliver = createNotConfiguredResponder({
    reply: (delivery, text) => core.reply(delivery.envelope, text),
    onDelivered: (delivery) =>
      options.log.info('delivered', { session: delivery.sessionKey, trust: delivery.trust }),
  });
  const core = new GatewayCore({
    db: options.db,
    stateDir: options.stateDir,
    configPath: options.configPath,
    log: options.log,
    deliver,
  }).start();
  core.registerChannel({
    provider: 'console',
    send: (_chatId, text) => {
      options.events.console({ id: randomUUID(), role: 'assistant', text, at: Date.now() });
      return Promise.resolve();
    },
  });
  const providers = new ProviderManager({
    factories: options.factories,
    autoStart: options.autoStart,
    inbound: async (envelope) => {
      await core.handleInbound(envelope);
    },
    registerChannel: (channel) => core.registerChannel(channel),
    onStatuses: (statuses) => options.events.providers(statuses),
    log: options.log.child('providers'),
    stateDir: options.stateDir,
  });
  options.events.providers(providers.list());
  // An invalid config starts no provider: the core runs on safe defaults, and nothing connects
  // with settings the owner did not mean. A later good edit starts them.
  const initial = core.configState();
  if (!initial.errors) await providers.startAll(initial.config);
  core.onConfig((config) => {
    providers
      .applyConfig(config)
      .catch((error: unknown) =>
        options.log.error('applying the new config to the providers failed', {
          error: String(error),
        }),
      );
  });

  return {
    core,
    providers,
    async consoleMessage(text) {
      await core.handleInbound({
        provider: 'console',
        chatKind: 'dm',
        chatId: 'console',
        senderId: 'owner',
        text,
        timestamp: Date.now(),
      });
    },
    controlProvider: (provider, action) => providers.control(provider, action),
    async stop() {
      await providers.stopAll();
      core.stop();
    },
  };
}
