import { offeredTools, type ModelConfig } from '../../../src-shared/config/agent-schema.js';
import type { Config } from '../../../src-shared/config/schema.js';
import type { SandboxManager } from '../../sandbox/sandbox-manager.js';
import type { SessionRecord } from '../../store/sessions-repo.js';
import type { BlockedMessage, Delivery, MissedDelivery, SessionStep } from '../inbound/delivery.js';
import { SessionQueue } from '../sessions/session-queue.js';
import { InboundLimits, type BudgetStop } from '../limits/inbound-limits.js';
import { runAgentTurn } from './agent-loop.js';
import { applyChatCommand } from './session-commands.js';
import { elevatedRefusal, isElevatedSender } from './elevated-policy.js';
import { buildSystemPrompt } from './system-prompt.js';
import { runTool } from './tools/run-tool.js';
import { hostRunner, scrubbedEnv } from './tools/host-runner.js';
import { sandboxRunner } from './tools/sandbox-runner.js';
import { toolSpecs } from './tools/tool-definitions.js';
import type { ToolRunner } from './tools/tool-runner.js';
import { stepEvent } from './turn-events.js';
import { TurnInterrupted } from './turn-interrupted.js';
import { secretEnvNames } from '../../secret-registry.js';
import { hostWorkspaceDir } from '../../state-layout.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import type { AgentServiceOptions } from './agent-service-options.js';
import { approveCommand } from './command-approval.js';
import { HeldSteps } from './held-steps.js';
import { ModelClients } from './model-clients.js';
import { SandboxManagers } from './sandbox-managers.js';
import {
  openSession,
  recordBlocked,
  type RecordKind,
  type SessionRecords,
} from './session-records.js';
import { idleOrGraceOver, STOP_GRACE_MS } from './stop-grace.js';
import { alreadyRecorded, turnMessages } from './turn-history.js';
import { recordOutcome } from './turn-outcome-records.js';

/**
 * The session step: gives each delivered message to the agent with the tools its session may
 * use, in the place its session's scope allows (the session's sandbox, or the host for the
 * owner), and records everything in the transcript.
 */
export class AgentService implements SessionStep {
  private readonly queue = new SessionQueue();
  private readonly abort = new AbortController();
  private readonly models: ModelClients;
  private readonly sandboxes: SandboxManagers;
  private readonly now: () => number;
  private readonly limits: InboundLimits;
  private readonly records: SessionRecords;

  constructor(private readonly options: AgentServiceOptions) {
    this.now = options.now ?? Date.now;
    this.models = new ModelClients(options);
    this.sandboxes = new SandboxManagers(options);
    this.records = {
      repo: options.recorder.repo,
      now: this.now,
      record: (...event) => this.record(...event),
    };
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
        openSession(this.records, delivery, this.config());
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
    recordBlocked(this.records, blocked);
  }

  /**
   * Records a message that waited while the gateway was down for longer than
   * `session.catchUpMinutes`: in its session's transcript, marked missed, never answered (and
   * never shown to the model).
   */
  recordMissed(missed: MissedDelivery): void {
    const { envelope } = missed;
    openSession(this.records, missed, this.config());
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
    await idleOrGraceOver(this.queue.idle(), graceMs);
  }

  /** The sandbox manager for the config in force (rebuilt when `agent.sandbox` changes). */
  sandboxManager(config: Config): SandboxManager {
    return this.sandboxes.manager(config);
  }

  /** The config in force. */
  private config(): Config {
    return this.options.config.current().config;
  }

  private record(
    sessionKey: string,
    kind: RecordKind,
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

  private async handle(delivery: Delivery): Promise<void> {
    if (this.abort.signal.aborted) throw new TurnInterrupted();
    const config = this.config();
    const session = openSession(this.records, delivery, config);
    let outcome: Awaited<ReturnType<typeof applyChatCommand>>;
    if (alreadyRecorded(this.options.recorder.repo, delivery)) {
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
    const messages = turnMessages(
      this.options.recorder.repo,
      sessionKey,
      session,
      elevated && runner.where !== 'host'
        ? (id) => isElevatedSender(config, envelope.provider, id)
        : null,
    );

    // A message that came in during start-up waits (briefly) for the keychain's key.
    await this.options.modelKey?.settled();
    const stopTyping = this.options.typing?.(delivery);
    const signal = this.abort.signal;
    // The model's text is held until the next step (see HeldSteps): the last one is the answer.
    const steps = new HeldSteps((step) => {
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
    });
    let budgetStop: BudgetStop | null = null;
    try {
      const outcome = await runAgentTurn({
        model: this.models.client(modelConfig),
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
              approveCommand(this.options.approvals, {
                delivery,
                command,
                on,
                elevatedGuest: elevated && delivery.trust !== 'owner',
                stateDir: this.options.stateDir,
                signal: this.abort.signal,
              }),
          }),
        onStep: (step) => {
          if (step.kind === 'tool-call' && elevated && step.call.name === 'bash') {
            this.options.log.warn('elevated command on the host', {
              session: sessionKey,
              sender: envelope.senderId,
              args: step.call.args,
            });
          }
          steps.step(step);
        },
      });
      // Cut short by a stop: nothing is said (the model call failed because of the stop; text it
      // had was never sent, so it is not recorded), and the message waits for the next start.
      if (signal.aborted) throw new TurnInterrupted();
      if (outcome.kind === 'over-budget') {
        steps.recordHeld();
        // The limits say it once a day; every later message ends here in silence.
        if (budgetStop) await this.limits.stopped(delivery, budgetStop, outcome.modelCalls === 0);
        return;
      }
      const queued = this.options.transaction(() => {
        steps.recordHeld();
        recordOutcome(sessionKey, outcome, {
          record: this.records.record,
          log: this.options.log,
          notifyOwner: this.options.notifyOwner,
        });
        return this.options.replies.queue(delivery, outcome.text);
      });
      await this.options.replies.deliver(queued);
    } finally {
      stopTyping?.();
    }
  }
}
