import type { Config } from '../../../src-shared/config/schema.js';
import type { Envelope } from '../../../src-shared/domain/envelope.js';
import { normalizeId, type InboundProvider } from '../../../src-shared/domain/providers.js';
import type { SessionTrust } from '../../../src-shared/domain/transcript.js';

/** Why elevated was refused, in words for the sender. */
export const ELEVATED_REFUSED_TEXT = 'Elevated mode is not available to you.';
/** Read-only mode refuses it to everyone, the owner included. */
export const ELEVATED_READ_ONLY_TEXT = 'Elevated mode is off while read-only mode is on.';
/** Groups refuse it unless `agent.elevated.groups` allows it. */
export const ELEVATED_GROUP_TEXT =
  "Elevated mode is not available in group chats: everyone's messages here reach the model, so a command on the host could follow someone else's words. Use it in a direct message.";
/** A group session still elevated (switched on before groups refused it) is switched off. */
export const ELEVATED_GROUP_OFF_TEXT = `Elevated mode was on for this group and is now off. ${ELEVATED_GROUP_TEXT}`;

/** The parts of the config elevated depends on. */
export type ElevatedPolicyConfig = Pick<Config, 'owner'> & {
  agent: Pick<Config['agent'], 'elevated' | 'readOnlyMode'>;
};

/**
 * Whether a sender is one elevated is for: an owner id (`owner.<provider>`) or a sender listed
 * under `agent.elevated.allowFrom`. Used both to let a sender switch it on and to choose whose
 * messages an elevated turn may show the model.
 */
export function isElevatedSender(
  config: ElevatedPolicyConfig,
  provider: InboundProvider,
  senderId: string,
): boolean {
  if (provider === 'console') return false;
  const listed = new Set(
    [...config.owner[provider], ...config.agent.elevated.allowFrom[provider]].map((id) =>
      normalizeId(provider, id),
    ),
  );
  return listed.has('*') || listed.has(normalizeId(provider, senderId));
}

/** Why elevated is refused in this kind of chat whoever asks, or null where it may be used. */
export function elevatedChatRefusal(
  config: ElevatedPolicyConfig,
  chatKind: Envelope['chatKind'],
): string | null {
  return chatKind === 'group' && !config.agent.elevated.groups ? ELEVATED_GROUP_TEXT : null;
}

/**
 * Whether this sender may use elevated here: only when `agent.elevated.enabled`, never in
 * read-only mode, in a group only with `agent.elevated.groups`, and then for the owner or a
 * sender listed under `agent.elevated.allowFrom`.
 */
export function elevatedRefusal(
  config: ElevatedPolicyConfig,
  envelope: Pick<Envelope, 'provider' | 'senderId' | 'chatKind'>,
  trust: SessionTrust,
): string | null {
  if (config.agent.readOnlyMode) return ELEVATED_READ_ONLY_TEXT;
  if (!config.agent.elevated.enabled) return ELEVATED_REFUSED_TEXT;
  const chat = elevatedChatRefusal(config, envelope.chatKind);
  if (chat) return chat;
  if (trust === 'owner') return null;
  return isElevatedSender(config, envelope.provider, envelope.senderId)
    ? null
    : ELEVATED_REFUSED_TEXT;
}
