import type { Config } from '../../../src-shared/config/schema.js';
import type { Logger } from '../../logging/logger.js';
import type { SessionRecord, SessionsRepo } from '../../store/sessions-repo.js';
import type { Delivery } from '../inbound/delivery.js';
import type { RecordKind } from './session-records.js';
import { parseChatCommand } from '../../../src-shared/domain/chat-command.js';
import {
  ELEVATED_GROUP_OFF_TEXT,
  elevatedChatRefusal,
  elevatedRefusal,
} from './elevated-policy.js';

/** What a chat command may touch. */
export interface ChatCommandContext {
  delivery: Delivery;
  config: Config;
  session: SessionRecord;
  repo: SessionsRepo;
  log: Logger;
  record: (kind: RecordKind, actor: string, text: string, data?: Record<string, unknown>) => void;
  /** Replies to the sender (and records the reply). */
  say: (text: string) => Promise<void>;
}

/**
 * Records the inbound message and applies a leading `/new` or `/elevated on|off`. Resolves
 * `handled` when nothing is left for the model (a bare command, a refusal), else whether
 * elevated applies to the model turn that follows. A session still elevated where elevated is
 * now refused whoever asks (a group, switched on before groups refused it) is switched off, and
 * the sender is told why before the model answers.
 */
export async function applyChatCommand(
  ctx: ChatCommandContext,
): Promise<'handled' | { elevated: boolean }> {
  const { delivery } = ctx;
  const { envelope, sessionKey } = delivery;
  const command = parseChatCommand(envelope.text);
  const sender = envelope.senderName ?? envelope.senderId;
  const staleElevation =
    ctx.session.elevated && elevatedChatRefusal(ctx.config, envelope.chatKind) !== null;
  // The transcript keeps what was sent; the model gets the text after an inline command.
  const inbound = (modelText?: string): void => {
    ctx.record('inbound', sender, envelope.text, {
      senderId: envelope.senderId,
      untrusted: delivery.trust !== 'owner',
      ...(modelText === undefined ? {} : { modelText }),
      // Lets a turn tried again after a stop or crash find its message already recorded.
      ...(delivery.inbox ? { inboxId: delivery.inbox.id } : {}),
    });
    if (staleElevation) switchOffStale(ctx);
  };
  let elevatedNow = ctx.session.elevated && !staleElevation;

  if (command.kind === 'new') {
    if (!command.rest) inbound();
    ctx.repo.resetContext(sessionKey);
    ctx.record('session', 'system', 'New conversation (/new)');
    if (!command.rest) {
      await ctx.say('Started a new conversation.');
      return 'handled';
    }
    inbound(command.rest);
  } else if (command.kind === 'elevated') {
    inbound(command.rest || undefined);
    const refusal = command.on ? elevatedRefusal(ctx.config, envelope, delivery.trust) : null;
    if (refusal) {
      ctx.record('elevated', sender, `Refused /elevated on: ${refusal}`, {
        refused: true,
        senderId: envelope.senderId,
      });
      ctx.log.warn('elevated refused', {
        session: sessionKey,
        sender: envelope.senderId,
      });
      await ctx.say(refusal);
      return 'handled';
    }
    const scope = command.rest ? 'message' : 'session';
    ctx.record('elevated', sender, `Elevated ${command.on ? 'on' : 'off'} for this ${scope}`, {
      on: command.on,
      scope,
    });
    ctx.log.warn(`elevated ${command.on ? 'on' : 'off'}`, {
      session: sessionKey,
      sender: envelope.senderId,
      scope,
    });
    if (!command.rest) {
      ctx.repo.setElevated(sessionKey, command.on);
      await ctx.say(
        command.on
          ? 'Elevated mode is on for this session: shell commands run on the host. Send /elevated off to end it.'
          : 'Elevated mode is off.',
      );
      return 'handled';
    }
    elevatedNow = command.on;
  } else {
    inbound();
  }
  if (staleElevation) await ctx.say(ELEVATED_GROUP_OFF_TEXT);
  return { elevated: elevatedNow };
}

/** Clears an elevated flag this chat no longer allows, and records that and why. */
function switchOffStale(ctx: ChatCommandContext): void {
  const { sessionKey } = ctx.delivery;
  ctx.repo.setElevated(sessionKey, false);
  ctx.record('elevated', 'system', 'Elevated off: not available in group chats', {
    on: false,
    scope: 'session',
    reason: 'group',
  });
  ctx.log.warn('elevated switched off: not available in group chats', { session: sessionKey });
}
