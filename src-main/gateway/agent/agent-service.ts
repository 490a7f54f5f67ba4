import type Docker from 'dockerode';
import {
  DEFAULT_API_KEY_ENV,
  offeredTools,
  type ModelConfig,
} from '../../../src-shared/config/agent-schema.js';
import type { Config } from '../../../src-shared/config/schema.js';
import type { Logger } from '../../logging/logger.js';
import { SandboxManager } from '../../sandbox/sandbox-manager.js';
import type { WorkspaceFullEvent } from '../../sandbox/workspace-full.js';
import type { SessionRecord } from '../../store/sessions-repo.js';
import type { ConfigService } from '../../config/config-service.js';
import type { DropReason } from '../access/verdict.js';
import type { BlockedMessage, Delivery, MissedDelivery, SessionStep } from '../inbound/delivery.js';
import type { KeychainSecretSource } from '../keychain-secret.js';
import type { QueuedMessages } from '../outbound/outbound-router.js';
import type { SessionRecorder } from '../sessions/session-recorder.js';
import { SessionQueue } from '../sessions/session-queue.js';
import { sessionIdentity } from '../sessions/session-identity.js';
import type { UsageRepo } from '../../store/usage-repo.js';
import type { BlockedCountsRepo } from '../../store/blocked-counts-repo.js';
import { InboundLimits, type BudgetStop } from '../limits/inbound-limits.js';
import { runAgentTurn, type AgentStep, type TurnOutcome } from './agent-loop.js';
import { applyChatCommand } from './session-commands.js';
import { elevatedRefusal, isElevatedSender } from './elevated-policy.js';
import { createModelClient } from './model/create-model-client.js';
import type { ModelClient } from './model/model-types.js';
import { buildSystemPrompt } from './system-prompt.js';
import { runTool } from './tools/run-tool.js';
import { hostRunner, scrubbedEnv } from './tools/host-runner.js';
import { sandboxRunner } from './tools/sandbox-runner.js';
import { toolSpecs } from './tools/tool-definitions.js';
import type { ToolRunner } from './tools/tool-runner.js';
import { elevatedTurnEvents, historyFromEvents } from './transcript-history.js';
import { stepEvent } from './turn-events.js';
import { TurnInterrupted } from './turn-interrupted.js';
import { secretEnvNames } from '../../secret-registry.js';
import { hostWorkspaceDir } from '../../state-layout.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import type { ApprovalGate } from '../approvals/approval-gate.js';
import { SANDBOX_WORKDIR } from '../../sandbox/image-recipe.js';

/** Drops that concern a known session; history, mentions and the like are routine. */
const BLOCKS_WORTH_RECORDING: ReadonlySet<DropReason> = new Set<DropReason>([
  'dm-disabled',
  'not-allowlisted',
  'pairing-pending',
  'pairing-rejected',
  'groups-disabled',
  'group-not-allowed',
  'group-sender-not-allowed',
]);

/** How long a stopping gateway waits for the turns in progress to wind down. */
const STOP_GRACE_MS = 2000;

/** How many recent events of the current conversation are sent to the model. */
const HISTORY_EVENTS = 400;

/** How far back a resumed turn looks for its message in the transcript. */
const RESUME_LOOKBACK_EVENTS = 200;

/** Where the agent's replies go. */
export interface AgentReplies {
  /**
   * Stores a reply to a delivery (durably, tied to its inbox message) without sending it:
   * synchronous, so it shares a transaction with the transcript events it goes with.
   */
  queue(delivery: Delivery, text: string): QueuedMessages;
  /** Sends what was queued; resolves once it was tried (see `OutboundRouter.deliver`). */
  deliver(queued: QueuedMessages): Promise<void>;
}

