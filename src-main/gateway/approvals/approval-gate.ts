import { randomInt } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { ApprovalsConfig, CommandWhere } from '../../../src-shared/config/approvals-schema.js';
import { allowlistMatch } from '../../../src-shared/approvals/command-match.js';
import {
  APPROVAL_ID_ALPHABET,
  type ApprovalOutcome,
  type ApprovalRequest,
} from '../../../src-shared/domain/approvals.js';
import { stripAnsi } from '../../../src-shared/approvals/reveal-command.js';
import {
  engineFields,
  type SandboxEngineRef,
} from '../../../src-shared/domain/sandbox-engine-ref.js';
import type { Logger } from '../../logging/logger.js';
import type { ApprovalsRepo } from '../../store/approvals-repo.js';
import { databaseChanges } from '../../store/database-changes.js';

/** One command that would run, and who it is for. */
export interface ApprovalAsk {
  sessionKey: string;
  command: string;
  where: CommandWhere;
  /**
   * For a sandboxed command: the engine and runtime it would run on, recorded with the request
   * (null on the host, or when the runner does not know its engine).
   */
  engine: SandboxEngineRef | null;
  cwd: string;
  /** The sender of the message the turn answers, and that message. */
  senderId: string;
  senderName: string | null;
  provider: string;
  message: string;
  /** An elevated turn of someone other than the owner: always asks. */
  elevatedGuest: boolean;
  signal: AbortSignal;
}

/** Whether the command may run, and why. */
export type ApprovalAnswer =
  | { run: true; because: 'off' | 'allowlist' | 'owner'; request: ApprovalRequest | null }
  | { run: false; because: ApprovalOutcome | 'not-allowlisted'; request: ApprovalRequest | null };

/** Where the gate tells of requests: the owner's chats (and, through SQLite, every other surface). */
export interface ApprovalAnnouncer {
  /** A request is waiting: show it to the owner wherever they chat with the bot. */
  requested(request: ApprovalRequest): void;
  /** It was decided (anywhere): remove its buttons. */
  decided(request: ApprovalRequest): void;
}

/** What the gate needs. */
export interface ApprovalGateOptions {
  db: Database;
  repo: ApprovalsRepo;
  policy: () => ApprovalsConfig;
  log: Logger;
  /** Records a transcript event in the request's session. */
  record: (sessionKey: string, text: string, data: Record<string, unknown>) => void;
  announcer: ApprovalAnnouncer;
  now: () => number;
  /** How often the wait looks for a decision another process (the CLI, the supervisor) wrote. */
  watchIntervalMs?: number;
}

const TRIM_MESSAGE = 300;

/** A fresh, short, typable request id. */
function newId(): string {
  let id = '';
  for (let i = 0; i < 6; i++) id += APPROVAL_ID_ALPHABET[randomInt(APPROVAL_ID_ALPHABET.length)];
  return id;
}

/**
 * The gate every command that runs on the host (and, with `sandbox: ask`, in a sandbox) goes
 * through. It applies `agent.approvals`, and when the owner must decide it stores the request
 * in SQLite (where the CLI, the supervisor's surfaces and the owner's chat see it), pauses the
 * turn until the first decision, a timeout, the kill switch or a stop, and records all of it.
 * The decision is checked against the very text, session, place and directory that will run.
 */
export class ApprovalGate {
  private readonly waiters = new Map<string, () => void>();

  constructor(private readonly options: ApprovalGateOptions) {}

  /** Denies what an earlier run left waiting (it died or was killed while a command waited). */
  denyLeftovers(): void {
    const stale = this.options.repo.denyAllPending({
      outcome: 'stopped',
      by: 'gateway restart',
      via: 'system',
      at: this.options.now(),
    });
    for (const request of stale) this.options.announcer.decided(request);
  }

  /** Wakes the waits: a decision may have been written (by this process or another). */
  poke(): void {
    for (const wake of this.waiters.values()) wake();
  }

  /** Decides whether this command may run, asking the owner when the policy says so. */
  async check(ask: ApprovalAsk): Promise<ApprovalAnswer> {
    const policy = this.options.policy();
    const mode = ask.where === 'host' ? policy.host : policy.sandbox === 'ask' ? 'ask' : 'off';
    const listed = allowlistMatch(policy.allowlist, ask.command, ask.where);
    if (!ask.elevatedGuest) {
      if (mode === 'off') return { run: true, because: 'off', request: null };
      if (listed) return { run: true, because: 'allowlist', request: null };
    }
    if (mode === 'allowlist' || (ask.elevatedGuest && policy.host === 'allowlist' && !listed)) {
      this.options.log.warn('command denied: not on the approvals allowlist', {
        session: ask.sessionKey,
        where: ask.where,
        command: ask.command,
      });
      this.options.record(
        ask.sessionKey,
        `Denied without asking (not on the approvals allowlist): ${ask.command}`,
        { outcome: 'not-allowlisted', command: ask.command, where: ask.where, cwd: ask.cwd },
      );
      return { run: false, because: 'not-allowlisted', request: null };
    }
    return this.ask(ask, policy.timeoutSec);
  }

