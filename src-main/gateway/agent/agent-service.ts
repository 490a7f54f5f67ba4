import { join } from 'node:path';
import type Docker from 'dockerode';
import {
  DEFAULT_API_KEY_ENV,
  offeredTools,
  type ModelConfig,
} from '../../../src-shared/config/agent-schema.js';
import type { Config } from '../../../src-shared/config/schema.js';
import type { Logger } from '../../logging/logger.js';
import { SandboxManager } from '../../sandbox/sandbox-manager.js';
import type { SessionRecord } from '../../store/sessions-repo.js';
import type { Envelope } from '../../../src-shared/domain/envelope.js';
import { dmSessionKey, groupSessionKey } from '../../../src-shared/domain/session-key.js';
import type { DropReason } from '../access/verdict.js';
import type { Delivery } from '../gateway-core.js';
import type { SessionRecorder } from '../sessions/session-recorder.js';
import { SessionQueue } from '../sessions/session-queue.js';
import { sessionIdentity } from '../sessions/session-identity.js';
import type { UsageRepo } from '../../store/usage-repo.js';
import { InboundLimits, type BudgetStop } from '../limits/inbound-limits.js';
import { runAgentTurn } from './agent-loop.js';
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

/** What the agent service needs from the gateway. */
export interface AgentServiceOptions {
  stateDir: string;
  log: Logger;
  recorder: SessionRecorder;
  /** The config in force (the last good one). */
  config: () => Config;
  /** Sends text back to the chat a delivery came from. */
  reply: (delivery: Delivery, text: string) => Promise<unknown>;
  /** Shows "typing…" in the delivery's chat until the returned function runs. */
  typing?: (delivery: Delivery) => (() => void) | undefined;
  /** Tells the owner something went wrong that they must act on (console and log). */
  notifyOwner: (text: string) => void;
  /** No model configured: the providers issue's short reply. */
  notConfigured: (delivery: Delivery) => Promise<void>;
  /** The gateway's environment (model keys are read from it; tools never see them). */
  env: NodeJS.ProcessEnv;
  /** A model key from the OS keychain (desktop app), used when the env has none. */
  apiKey?: string;
  /** The Docker engine sandboxes run on; default: `DOCKER_HOST` or the local socket. */
  docker?: Docker;
  /** For tests: build the model client. */
  modelFactory?: (config: ModelConfig) => ModelClient;
  now?: () => number;
  /** Where daily model use is counted (the budgets' ledger). */
  usage: UsageRepo;
  /** The clock message rates and daily budgets run on; default `now`. */
  limitsClock?: () => number;
}

/**
 * The session step: gives each delivered message to the agent with the tools its session may
 * use, in the place its session's scope allows (the session's sandbox, or the host for the
 * owner), and records everything in the transcript.
 */
