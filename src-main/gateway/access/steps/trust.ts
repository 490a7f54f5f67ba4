import {
  MAIN_SESSION_KEY,
  dmSessionKey,
  groupSessionKey,
} from '../../../../src-shared/domain/session-key.js';
import type { AccessContext } from '../access-context.js';
import type { Verdict } from '../verdict.js';

/**
 * Which session a message that passed identity and scope reaches: only the owner's DMs (and the
 * console) reach `main`; an allowed friend or an `open` stranger gets a session of their own;
 * a group gets the group's (topic's) session, whoever wrote.
 */
export function trustStep(ctx: AccessContext): Verdict {
  const { envelope } = ctx;
  const trust = ctx.trust ?? 'public';
  let sessionKey: string;
  if (envelope.chatKind === 'group')
    sessionKey = groupSessionKey(envelope.provider, envelope.chatId, envelope.threadId);
  else if (trust === 'owner') sessionKey = MAIN_SESSION_KEY;
  else sessionKey = dmSessionKey(envelope.provider, envelope.senderId);
  return {
    action: 'deliver',
    sessionKey,
    trust,
    envelope,
    ...(ctx.commandOnly ? { commandOnly: true } : {}),
    ...(ctx.fromOwner ? { fromOwner: true } : {}),
  };
}