/** What the agent service needs from the gateway. */
export interface AgentServiceOptions {
  stateDir: string;
  log: Logger;
  recorder: SessionRecorder;
  /** The process's config: the agent answers with the one in force (the last good one). */
  config: Pick<ConfigService, 'current'>;
  /** Sends text back to the chat a delivery came from, through the durable outbox. */
  replies: AgentReplies;
  /** Runs `work` in one database transaction: a turn's last events and its reply commit together. */
  transaction: <T>(work: () => T) => T;
  /** Shows "typing…" in the delivery's chat until the returned function runs. */
  typing?: (delivery: Delivery) => (() => void) | undefined;
  /** Tells the owner something went wrong that they must act on (console and log). */
  notifyOwner: (text: string) => void;
  /** No model configured: the providers issue's short reply. */
  notConfigured: (delivery: Delivery) => Promise<void>;
  /** The gateway's environment (model keys are read from it; tools never see them). */
  env: NodeJS.ProcessEnv;
  /** The model key from the OS keychain (desktop app), used when the env has none. */
  modelKey?: KeychainSecretSource;
  /** The Docker engine sandboxes run on; default: `DOCKER_HOST` or the local socket. */
  docker?: Docker;
  /** For tests: build the model client. */
  modelFactory?: (config: ModelConfig) => ModelClient;
  now?: () => number;
  /** Where daily model use is counted (the budgets' ledger). */
  usage: UsageRepo;
  /** Where messages over a sender's rate are counted as blocked attempts; absent: nowhere. */
  blocked?: BlockedCountsRepo;
  /** The clock message rates and daily budgets run on; default `now`. */
  limitsClock?: () => number;
  /** Host commands wait here for the owner's decision (`agent.approvals`); absent: none wait. */
  approvals?: ApprovalGate;
}

/**
 * The session step: gives each delivered message to the agent with the tools its session may
 * use, in the place its session's scope allows (the session's sandbox, or the host for the
 * owner), and records everything in the transcript.
 */
export class AgentService implements SessionStep {
  private readonly queue = new SessionQueue();
  private readonly abort = new AbortController();
  private model: { key: string; client: ModelClient } | null = null;
  private sandboxes: { key: string; manager: SandboxManager } | null = null;
  private readonly now: () => number;
  private readonly limits: InboundLimits;

  constructor(private readonly options: AgentServiceOptions) {
    this.now = options.now ?? Date.now;
    this.limits = new InboundLimits({
      usage: options.usage,
      ...(options.blocked ? { blocked: options.blocked } : {}),
      limits: () => this.config().limits,
      now: options.limitsClock ?? this.now,
      // Limit notices are not the assistant's words: queued durably (tied to the message they
      // answer), not recorded as a turn's reply.
      reply: (delivery, text) => options.replies.deliver(options.replies.queue(delivery, text)),
      recordAccess: (delivery, text, data) => {
        // A flood arrives in batches, decided before any of its messages had a turn: the
        // session its admitted messages will open is opened now, so the drop is on its record.
        this.openSession(delivery, this.config());
        this.record(delivery.sessionKey, 'access', 'system', text, data);
      },
      notifyOwner: options.notifyOwner,
      log: options.log,
    });
  }

  /**
   * The session sink: answers one delivered message (each session one at a time) and resolves
   * once it is answered. Rejects with `TurnInterrupted` when the gateway stopping cut the turn
   * short (its message is then answered by the next start). Its place in its session's queue
   * bound (taken by {@link admit}) is given back when it ends, however it ends.
   */
  deliver(delivery: Delivery): Promise<void> {
    return this.queue
      .run(delivery.sessionKey, () =>
        this.handle(delivery).catch((error: unknown) => {
          if (error instanceof TurnInterrupted) throw error;
          this.options.log.error('answering a message failed', {
            session: delivery.sessionKey,
            error: describeError(error),
          });
          this.record(delivery.sessionKey, 'error', 'system', 'Answering this message failed.');
        }),
      )
      .finally(() => this.limits.left(delivery));
  }

