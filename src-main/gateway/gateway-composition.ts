import { randomUUID } from 'node:crypto';
import type { ProviderAction } from '../../src-shared/domain/provider-status.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { createAccessStore } from '../access/access-store.js';
import { PairingService } from '../access/pairing-service.js';
import { resolveConfigPath } from '../state-layout.js';
import { ConfigService } from '../config/config-service.js';
import { createLastGoodConfigRepo } from '../store/config-repo.js';
import { createInboxRepo } from '../store/inbox-repo.js';
import { createKillSwitchRepo } from '../store/kill-switch-repo.js';
import { createBlockedCountsRepo } from '../store/blocked-counts-repo.js';
import { bindOwner } from '../config/bind-owner.js';
import { createOwnerClaimsRepo } from '../store/owner-claims-repo.js';
import { AccessGate } from './access/access-gate.js';
import { ApprovedCache } from './access/approved-cache.js';
import { composeAgent } from './compose-agent.js';
import { reportConfig } from './config-reports.js';
import type { GatewayEvents, GatewayOptions } from './gateway-options.js';
import { startHousekeeping } from './gateway-housekeeping.js';
import { importLegacy } from './import-legacy.js';
import { InboundPipeline } from './inbound/inbound-pipeline.js';
import { OutboundRouter } from './outbound/outbound-router.js';
import { replyTarget } from './outbound/reply-target.js';
import { ProviderManager } from './providers/provider-manager.js';
import { splitOutbound } from './providers/registry.js';
import { ApprovalGate } from './approvals/approval-gate.js';
import { OwnerChat } from './approvals/owner-chat.js';
import { withOwnerCommands } from './approvals/owner-commands.js';
import { createApprovalsRepo } from '../store/approvals-repo.js';
import { closeOpenToolCalls } from '../store/open-tool-calls.js';
import { APPROVALS_HISTORY_DAYS } from '../../src-shared/domain/approvals.js';

const NO_EVENTS: GatewayEvents = {
  providers: () => undefined,
  console: () => undefined,
  sessionEvent: () => undefined,
};

/** The gateway's parts, composed once per process, and what the process does with them. */
export interface Gateway {
  /** The config in force, its health and its changes. */
  config: ConfigService;
  /** Providers' messages (and the console's) in: record, decide, act. */
  inbound: InboundPipeline;
  /** Replies and notices out: channels, typing, the durable outbox. */
  outbound: OutboundRouter;
  providers: ProviderManager;
  /**
   * Starts watching the config file and the database, picks up the messages an earlier run
   * recorded and did not finish (except what the kill switch cut short), then starts the
   * providers the config enables.
   */
  start(): Promise<void>;
  /** The owner typed in the console: handle it as a message in the `main` session. */
  consoleMessage(text: string): Promise<void>;
  controlProvider(provider: MessagingProvider, action: ProviderAction): Promise<void>;
  /** The keychain's bot token was handed over or cleared: Telegram reconnects with what is there. */
  telegramTokenChanged(): Promise<void>;
  /**
   * Stops: nothing new arrives, no new turn starts, the turns in progress are cut (their
   * messages wait in the inbox for the next start, their queued replies in the outbox).
   */
  stop(): Promise<void>;
}

/**
 * The gateway's composition root: every part is built here, once, each from parts built before
 * it. Providers feed envelopes to the inbound pipeline; it decides with the access gate (config,
 * approvals, pairing) and hands deliveries to the session step (the agent); replies and notices
 * leave through the outbound router, to whichever channels are connected.
 */
