import type { AccessStep } from '../access-context.js';
import { drop } from '../verdict.js';

/**
 * Catch-up: a message that waited while the gateway was away (history from before the provider
 * connected, or one recorded before a restart) is decided like any other, then answered only if
 * it was sent within `session.catchUpMinutes`; an older one is `missed` (recorded, not answered).
 * History that would not be delivered is dropped silently as `history`, whoever sent it: no
 * pairing reply, no block notice (the identity step never asks for pairing for history).
 */
export const catchUpStep: AccessStep = (ctx, next) => {
  const { envelope } = ctx;
  if (!envelope.isHistory && ctx.catchUpAt === undefined) return next();
  const verdict = next();
  if (verdict.action !== 'deliver') return envelope.isHistory ? drop(ctx, 'history') : verdict;
  const age = (ctx.catchUpAt ?? Date.now()) - envelope.timestamp;
  return age > ctx.access.catchUpMs ? { ...verdict, action: 'missed' } : verdict;
};