  /**
   * The limits a delivered message meets when it arrives (or is picked up after a restart),
   * before it waits for its turn: the sender's message rate and its session's queue bound (see
   * {@link InboundLimits.admit}). False: turned away (counted, and the first of a flood told
   * once); it gets no turn. Synchronous, so it shares the transaction that records the message.
   */
  admit(delivery: Delivery, arrival: { recovered: boolean }): boolean {
    return this.limits.admit(delivery, arrival);
  }

  /**
   * Records, in a session that exists, that a message meant for it was blocked (a friend removed
   * from the allowlist, a group member not allowed): access decisions affecting a session belong
   * in its transcript. The blocked text itself is never stored.
   */
  recordBlocked(blocked: BlockedMessage): void {
    const { envelope, reason, sessionKey } = blocked;
    if (!BLOCKS_WORTH_RECORDING.has(reason) || envelope.provider === 'console') return;
    if (!this.options.recorder.repo.get(sessionKey)) return;
    this.record(
      sessionKey,
      'access',
      'system',
      `Blocked a message from ${envelope.senderName ?? envelope.senderId}: ${reason}`,
      {
        reason,
        senderId: envelope.senderId,
      },
    );
  }

  /**
   * Records a message that waited while the gateway was down for longer than
   * `session.catchUpMinutes`: in its session's transcript, marked missed, never answered (and
   * never shown to the model).
   */
  recordMissed(missed: MissedDelivery): void {
    const { envelope } = missed;
    this.openSession(missed, this.config());
    this.record(
      missed.sessionKey,
      'inbound',
      envelope.senderName ?? envelope.senderId,
      envelope.text,
      {
        senderId: envelope.senderId,
        untrusted: missed.trust !== 'owner',
        missed: true,
        sentAt: envelope.timestamp,
      },
    );
  }

  /** Records that crashes cut a message's turn short twice, and its sender was asked to resend. */
  recordGaveUp(delivery: Delivery): void {
    this.record(
      delivery.sessionKey,
      'error',
      'system',
      'Gave up on a message: the gateway was interrupted twice while answering it. The sender was asked to send it again.',
    );
  }

  /** Stops every turn in progress (shutdown, kill switch) and waits for them to end. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.abort.abort(new Error('the gateway is stopping'));
    // Model calls and tools end on the abort; a reply stuck in a provider's send must not hold
    // the shutdown, so wait only a little for the turns to record how they ended.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.queue.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** The sandbox manager for the config in force (rebuilt when `agent.sandbox` changes). */
  sandboxManager(config: Config): SandboxManager {
    const key = JSON.stringify(config.agent.sandbox);
    if (this.sandboxes?.key !== key) {
      this.sandboxes = {
        key,
        manager: new SandboxManager({
          stateDir: this.options.stateDir,
          config: config.agent.sandbox,
          docker: this.options.docker,
          log: this.options.log.child('sandbox'),
          onWorkspaceFull: (event) => this.workspaceFull(event),
        }),
      };
    }
    return this.sandboxes.manager;
  }

  /**
   * A session's workspace just filled up: the owner is told once (the manager does not report
   * it again until the workspace has had room since), however many calls fail meanwhile.
   */
  private workspaceFull(event: WorkspaceFullEvent): void {
    this.options.log.warn('sandbox workspace full', {
      session: event.scopeKey,
      container: event.container,
      maxMiB: event.maxMiB,
    });
    this.options.notifyOwner(
      `The workspace of ${event.scopeKey} is full: it has reached its limit of ${event.maxMiB} MiB ` +
        '(agent.sandbox.workspace.maxMiB), so its writes fail with "workspace full" until files ' +
        'are deleted there or the limit is raised. The host disk and other sessions are not affected.',
    );
  }

  /** The config in force. */
  private config(): Config {
    return this.options.config.current().config;
  }