export function composeGateway(options: GatewayOptions): Gateway {
  const { db, log, stateDir } = options;
  const now = options.now ?? Date.now;
  const events = options.events ?? NO_EVENTS;
  // What the parts subscribe to (config changes) ends with the gateway.
  const subscriptions = new AbortController();
  const ownsConfig = options.config === undefined;
  const config =
    options.config ??
    new ConfigService(options.configPath ?? resolveConfigPath(stateDir), {
      store: createLastGoodConfigRepo(db),
    });
  reportConfig(config, log, subscriptions.signal);

  const store = createAccessStore(db);
  importLegacy(store, stateDir, now(), log);
  const approved = new ApprovedCache(store.allowlist);
  // The owner's chat hears of approval and pairing requests; it sends through the providers,
  // which are built below (it only sends once something arrives, after they exist).
  let providersRef: ProviderManager | null = null;
  const approvalsRepo = createApprovalsRepo(db, log.child('approvals'));
  const pairing: PairingService = new PairingService(store, {
    now,
    onCreated: (request) => ownerChat.pairingRequested(request),
  });
  const access = new AccessGate({
    config,
    approved,
    pairing,
    signal: subscriptions.signal,
    ownerClaims: createOwnerClaimsRepo(db),
    now,
  });
  const outbound = new OutboundRouter({
    outbox: store.outbox,
    log: log.child('outbound'),
    split: splitOutbound,
    now,
  });
  const ownerChat: OwnerChat = new OwnerChat({
    config: () => config.current().config,
    configPath: config.current().path,
    runtime: (provider) => providersRef?.runtime(provider),
    send: (message) => outbound.send(message),
    repo: approvalsRepo,
    pairing,
    log: log.child('approvals'),
    now,
    decided: () => {
      approvals?.poke();
      void outbound.flush();
    },
  });
  let approvals: ApprovalGate | null = null;
  // The gateway decides what it blocks, so it counts it (the supervisor only reads and prunes).
  const blocked = createBlockedCountsRepo(db);
  const sessions = withOwnerCommands(
    options.sessions ??
      composeAgent(options, {
        config,
        outbound,
        events,
        now,
        blocked,
        approvals: (recorder) =>
          (approvals = new ApprovalGate({
            db,
            repo: approvalsRepo,
            policy: () => config.current().config.agent.approvals,
            log: log.child('approvals'),
            record: (sessionKey, text, data) =>
              recorder.record({
                sessionKey,
                at: now(),
                kind: 'approval',
                actor: 'approvals',
                text,
                data,
              }),
            announcer: ownerChat,
            now,
          })),
      }),
    ownerChat,
    (delivery, text) =>
      outbound.send({
        ...replyTarget(delivery.envelope),
        text,
        inboxId: delivery.inbox?.id ?? null,
      }),
  );
  const inboxRepo = options.inbox ?? createInboxRepo(db);
  const inbound = new InboundPipeline({
    inbox: inboxRepo,
    answered: (inboxId) => outbound.answered(inboxId),
    access,
    blocked,
    maxInboundChars: () => config.current().config.limits.maxInboundChars,
    sessions,
    send: (message) => outbound.send(message),
    ownerClaimed: (provider, senderId) => {
      const bound = bindOwner(config.current().path, provider, senderId);
      if (!bound.ok) {
        log.error('the owner code was right but the config file refused the owner', {
          error: bound.error,
        });
        return `Your code was right, but the config file could not be changed (${bound.error}). Fix it and ask for a new code in the app.`;
      }
      store.notes.origin(provider, 'dm', senderId, 'setup', now());
      return 'You are now the owner of this bot: your messages reach the main session, with host tools behind your approval.';
    },
    transaction: (work) => db.transaction(work).immediate(),
    log,
    now,
  });
  // The console is always there: the owner's replies (and notices) go to the supervisor's view.
  outbound.registerChannel({
    provider: 'console',
    send: (_chatId, text) => {
      events.console({ id: randomUUID(), role: 'assistant', text, at: now() });
      return Promise.resolve();
    },
  });
  const providers = new ProviderManager({
    factories: options.factories ?? {},
    autoStart: options.autoStart,
    // Recorded at once, inside the call; a database error rejects (an executor's throw does).
    inbound: (envelopes) =>
      new Promise<void>((resolve) => {
        inbound.receive(envelopes);
        resolve();
      }),
    registerChannel: (channel) => outbound.registerChannel(channel),
    onStatuses: (statuses) => events.providers(statuses),
    log: log.child('providers'),
    stateDir,
    buttonPress: (press) => ownerChat.buttonPress(press),
    keychainToken: () => options.telegramToken?.current(),
  });
  providersRef = providers;
  events.providers(providers.list());

  let stopHousekeeping: (() => void) | null = null;
  return {
    config,
    inbound,
    outbound,
    providers,
    async start() {
      if (ownsConfig) config.start();
      // A command left waiting by an earlier run is denied: its turn is gone. Decided ones are
      // kept for the history's 30 days.
      approvals?.denyLeftovers();
      // Likewise a tool call an earlier run left without a result (it crashed, or was stopped
      // mid-call): it ends as interrupted, so no view shows it running forever. The kill switch
      // closes its own as killed before this can see them.
      closeOpenToolCalls(db, 'interrupted', now());
      approvalsRepo.prune(now() - APPROVALS_HISTORY_DAYS * 24 * 60 * 60 * 1000);
      stopHousekeeping = startHousekeeping({
        db,
        watchIntervalMs: options.watchIntervalMs ?? 250,
        onDatabaseChange: () => {
          access.refreshApprovals();
          approvals?.poke();
          void outbound.flush();
        },
        journals: [store.outbox, inboxRepo],
        log,
        now,
      });
      // The kill switch stops what the assistant was doing, and a re-arm must not bring it back:
      // neither the replies still queued nor the messages waiting when it was pulled.
      const killedAt = createKillSwitchRepo(db).read().engagedAt;
      if (killedAt !== null) outbound.dropWhatTheKillSwitchCut(killedAt);
      // What an earlier run recorded and did not finish is picked up before anything new arrives.
      inbound.recover(killedAt);
      // A file that is invalid at start means the last good config (a half-written file must
      // not mean silent downtime). With none ever seen, the gateway runs on safe defaults and no
      // provider starts: nothing connects with settings the owner did not mean. A later good
      // edit starts them.
      const initial = config.current();
      // The keychain's token is on its way from the supervisor: Telegram starts with it.
      await options.telegramToken?.settled();
      if (initial.source !== 'defaults') await providers.startAll(initial.config);
      config.onChange((state) => {
        if (state.errors) return;
        providers.applyConfig(state.config).catch((error: unknown) =>
          log.error('applying the new config to the providers failed', {
            error: describeError(error),
          }),
        );
      }, subscriptions.signal);
    },
    async consoleMessage(text) {
      await inbound.handleInbound({
        provider: 'console',
        chatKind: 'dm',
        chatId: 'console',
        senderId: 'owner',
        text,
        timestamp: now(),
      });
    },
    controlProvider: (provider, action) => providers.control(provider, action),
    async telegramTokenChanged() {
      // A token the config names wins over the keychain's: nothing to reconnect for.
      const { botToken, tokenFile } = config.current().config.telegram;
      if (!botToken && !tokenFile) await providers.reconnect('telegram');
    },
    async stop() {
      await providers.stopAll();
      inbound.pause();
      await sessions.stop?.();
      stopHousekeeping?.();
      inbound.stop();
      outbound.stop();
      subscriptions.abort();
      if (ownsConfig) config.stop();
    },
  };
}
