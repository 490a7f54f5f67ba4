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
import type { ConfigService } from '../config/config-service.js';
import { createOutboxRepo } from '../store/outbox-repo.js';
import type { AgentReplies } from './agent/agent-service.js';
import { GatewayCore, target } from './gateway-core.js';
import type { ModelKeySource } from './model-key-holder.js';
import { OutboundRouter } from './outbound/outbound-router.js';
import { splitOutbound } from './providers/registry.js';
import { createNotConfiguredResponder } from './not-configured-responder.js';
import { SessionRecorder } from './sessions/session-recorder.js';
import { ProviderManager, type ProviderManagerOptions } from './providers/provider-manager.js';
import type { ProviderFactory } from './providers/provider-runtime.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

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
  /** The process's config service (shared with its logging); by default the core's own. */
  config?: ConfigService;
  log: Logger;
  factories: Partial<Record<MessagingProvider, ProviderFactory>>;
  autoStart?: ProviderManagerOptions['autoStart'];
  events: GatewayEvents;
  /** The gateway's environment (model keys); default: this process's. */
  env?: NodeJS.ProcessEnv;
  /** The keychain's model key, handed over by the supervisor (absent in the foreground). */
  modelKey?: ModelKeySource;
  /** For tests: build the model client instead of the real SDK clients. */
  modelFactory?: AgentServiceOptions['modelFactory'];
  /** For tests: the Docker engine sandboxes run on. */
  docker?: AgentServiceOptions['docker'];
}): Promise<GatewayServices> {
  const env = options.env ?? process.env;
  const outbound = new OutboundRouter({
    outbox: createOutboxRepo(options.db),
    log: options.log.child('outbound'),
    split: splitOutbound,
  });
  const replies: AgentReplies = {
    // A manipulated model may repeat a key it found: no configured secret is stored or sent.
    queue: (delivery, text) =>
      outbound.enqueue({
        ...target(delivery.envelope),
        text: processRedactor.redact(text),
        inboxId: delivery.inbox?.id ?? null,
      }),
    deliver: (queued) => outbound.deliver(queued),
  };
  // Notices for the owner go out like replies, to the console.
  const notifyOwner = (text: string): void =>
    void outbound.send({ provider: 'console', chatId: 'console', text });
  // No model configured: a short "not configured" reply.
  const notConfigured = createNotConfiguredResponder({
    reply: (delivery, text) => replies.deliver(replies.queue(delivery, text)),
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
    replies,
    transaction: (work) => options.db.transaction(work)(),
    typing: (delivery) =>
      delivery.envelope.provider === 'console'
        ? undefined
        : providers.runtime(delivery.envelope.provider)?.typing(delivery.envelope.chatId),
    notifyOwner,
    notConfigured,
    env,
    modelKey: options.modelKey,
    modelFactory: options.modelFactory,
    docker: options.docker,
    usage: createUsageRepo(options.db),
    limitsClock: envClock(env),
  });
  const core = new GatewayCore({
    db: options.db,
    stateDir: options.stateDir,
    configPath: options.configPath,
    config: options.config,
    log: options.log,
    deliver: (delivery) => agent.deliver(delivery),
    onDrop: (envelope, reason) => agent.recordBlocked(envelope, reason),
    onMissed: (missed) => agent.recordMissed(missed),
    onGaveUp: (delivery) => agent.recordGaveUp(delivery),
    admit: (delivery, arrival) => agent.admit(delivery, arrival),
    outbound,
  });
  // The console is always there: the owner's replies (and notices) go to the supervisor's view.
  outbound.registerChannel({
    provider: 'console',
    send: (_chatId, text) => {
      options.events.console({ id: randomUUID(), role: 'assistant', text, at: Date.now() });
      return Promise.resolve();
    },
  });
  const providers = new ProviderManager({
    factories: options.factories,
    autoStart: options.autoStart,
    // Recorded at once, inside the call; a database error rejects (an executor's throw does).
    inbound: (envelopes) =>
      new Promise<void>((resolve) => {
        core.receive(envelopes);
        resolve();
      }),
    registerChannel: (channel) => outbound.registerChannel(channel),
    onStatuses: (statuses) => options.events.providers(statuses),
    log: options.log.child('providers'),
    stateDir: options.stateDir,
  });
  options.events.providers(providers.list());
  // What an earlier run recorded and did not finish is picked up before anything new arrives.
  core.start();
  // A file that is invalid at start means the last good config (a half-written file must not
  // mean silent downtime). With none ever seen, the core runs on safe defaults and no provider
  // starts: nothing connects with settings the owner did not mean. A later good edit starts them.
  const initial = core.configState();
  if (initial.source !== 'defaults') await providers.startAll(initial.config);
  core.onConfig((config) => {
    providers.applyConfig(config).catch((error: unknown) =>
      options.log.error('applying the new config to the providers failed', {
        error: describeError(error),
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
      // Nothing new arrives; no new turn starts; the turns in progress are cut (their messages
      // wait in the inbox for the next start, their queued replies in the outbox).
      await providers.stopAll();
      core.pause();
      await agent.stop();
      core.stop();
    },
  };
}