export class AgentService {
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
      limits: () => options.config().limits,
      now: options.limitsClock ?? this.now,
      reply: options.reply,
      recordAccess: (delivery, text, data) => {
        if (this.options.recorder.repo.get(delivery.sessionKey))
          this.record(delivery.sessionKey, 'access', 'system', text, data);
      },
      notifyOwner: options.notifyOwner,
      log: options.log,
    });
  }

  /**
   * The session sink: takes a message into its session's queue, within the limits, and resolves
   * once it is taken (or turned away), not once it is answered. So the queue of a chat that
   * floods the bot is this one, where its bound holds, and rates count arrivals, not answers.
   * Each session answers one message at a time; {@link idle} waits for the answers.
   */
  deliver(delivery: Delivery): Promise<void> {
    if (!this.limits.admit(delivery, this.queue.waiting(delivery.sessionKey))) {
      return Promise.resolve();
    }
    void this.queue.run(delivery.sessionKey, () =>
      this.handle(delivery).catch((error: unknown) => {
        this.options.log.error('answering a message failed', {
          session: delivery.sessionKey,
          error: error instanceof Error ? error.message : String(error),
        });
        this.record(delivery.sessionKey, 'error', 'system', 'Answering this message failed.');
      }),
    );
    return Promise.resolve();
  }

  /** Resolves when every message taken so far has been answered. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Records, in a session that exists, that a message meant for it was blocked (a friend removed
   * from the allowlist, a group member not allowed): access decisions affecting a session belong
   * in its transcript. The blocked text itself is never stored.
   */
  recordBlocked(envelope: Envelope, reason: DropReason): void {
    if (!BLOCKS_WORTH_RECORDING.has(reason) || envelope.provider === 'console') return;
    const key =
      envelope.chatKind === 'group'
        ? groupSessionKey(envelope.provider, envelope.chatId, envelope.threadId)
        : dmSessionKey(envelope.provider, envelope.senderId);
    if (!this.options.recorder.repo.get(key)) return;
    this.record(
      key,
      'access',
      'system',
      `Blocked a message from ${envelope.senderName ?? envelope.senderId}: ${reason}`,
      {
        reason,
        senderId: envelope.senderId,
      },
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
        }),
      };
    }
    return this.sandboxes.manager;
  }

  private record(
    sessionKey: string,
    kind: 'inbound' | 'assistant' | 'error' | 'elevated' | 'access' | 'session',
    actor: string,
    text: string,
    data?: Record<string, unknown>,
  ): void {
    this.options.recorder.record({ sessionKey, at: this.now(), kind, actor, text, data });
  }

  private async say(delivery: Delivery, text: string): Promise<void> {
    this.record(delivery.sessionKey, 'assistant', this.options.config().assistant.name, text);
    await this.options.reply(delivery, text);
  }

  private openSession(delivery: Delivery, config: Config): SessionRecord {
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
    const config = this.options.config();
    const session = this.openSession(delivery, config);
    const outcome = await applyChatCommand({
      delivery,
      config,
      session,
      repo: this.options.recorder.repo,
      log: this.options.log,
      record: (kind, actor, text, data) =>
        this.record(delivery.sessionKey, kind, actor, text, data),
      say: (text) => this.say(delivery, text),
    });
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
      cwd: join(this.options.stateDir, 'workspace'),
      env: scrubbedEnv(this.options.env, this.secretEnvNames(modelConfig)),
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

    const stopTyping = this.options.typing?.(delivery);
    const signal = this.abort.signal;
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
          }),
        onStep: (step) => {
          if (step.kind === 'tool-call' && elevated && step.call.name === 'bash') {
            this.options.log.warn('elevated command on the host', {
              session: sessionKey,
              sender: envelope.senderId,
              args: step.call.args,
            });
          }
          this.options.recorder.record(
            stepEvent(step, {
              sessionKey,
              at: this.now(),
              assistant: config.assistant.name,
              where: runner.where,
              elevated: elevated && runner.where !== 'host',
            }),
          );
        },
      });
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
        case 'over-budget':
          // The limits say it once a day; every later message ends here in silence.
          if (budgetStop) await this.limits.stopped(delivery, budgetStop, outcome.modelCalls === 0);
          return;
      }
      await this.options.reply(delivery, outcome.text);
    } finally {
      stopTyping?.();
    }
    if (sandboxed) {
      void this.sandboxManager(config)
        .pruneIfDue()
        .catch(() => undefined);
    }
  }

  private modelClient(config: ModelConfig): ModelClient {
    const key = JSON.stringify(config);
    if (this.model?.key !== key) {
      const client = this.options.modelFactory
        ? this.options.modelFactory(config)
        : createModelClient(config, {
            env: this.options.env,
            // The environment wins; the keychain's key is the fallback the desktop app offers.
            apiKey: this.options.env[config.apiKeyEnv ?? DEFAULT_API_KEY_ENV[config.provider]]
              ? undefined
              : this.options.apiKey,
          });
      this.model = { key, client };
    }
    return this.model.client;
  }

  private secretEnvNames(model: ModelConfig): string[] {
    return [
      ...Object.values(DEFAULT_API_KEY_ENV),
      ...(model.apiKeyEnv ? [model.apiKeyEnv] : []),
      'TELEGRAM_BOT_TOKEN',
    ];
  }
}
