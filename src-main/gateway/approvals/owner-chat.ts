import type { Config } from '../../../src-shared/config/schema.js';
import type { PairingRequest } from '../../../src-shared/domain/access.js';
import {
  ApprovalChoiceSchema,
  type ApprovalRequest,
  whereInWords,
} from '../../../src-shared/domain/approvals.js';
import {
  MESSAGING_PROVIDERS,
  MessagingProviderSchema,
  normalizeId,
  type MessagingProvider,
} from '../../../src-shared/domain/providers.js';
import { revealedText } from '../../../src-shared/approvals/reveal-command.js';
import { riskNotes } from '../../../src-shared/approvals/risk-notes.js';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import { decideApproval } from '../../approvals/decide-approval.js';
import type { PairingService } from '../../access/pairing-service.js';
import type { Logger } from '../../logging/logger.js';
import type { ApprovalsRepo } from '../../store/approvals-repo.js';
import type { Delivery } from '../inbound/delivery.js';
import type { OutboundMessage } from '../outbound/outbound-router.js';
import type { ButtonPress, ProviderRuntime } from '../providers/provider-runtime.js';
import type { ApprovalAnnouncer } from './approval-gate.js';
import { approvalRunsOn } from '../../../src-shared/format/approval-runs-on.js';

/** What the owner's chat needs from the gateway. */
export interface OwnerChatOptions {
  config: () => Config;
  configPath: string;
  runtime: (provider: MessagingProvider) => ProviderRuntime | undefined;
  /** Durable sends (the outbox): text prompts and replies. */
  send: (message: OutboundMessage) => Promise<void>;
  repo: ApprovalsRepo;
  pairing: PairingService;
  log: Logger;
  now: () => number;
  /**
   * A decision was written here, by this process's own connection (which the database watch
   * does not see): wake the waiting turn and send what it queued (a pairing approval's notice).
   */
  decided: () => void;
}

/** Why someone other than the owner gets nowhere. */
export const OWNER_ONLY_TEXT = 'Only the owner can decide this.';

const APPROVE = /^\/approve(?:@\S+)?\s+([a-z0-9]{4,12})\s+(once|always|deny)\s*$/i;
const PAIR =
  /^\/pair(?:@\S+)?\s+(approve|reject)\s+(?:(telegram|whatsapp)\s+)?([A-Za-z0-9-]{4,16})\s*$/i;

/** The chat the owner's DM (Telegram) or self-chat (WhatsApp) is, per owner id. */
function ownerChats(config: Config): Array<{ provider: MessagingProvider; chatId: string }> {
  return MESSAGING_PROVIDERS.flatMap((provider) =>
    config.owner[provider]
      .map((id) => normalizeId(provider, id))
      .filter((id) => id !== '*')
      .map((id) => ({
        provider,
        chatId: provider === 'whatsapp' ? `${id.replace(/^\+/, '')}@s.whatsapp.net` : id,
      })),
  );
}

/** The request as the owner's chat shows it: the exact command with hidden characters marked. */
export function approvalPromptText(request: ApprovalRequest): string {
  const notes = riskNotes(request.command, request.where);
  return [
    `Approval needed (${request.id}): a command wants to run ${whereInWords(request.where)}${request.elevated ? ' (elevated turn of someone else)' : ''}.`,
    `$ ${revealedText(request.command)}`,
    // Which engine and runtime, for a sandbox: the owner may run more than one.
    ...(request.where === 'sandbox' ? [`Runs on: ${approvalRunsOn(request)}`] : []),
    `Session: ${request.sessionKey} · asked by ${request.senderName ?? request.senderId} · cwd ${request.cwd}`,
    ...(request.message ? [`Their message: ${request.message}`] : []),
    ...(notes.length > 0 ? [`Risk: ${notes.join('; ')}.`] : []),
    `Reply /approve ${request.id} once|always|deny (denied in ${Math.round((request.expiresAt - request.requestedAt) / 1000)} s without an answer).`,
  ].join('\n');
}

