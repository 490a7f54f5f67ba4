import type { Config } from '../../../src-shared/config/schema.js';
import { isSandboxedSession } from '../../../src-shared/config/sandbox-schema.js';
import { MAIN_SESSION_KEY } from '../../../src-shared/domain/session-key.js';
import type { SessionIdentity } from '../../store/sessions-repo.js';
import type { Delivery } from '../inbound/delivery.js';

/** Who a delivered message's session is with, and where its tools run under this config. */
export function sessionIdentity(
  delivery: Pick<Delivery, 'envelope' | 'sessionKey' | 'trust'>,
  config: Config,
): SessionIdentity {
  const { envelope, sessionKey, trust } = delivery;
  const toolsRunIn = isSandboxedSession(sessionKey, config.agent.sandbox) ? 'sandbox' : 'host';
  if (sessionKey === MAIN_SESSION_KEY) {
    return {
      key: sessionKey,
      provider: envelope.provider,
      chatKind: 'dm',
      peerId: 'owner',
      title: 'Owner',
      trust,
      toolsRunIn,
    };
  }
  if (envelope.chatKind === 'group') {
    return {
      key: sessionKey,
      provider: envelope.provider,
      chatKind: 'group',
      peerId: envelope.threadId ? `${envelope.chatId}:topic:${envelope.threadId}` : envelope.chatId,
      title: null,
      trust,
      toolsRunIn,
    };
  }
  return {
    key: sessionKey,
    provider: envelope.provider,
    chatKind: 'dm',
    peerId: envelope.senderId,
    title: envelope.senderName ?? null,
    trust,
    toolsRunIn,
  };
}
