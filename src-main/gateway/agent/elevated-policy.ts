import type { AgentConfig } from '../../../src-shared/config/agent-schema.js';
import type { Envelope } from '../../../src-shared/domain/envelope.js';
import { normalizeId } from '../../../src-shared/domain/providers.js';
import type { SessionTrust } from '../../../src-shared/domain/transcript.js';

/** Why elevated was refused, in words for the sender. */
export const ELEVATED_REFUSED_TEXT = 'Elevated mode is not available to you.';
/** Read-only mode refuses it to everyone, the owner included. */
export const ELEVATED_READ_ONLY_TEXT = 'Elevated mode is off while read-only mode is on.';

/**
 * Whether this sender may switch elevated on: only when `agent.elevated.enabled`, never in
 * read-only mode, and then the owner or a sender listed under `agent.elevated.allowFrom`.
 */
export function elevatedRefusal(
  agent: Pick<AgentConfig, 'elevated' | 'readOnlyMode'>,
  envelope: Pick<Envelope, 'provider' | 'senderId'>,
  trust: SessionTrust,
): string | null {
  if (agent.readOnlyMode) return ELEVATED_READ_ONLY_TEXT;
  if (!agent.elevated.enabled) return ELEVATED_REFUSED_TEXT;
  if (trust === 'owner') return null;
  const provider = envelope.provider;
  if (provider === 'console') return ELEVATED_REFUSED_TEXT;
  const listed = agent.elevated.allowFrom[provider].map((id) => normalizeId(provider, id));
  const sender = normalizeId(provider, envelope.senderId);
  return listed.includes('*') || listed.includes(sender) ? null : ELEVATED_REFUSED_TEXT;
}
