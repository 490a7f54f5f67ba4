import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type {
  ConsoleMessage,
  ProviderAction,
  ProviderStatus,
} from '../../src-shared/domain/provider-status.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import type { Logger } from '../logging/logger.js';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import { processRedactor } from '../logging/redact.js';
import { envClock } from '../process/env-clock.js';
import { createSessionsRepo } from '../store/sessions-repo.js';
import { createUsageRepo } from '../store/usage-repo.js';
import { AgentService, type AgentServiceOptions } from './agent/agent-service.js';
import { GatewayCore, type Delivery } from './gateway-core.js';
import { createNotConfiguredResponder } from './not-configured-responder.js';
import { SessionRecorder } from './sessions/session-recorder.js';
import { ProviderManager, type ProviderManagerOptions } from './providers/provider-manager.js';
import type { ProviderFactory } from './providers/provider-runtime.js';

/** Where the gateway's outward events go (the supervisor, or the terminal in the foreground). */
export interface GatewayEvents {
  providers(statuses: ProviderStatus[]): void;
  console(message: ConsoleMessage): void;
  /** A transcript event was stored (live views read it back from SQLite). */
  sessionEvent(event: TranscriptEvent): void;
}

/** The gateway's moving parts, composed once per process. */
export interface GatewayServices {
  core: GatewayCore;
  providers: ProviderManager;
  agent: AgentService;
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
  /** The gateway's environment (model keys); default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** For tests: build the model client instead of the real SDK clients. */
  modelFactory?: AgentServiceOptions['modelFactory'];
  /** For tests: the Docker engine sandboxes run on. */
  docker?: AgentServiceOptions['docker'];
}): Promise<GatewayServices> {
  const env = options.env ?? process.env;
  // A manipulated model may repeat a key it found: no configured secret leaves in a reply.
  const reply = (delivery: Delivery, text: string): Promise<boolean> =>
    core.reply(delivery.envelope, processRedactor.redact(text));
  // No model configured: a short "not configured" reply.
  const notConfigured = createNotConfiguredResponder({
    reply,
    onDelivered: (delivery) =>
      options.log.info('delivered', { session: delivery.sessionKey, trust: delivery.trust }),
  });
  // Transcripts are shown in the UI and the CLI: always redacted, whatever the log settings.
  const recorder = new SessionRecorder(
    createSessionsRepo(options.db),
    () => processRedactor,
    (event) => options.events.sessionEvent(event),
  );
  const agent: AgentService = new AgentService({
    stateDir: options.stateDir,
    log: options.log.child('agent'),
    recorder,
    config: () => core.configState().config,
    reply,
    typing: (delivery) =>
      delivery.envelope.provider === 'console'
        ? undefined
        : providers.runtime(delivery.envelope.provider)?.typing(delivery.envelope.chatId),
    notifyOwner: (text) =>
      options.events.console({ id: randomUUID(), role: 'assistant', text, at: Date.now() }),
    notConfigured,
    env,
    apiKey: env['CLAWDBOT_MODEL_API_KEY'],
    modelFactory: options.modelFactory,
    docker: options.docker,
    usage: createUsageRepo(options.db),
    limitsClock: envClock(env),
  });
  const core = new GatewayCore({
    db: options.db,
    stateDir: options.stateDir,
    configPath: options.configPath,
    log: options.log,
    deliver: (delivery) => agent.deliver(delivery),
    onDrop: (envelope, reason) => agent.recordBlocked(envelope, reason),
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
    providers.applyConfig(config).catch((error: unknown) =>
      options.log.error('applying the new config to the providers failed', {
        error: String(error),
      }),
    );
  });

  return {
    core,
    providers,
    agent,
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
      await agent.stop();
      core.stop();
    },
  };
}