/** What a decided request's buttons are replaced with. */
export function decidedText(request: ApprovalRequest): string {
  const outcome = request.outcome ?? request.state;
  return `${request.id}: ${request.state === 'allowed' ? 'allowed' : 'denied'} (${outcome}) by ${request.decidedBy ?? 'nobody'} via ${request.decidedVia ?? 'system'}.`;
}

/**
 * The owner's own chat as an approvals surface: a new request (or pairing request) is sent to
 * the owner's Telegram DM with inline buttons and to their WhatsApp self-chat as text; a button
 * press or `/approve ID once|always|deny` / `/pair approve CODE` decides it, from the owner's
 * identity only (anyone else is refused and logged); the buttons go once it is decided anywhere.
 */
export class OwnerChat implements ApprovalAnnouncer {
  constructor(private readonly options: OwnerChatOptions) {}

  requested(request: ApprovalRequest): void {
    const text = approvalPromptText(request);
    this.prompt(
      text,
      [
        [
          { label: 'Allow once', data: `ap:${request.id}:once` },
          { label: 'Always', data: `ap:${request.id}:always` },
          { label: 'Deny', data: `ap:${request.id}:deny` },
        ],
      ],
      (provider, chatId, messageId) =>
        this.options.repo.addPrompt(request.id, { provider, chatId, messageId }),
    );
  }

  decided(request: ApprovalRequest): void {
    // Chats that got the request as text (WhatsApp's self-chat) are told how it ended, unless
    // the answer came from there (its reply already said so).
    for (const chat of ownerChats(this.options.config())) {
      if (this.options.runtime(chat.provider)?.clearButtons) continue;
      if (request.decidedVia === chat.provider) continue;
      this.options
        .send({ provider: chat.provider, chatId: chat.chatId, text: decidedText(request) })
        .catch((error: unknown) =>
          this.options.log.warn('could not tell the owner', { error: describeError(error) }),
        );
    }
    for (const prompt of this.options.repo.prompts(request.id)) {
      const runtime = this.options.runtime(prompt.provider as MessagingProvider);
      runtime
        ?.clearButtons?.(prompt.chatId, prompt.messageId, decidedText(request))
        .catch((error: unknown) =>
          this.options.log.warn('could not remove the approval buttons', {
            id: request.id,
            error: describeError(error),
          }),
        );
    }
  }

  /** A stranger asked to pair: the owner hears of it with Approve / Reject. */
  pairingRequested(request: PairingRequest): void {
    const who = request.displayName
      ? `${request.displayName} (${request.senderId})`
      : request.senderId;
    // `/pair approve CODE` typed in a chat means that chat's provider: a request of another
    // provider names it, so the reply decides the right one.
    const target = (chat: MessagingProvider): string =>
      chat === request.provider ? request.code : `${request.provider} ${request.code}`;
    this.prompt(
      (chat) =>
        `Pairing request on ${request.provider} from ${who}, code ${request.code}.\nReply /pair approve ${target(chat)} or /pair reject ${target(chat)}.`,
      [
        [
          { label: 'Approve', data: `pr:${request.provider}:${request.code}:approve` },
          { label: 'Reject', data: `pr:${request.provider}:${request.code}:reject` },
        ],
      ],
      () => undefined,
    );
  }

  /** A button press: decided only when the presser is the owner on that provider. */
  buttonPress(press: ButtonPress): Promise<string> {
    if (!this.isOwner(press.provider, press.fromId)) {
      this.options.log.warn('refused an approval button from someone other than the owner', {
        provider: press.provider,
        from: press.fromId,
        data: press.data,
      });
      return Promise.resolve(OWNER_ONLY_TEXT);
    }
    const [kind, a, b, c] = press.data.split(':');
    if (kind === 'ap' && a && b)
      return Promise.resolve(this.approve(a, b, press.provider, press.fromId));
    if (kind === 'pr' && a && b && c)
      return Promise.resolve(this.pair(c, a, b, press.provider, press.fromId));
    return Promise.resolve('This button does nothing.');
  }

