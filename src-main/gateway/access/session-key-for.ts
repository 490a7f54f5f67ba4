import type { Envelope } from '../../../src-shared/domain/envelope.js';
import {
  MAIN_SESSION_KEY,
  dmSessionKey,
  groupSessionKey,
} from '../../../src-shared/domain/session-key.js';

/**
 * The session a message belongs to: a group's (topic's) session, whoever wrote; the owner's DMs
 * (and the console) `main`; anyone else's DMs a session of their own. The one derivation, used
 * for deliveries and for the session a dropped message would have reached alike.
 */
export function sessionKeyFor(envelope: Envelope, owner: boolean): string {
  if (envelope.chatKind === 'group')
    return groupSessionKey(envelope.provider, envelope.chatId, envelope.threadId);
  if (owner) return MAIN_SESSION_KEY;
  return dmSessionKey(envelope.provider, envelope.senderId);
}
