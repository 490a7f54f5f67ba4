import type { AccessStep } from '../access-context.js';
import { drop } from '../verdict.js';

/**
 * History and catch-up (messages from before the provider connected) are never answered: a
 * synced phone history once made the reference bot send pairing codes to twenty contacts.
 */
export const freshnessStep: AccessStep = (ctx, next) =>
  ctx.envelope.isHistory ? drop('history') : next();
