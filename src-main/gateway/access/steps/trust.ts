import type { AccessContext } from '../access-context.js';
import { sessionKeyFor } from '../session-key-for.js';
import { drop, type Verdict } from '../verdict.js';

/**
 * Which session a message that passed identity and scope reaches: only the owner's DMs (and the
 * console) reach `main`; an allowed friend or an `open` stranger gets a session of their own;
 * a group gets the group's (topic's) session, whoever wrote. A message whose trust no step
 * decided is dropped: defaulting it to anything would let a pipeline bug hand a stranger a session.
 */
export function trustStep(ctx: AccessContext): Verdict {
  const { envelope, trust } = ctx;
  if (trust === undefined) return drop(ctx, 'trust-undecided');
  return {
    action: 'deliver',
    sessionKey: sessionKeyFor(envelope, trust === 'owner'),
    trust,
    envelope,
    ...(ctx.commandOnly ? { commandOnly: true } : {}),
    ...(ctx.fromOwner ? { fromOwner: true } : {}),
  };
}