  private async ask(ask: ApprovalAsk, timeoutSec: number): Promise<ApprovalAnswer> {
    const { repo, log, now } = this.options;
    const requestedAt = now();
    const id = newId();
    repo.insert({
      id,
      sessionKey: ask.sessionKey,
      command: ask.command,
      where: ask.where,
      engine: ask.where === 'sandbox' ? ask.engine : null,
      cwd: ask.cwd,
      senderId: ask.senderId,
      senderName: ask.senderName,
      provider: ask.provider,
      message: stripAnsi(ask.message).slice(0, TRIM_MESSAGE),
      elevated: ask.elevatedGuest,
      requestedAt,
      expiresAt: requestedAt + timeoutSec * 1000,
    });
    const request = repo.get(id)!;
    log.info('approval requested', {
      id,
      session: ask.sessionKey,
      where: ask.where,
      ...engineFields(request.engine),
      cwd: ask.cwd,
      command: ask.command,
    });
    this.options.record(
      ask.sessionKey,
      `Waiting for the owner's approval (${id}): ${ask.command}`,
      {
        approvalId: id,
        phase: 'requested',
        command: ask.command,
        where: ask.where,
        // As tool calls record it: which engine (and runtime) a sandboxed command was asked for.
        ...engineFields(request.engine),
        cwd: ask.cwd,
      },
    );
    this.options.announcer.requested(request);
    const decided = await this.wait(id, ask.signal, timeoutSec);
    return this.conclude(ask, decided);
  }

  /** Resolves with the request once it is decided (by anyone), timed out or cut by a stop. */
  private wait(id: string, signal: AbortSignal, timeoutSec: number): Promise<ApprovalRequest> {
    const { repo, db } = this.options;
    return new Promise<ApprovalRequest>((resolve) => {
      const subscription = new AbortController();
      // Declared before `finish`, which clears it; set once the listeners are in place.
      const timers: { timeout?: NodeJS.Timeout } = {};
      const finish = (request: ApprovalRequest): void => {
        clearTimeout(timers.timeout);
        subscription.abort();
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(id);
        resolve(request);
      };
      const look = (): void => {
        const request = repo.get(id);
        if (request && request.state !== 'pending') finish(request);
      };
      const endWith = (outcome: ApprovalOutcome, by: string): void => {
        const result = repo.decide(id, { outcome, by, via: 'system', at: this.options.now() });
        if (result.kind !== 'unknown') finish(result.request);
      };
      const onAbort = (): void => endWith('stopped', 'gateway stopping');
      this.waiters.set(id, look);
      databaseChanges(db).on('any', look, {
        signal: subscription.signal,
        intervalMs: this.options.watchIntervalMs ?? 100,
      });
      timers.timeout = setTimeout(() => endWith('timeout', 'timeout'), timeoutSec * 1000);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      look();
    });
  }

  /**
   * The decision applies only to what was asked: the stored text, session, place and directory
   * must be exactly those about to run, or the command is refused.
   */
  private conclude(ask: ApprovalAsk, request: ApprovalRequest): ApprovalAnswer {
    const { log } = this.options;
    this.options.announcer.decided(request);
    const waitedMs = (request.decidedAt ?? this.options.now()) - request.requestedAt;
    const bound =
      request.command === ask.command &&
      request.sessionKey === ask.sessionKey &&
      request.where === ask.where &&
      request.cwd === ask.cwd;
    const allowed = request.state === 'allowed' && bound;
    const outcome = request.outcome ?? 'deny';
    const fields = {
      id: request.id,
      session: ask.sessionKey,
      outcome,
      decidedBy: request.decidedBy,
      decidedVia: request.decidedVia,
      waitedMs,
    };
    if (request.state === 'allowed' && !bound) {
      log.error('approval refused: the stored request no longer matches the command', fields);
    } else if (allowed) log.info('approval granted', fields);
    else log.warn('approval denied', fields);
    const who = `${request.decidedBy ?? 'nobody'} via ${request.decidedVia ?? 'system'}`;
    const text = allowed
      ? `Approved (${request.id}, ${outcome === 'always' ? 'always' : 'once'}) by ${who} after ${Math.round(waitedMs / 1000)} s: ${ask.command}`
      : !bound && request.state === 'allowed'
        ? `Refused (${request.id}): the approved request does not match the command about to run`
        : `Denied (${request.id}, ${outcome}) by ${who} after ${Math.round(waitedMs / 1000)} s: ${ask.command}`;
    this.options.record(ask.sessionKey, text, {
      approvalId: request.id,
      phase: 'decided',
      outcome,
      allowed,
      decidedBy: request.decidedBy,
      decidedVia: request.decidedVia,
      waitedMs,
    });
    return allowed
      ? { run: true, because: 'owner', request }
      : {
          run: false,
          because: outcome === 'once' || outcome === 'always' ? 'deny' : outcome,
          request,
        };
  }
}