  private record(
    sessionKey: string,
    kind: 'inbound' | 'assistant' | 'error' | 'elevated' | 'access' | 'session' | 'approval',
    actor: string,
    text: string,
    data?: Record<string, unknown>,
  ): void {
    this.options.recorder.record({ sessionKey, at: this.now(), kind, actor, text, data });
  }

  /** Records a reply and queues it in one transaction, then sends it. */
  private async say(delivery: Delivery, text: string): Promise<void> {
    // A stopping gateway answers nothing more: the message waits for the next start.
    if (this.abort.signal.aborted) throw new TurnInterrupted();
    const queued = this.options.transaction(() => {
      this.record(delivery.sessionKey, 'assistant', this.config().assistant.name, text);
      return this.options.replies.queue(delivery, text);
    });
    await this.options.replies.deliver(queued);
  }

  /** Whether a resumed turn's message is already in the transcript (an earlier attempt put it). */
  private alreadyRecorded(delivery: Delivery): boolean {
    const inboxId = delivery.inbox?.id;
    if (inboxId === undefined || !delivery.inbox?.resumed) return false;
    return this.options.recorder.repo
      .events(delivery.sessionKey, {
        beforeId: Number.MAX_SAFE_INTEGER,
        limit: RESUME_LOOKBACK_EVENTS,
      })
      .some((e) => e.kind === 'inbound' && e.data?.['inboxId'] === inboxId);
  }

  private openSession(
    delivery: Pick<Delivery, 'envelope' | 'sessionKey' | 'trust'>,
    config: Config,
  ): SessionRecord {
    const repo = this.options.recorder.repo;
    const identity = sessionIdentity(delivery, config);
    const existing = repo.get(identity.key);
    const session = repo.upsert(identity, this.now());
    if (!existing) {
      this.record(
        identity.key,
        'access',
        'system',
        `Session opened: ${delivery.trust} trust; tools run in the ${identity.toolsRunIn === 'sandbox' ? 'sandbox' : 'host'}`,
        {
          trust: delivery.trust,
          toolsRunIn: identity.toolsRunIn,
        },
      );
    } else if (this.now() - existing.lastActivityAt > config.session.idleMinutes * 60_000) {
      repo.resetContext(identity.key);
      this.record(
        identity.key,
        'session',
        'system',
        `New conversation: idle for more than ${config.session.idleMinutes} minutes`,
      );
    }
    return session;
  }

  private async handle(delivery: Delivery): Promise<void> {
    if (this.abort.signal.aborted) throw new TurnInterrupted();
    const config = this.config();
    const session = this.openSession(delivery, config);
    let outcome: Awaited<ReturnType<typeof applyChatCommand>>;
    if (this.alreadyRecorded(delivery)) {
      // A turn cut short (a stop, a crash) continues from the transcript: its message is there
      // once, with whatever the model had done. A command in it was applied the first time; a
      // one-message `/elevated on` is not granted again (the session's setting applies).
      this.record(
        delivery.sessionKey,
        'session',
        'system',
        'Answering again: the gateway stopped while this message was being answered',
      );
      outcome = { elevated: session.elevated };
    } else {
      outcome = await applyChatCommand({
        delivery,
        config,
        session,
        repo: this.options.recorder.repo,
        log: this.options.log,
        record: (kind, actor, text, data) =>
          this.record(delivery.sessionKey, kind, actor, text, data),
        say: (text) => this.say(delivery, text),
      });
    }
    // A command let through without a mention is only ever a command: whatever is left of it
    // never becomes a model turn.
    if (outcome === 'handled' || delivery.commandOnly) return;
    const modelConfig = config.agent.model;
    if (!modelConfig) {
      await this.options.notConfigured(delivery);
      return;
    }
    await this.answer(delivery, config, modelConfig, session, outcome.elevated);
  }

