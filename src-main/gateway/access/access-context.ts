import type { FirstContact } from '../../../src-shared/domain/access.js';
import type { Envelope } from '../../../src-shared/domain/envelope.js';
import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import type { StrangerOutcome } from '../../access/pairing-service.js';
import type { ApprovedCache } from './approved-cache.js';
import type { CompiledAccess } from './compiled-access.js';
import type { TrustLevel, Verdict } from './verdict.js';

/** What every step sees, and what earlier steps established for later ones. */
export interface AccessContext {
  envelope: Envelope;
  access: CompiledAccess;
  approved: ApprovedCache;
  /** Records a stranger's pairing request (the only thing stored about a stranger). */
  onStranger: (
    provider: MessagingProvider,
    senderId: string,
    displayName: string | null,
    contact: FirstContact,
  ) => StrangerOutcome;
  /**
   * Set when the message waited while the gateway was away — provider history, or recorded
   * before a restart and picked up after it: the time (ms) it is judged at for catch-up
   * (`session.catchUpMinutes`). Absent for live messages (history is then judged at `Date.now()`).
   */
  catchUpAt?: number;
  /** Set by the identity step. */
  trust?: TrustLevel;
  /** Set by the identity step: the owner wrote this (the console, an owner id, the self-chat). */
  fromOwner?: boolean;
  /**
   * Set by the identity step for a group message: the sender is the owner or listed by id in
   * `groupAllowFrom` (not merely let in by an open policy or a "*").
   */
  listedInGroup?: boolean;
  /** Set by the scope step: a bare command let through without a mention, never for the model. */
  commandOnly?: boolean;
}

/** One pipeline step: decide now (return a verdict) or pass on (`return next()`). */
export type AccessStep = (ctx: AccessContext, next: () => Verdict) => Verdict;

/**
 * Chains steps like grammY middleware, but synchronously: every decision is made from memory
 * (and at most one SQLite write for a pairing request), so no promise per message is needed.
 * A step that calls `next` a second time is a bug (the rest of the chain would decide twice, a
 * pairing request be made twice): it throws, as grammY's `concat` does, and the message is not
 * delivered.
 */
export function composeSteps(
  steps: readonly AccessStep[],
  last: (ctx: AccessContext) => Verdict,
): (ctx: AccessContext) => Verdict {
  return (ctx) => {
    const run = (index: number): Verdict => {
      const step = steps[index];
      if (!step) return last(ctx);
      let called = false;
      return step(ctx, () => {
        if (called) throw new Error(`access step ${index}: next() called more than once`);
        called = true;
        return run(index + 1);
      });
    };
    return run(0);
  };
}