  /**
   * `/approve …` and `/pair …` typed in a chat: the reply to send, or null when the text is
   * neither. Only the owner's trust decides; anyone else is refused and logged.
   */
  command(delivery: Delivery): string | null {
    const text = delivery.envelope.text.trim();
    const approve = APPROVE.exec(text);
    const pair = approve ? null : PAIR.exec(text);
    if (!approve && !pair) return null;
    const { provider, senderId } = delivery.envelope;
    if (delivery.trust !== 'owner') {
      this.options.log.warn('refused an approval command from someone other than the owner', {
        provider,
        from: senderId,
        session: delivery.sessionKey,
        text,
      });
      return OWNER_ONLY_TEXT;
    }
    const via = provider === 'console' ? 'desktop' : provider;
    if (approve) return this.approve(approve[1]!, approve[2]!.toLowerCase(), via, senderId);
    const target = pair![2]?.toLowerCase() ?? (provider === 'console' ? 'telegram' : provider);
    return this.pair(pair![1]!.toLowerCase(), target, pair![3]!, via, senderId);
  }

  private approve(
    id: string,
    choiceText: string,
    via: 'telegram' | 'whatsapp' | 'desktop',
    by: string,
  ): string {
    const choice = ApprovalChoiceSchema.safeParse(choiceText);
    if (!choice.success) return `Answer once, always or deny, not ${JSON.stringify(choiceText)}.`;
    const result = decideApproval(id, choice.data, {
      repo: this.options.repo,
      configPath: this.options.configPath,
      by: `${via}:${by}`,
      via,
      now: this.options.now(),
    });
    if (!result.ok) return result.error;
    this.options.decided();
    return result.allowlistError
      ? `${decidedText(result.request)} Not remembered: ${result.allowlistError}`
      : decidedText(result.request);
  }

  private pair(
    action: string,
    providerText: string,
    code: string,
    via: string,
    by: string,
  ): string {
    const provider = MessagingProviderSchema.safeParse(providerText);
    if (!provider.success) return `Unknown provider ${JSON.stringify(providerText)}.`;
    try {
      if (action === 'approve') {
        const done = this.options.pairing.approve(provider.data, code, {
          notify: true,
          actor: 'gateway',
        });
        this.options.decided();
        this.options.log.info('pairing approved from the owner chat', {
          via,
          by,
          code: done.request.code,
        });
        return `Approved ${done.request.displayName ?? done.request.senderId} on ${provider.data}; they were told.`;
      }
      const rejected = this.options.pairing.reject(provider.data, code, { actor: 'gateway' });
      this.options.log.info('pairing rejected from the owner chat', {
        via,
        by,
        code: rejected.code,
      });
      return `Rejected ${rejected.displayName ?? rejected.senderId} on ${provider.data}.`;
    } catch (error) {
      return describeError(error);
    }
  }

  private isOwner(provider: MessagingProvider, id: string): boolean {
    const owners = this.options.config().owner[provider].map((o) => normalizeId(provider, o));
    return owners.includes(normalizeId(provider, id)) && !owners.includes('*');
  }

  private prompt(
    textFor: string | ((provider: MessagingProvider) => string),
    rows: ReadonlyArray<ReadonlyArray<{ label: string; data: string }>>,
    sent: (provider: MessagingProvider, chatId: string, messageId: string) => void,
  ): void {
    for (const chat of ownerChats(this.options.config())) {
      const text = typeof textFor === 'string' ? textFor : textFor(chat.provider);
      const runtime = this.options.runtime(chat.provider);
      const withButtons = runtime?.sendButtons?.(chat.chatId, text, rows);
      const fallback = (): void =>
        void this.options
          .send({ provider: chat.provider, chatId: chat.chatId, text })
          .catch((error: unknown) =>
            this.options.log.warn('could not tell the owner', { error: describeError(error) }),
          );
      if (!withButtons) {
        fallback();
        continue;
      }
      withButtons
        .then((messageId) => sent(chat.provider, chat.chatId, messageId))
        .catch((error: unknown) => {
          this.options.log.warn('could not send buttons to the owner; sending text', {
            provider: chat.provider,
            error: describeError(error),
          });
          fallback();
        });
    }
  }
}