  private async answer(
    delivery: Delivery,
    config: Config,
    modelConfig: ModelConfig,
    session: SessionRecord,
    elevatedWanted: boolean,
  ): Promise<void> {
    const { sessionKey, envelope } = delivery;
    const sandboxed = session.toolsRunIn === 'sandbox';
    const tools = config.agent.maxToolSteps > 0 ? offeredTools(config.agent, { sandboxed }) : [];
    // Elevated is checked again now: the config may have changed since it was switched on.
    const elevated = elevatedWanted && elevatedRefusal(config, envelope, delivery.trust) === null;
    const host = hostRunner({
      cwd: hostWorkspaceDir(this.options.stateDir),
      env: scrubbedEnv(this.options.env, secretEnvNames(modelConfig.apiKeyEnv)),
    });
    const runner: ToolRunner = sandboxed
      ? sandboxRunner(this.sandboxManager(config), sessionKey)
      : host;
    const repo = this.options.recorder.repo;
    const current = repo.get(sessionKey) ?? session;
    const events = repo
      .events(sessionKey, { beforeId: Number.MAX_SAFE_INTEGER, limit: HISTORY_EVENTS })
      .filter((event) => event.id >= current.contextFromId);
    // A turn that can reach the host sees only the words of people elevated is for (a group's
    // context holds everyone's), and the assistant's.
    const messages = historyFromEvents(
      elevated && runner.where !== 'host'
        ? elevatedTurnEvents(events, (id) => isElevatedSender(config, envelope.provider, id))
        : events,
    );
    // A conversation must open with a user message; drop anything the window cut in half.
    while (messages.length > 0 && messages[0]!.role !== 'user') messages.shift();

    // A message that came in during start-up waits (briefly) for the keychain's key.
    await this.options.modelKey?.settled();
    const stopTyping = this.options.typing?.(delivery);
    const signal = this.abort.signal;
    const recordStep = (step: AgentStep): void => {
      this.options.recorder.record(
        stepEvent(step, {
          sessionKey,
          at: this.now(),
          assistant: config.assistant.name,
          where: runner.where,
          engine: runner.engine,
          elevated: elevated && runner.where !== 'host',
        }),
      );
    };
    // The model's text is held until the next step: the last one is the answer, recorded in the
    // same transaction as the reply is queued, so a crash never leaves an answer in the
    // transcript that was never sent (a turn tried again would see it as said).
    let heldText: AgentStep | null = null;
    const recordHeld = (): void => {
      if (heldText) recordStep(heldText);
      heldText = null;
    };
    let budgetStop: BudgetStop | null = null;
    try {
      const outcome = await runAgentTurn({
        model: this.modelClient(modelConfig),
        system: buildSystemPrompt(config.agent, {
          assistantName: config.assistant.name,
          trust: delivery.trust,
          toolsRunIn: session.toolsRunIn,
          tools,
          readOnly: config.agent.readOnlyMode,
        }),
        messages,
        tools: toolSpecs(tools),
        maxToolSteps: config.agent.maxToolSteps,
        maxTokens: modelConfig.maxTokens,
        signal,
        mayCallModel: () => (budgetStop = this.limits.budgetStop(delivery)) === null,
        onUsage: (usage, estimated) => this.limits.recordUsage(delivery, { ...usage, estimated }),
        runTool: (call) =>
          runTool(call, {
            offered: tools,
            runner,
            elevated: elevated && runner.where !== 'host' ? host : null,
            timeoutSec: config.agent.tools.timeoutSec,
            maxOutputBytes: config.agent.tools.maxOutputBytes,
            signal,
            approve: (command, on) =>
              this.approve(delivery, command, on, elevated && delivery.trust !== 'owner'),
          }),
        onStep: (step) => {
          if (step.kind === 'tool-call' && elevated && step.call.name === 'bash') {
            this.options.log.warn('elevated command on the host', {
              session: sessionKey,
              sender: envelope.senderId,
              args: step.call.args,
            });
          }
          recordHeld();
          if (step.kind === 'assistant') heldText = step;
          else recordStep(step);
        },
      });
      // Cut short by a stop: nothing is said (the model call failed because of the stop; text it
      // had was never sent, so it is not recorded), and the message waits for the next start.
      if (signal.aborted) throw new TurnInterrupted();
      if (outcome.kind === 'over-budget') {
        recordHeld();
        // The limits say it once a day; every later message ends here in silence.
        if (budgetStop) await this.limits.stopped(delivery, budgetStop, outcome.modelCalls === 0);
        return;
      }
      const queued = this.options.transaction(() => {
        recordHeld();
        this.recordOutcome(sessionKey, outcome);
        return this.options.replies.queue(delivery, outcome.text);
      });
      await this.options.replies.deliver(queued);
    } finally {
      stopTyping?.();
    }
  }

