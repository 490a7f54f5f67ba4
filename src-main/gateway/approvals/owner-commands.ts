import type { Delivery, SessionStep } from '../inbound/delivery.js';
import type { OwnerChat } from './owner-chat.js';

/**
 * The session step with `/approve` and `/pair` answered first, outside the session queue: the
 * owner's `main` session is the one paused while a host command waits, so a decision typed there
 * must not wait behind it. Everything else goes on to `inner`.
 */
export function withOwnerCommands(
  inner: SessionStep,
  chat: OwnerChat,
  reply: (delivery: Delivery, text: string) => Promise<void>,
): SessionStep {
  return {
    deliver(delivery) {
      const answer = chat.command(delivery);
      return answer === null ? inner.deliver(delivery) : reply(delivery, answer);
    },
    ...(inner.admit ? { admit: (d, arrival) => inner.admit!(d, arrival) } : {}),
    ...(inner.recordBlocked ? { recordBlocked: (b) => inner.recordBlocked!(b) } : {}),
    ...(inner.recordMissed ? { recordMissed: (m) => inner.recordMissed!(m) } : {}),
    ...(inner.recordGaveUp ? { recordGaveUp: (d) => inner.recordGaveUp!(d) } : {}),
    ...(inner.stop ? { stop: () => inner.stop!() } : {}),
  };
}