  /**
   * Whether a command may run, as `agent.approvals` says: on the host (and in a sandbox with
   * `sandbox: ask`) it may wait for the owner, pausing this session's turn meanwhile.
   */
  private async approve(
    delivery: Delivery,
    command: string,
    on: Pick<ToolRunner, 'where' | 'engine'>,
    elevatedGuest: boolean,
  ): Promise<boolean> {
    const gate = this.options.approvals;
    if (!gate) return true;
    const { envelope } = delivery;
    const { where } = on;
    const answer = await gate.check({
      sessionKey: delivery.sessionKey,
      command,
      where,
      engine: on.engine ?? null,
      cwd: where === 'host' ? hostWorkspaceDir(this.options.stateDir) : SANDBOX_WORKDIR,
      senderId: envelope.senderId,
      senderName: envelope.senderName ?? null,
      provider: envelope.provider,
      message: envelope.text,
      elevatedGuest,
      signal: this.abort.signal,
    });
    return answer.run;
  }

  /** Records how a turn ended, beyond its answer. */
  private recordOutcome(
    sessionKey: string,
    outcome: Exclude<TurnOutcome, { kind: 'over-budget' }>,
  ): void {
    switch (outcome.kind) {
      case 'reply':
        break;
      case 'refusal':
        // The refusal's own words (if any) are already recorded as the assistant's text.
        this.record(sessionKey, 'error', 'model', 'The model refused to answer.', {
          kind: 'refusal',
        });
        break;
      case 'step-limit':
        this.record(sessionKey, 'error', 'system', outcome.text);
        break;
      case 'model-error':
        this.options.log.warn('model call failed', {
          session: sessionKey,
          kind: outcome.error.kind,
          error: outcome.error.message,
        });
        this.record(sessionKey, 'error', 'model', outcome.text, { kind: outcome.error.kind });
        break;
      case 'tools-unavailable':
        this.options.log.error('sandbox unavailable; tool refused', {
          session: sessionKey,
          error: outcome.error.message,
        });
        this.record(sessionKey, 'error', 'sandbox', outcome.text);
        this.options.notifyOwner(
          `A tool call in ${sessionKey} was refused because its sandbox is unavailable: ${outcome.error.message}. Nothing ran on the host.`,
        );
        break;
      default: {
        const unreachable: never = outcome;
        throw new Error(`unhandled turn outcome ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private modelClient(config: ModelConfig): ModelClient {
    // The environment wins; the keychain's key is the fallback the desktop app offers.
    const apiKey = this.options.env[config.apiKeyEnv ?? DEFAULT_API_KEY_ENV[config.provider]]
      ? undefined
      : this.options.modelKey?.current();
    // A new key (saved or cleared in the UI while running) means a new client.
    const key = JSON.stringify([config, apiKey ?? null]);
    if (this.model?.key !== key) {
      const client = this.options.modelFactory
        ? this.options.modelFactory(config)
        : createModelClient(config, { env: this.options.env, apiKey });
      this.model = { key, client };
    }
    return this.model.client;
  }
}
