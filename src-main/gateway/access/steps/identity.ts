import { pairingReplyText } from '../../../../src-shared/domain/pairing-display.js';
import type { AccessStep } from '../access-context.js';
import { drop } from '../verdict.js';

/**
 * Who is writing. The console and configured owners are the owner. In DMs the provider's
 * `dmPolicy` decides about everyone else; in groups, `groupPolicy` and `groupAllowFrom` decide
 * who may trigger the bot at all. A stranger's text never gets past this step.
 */
export const identityStep: AccessStep = (ctx, next) => {
  const { envelope } = ctx;
  if (envelope.provider === 'console') {
    ctx.trust = 'owner';
    ctx.fromOwner = true;
    return next();
  }
  const rules = ctx.access.providers[envelope.provider];
  const isOwner = envelope.fromOwnerAccount || rules.owners.has(envelope.senderId);
  ctx.fromOwner = isOwner;

  if (envelope.chatKind === 'group') {
    ctx.trust = 'group';
    ctx.listedInGroup = isOwner || rules.groupAllowFrom.has(envelope.senderId);
    if (rules.groupPolicy === 'disabled') return drop(ctx, 'groups-disabled');
    if (rules.groupPolicy === 'allowlist' && !ctx.listedInGroup && !rules.groupAllowFrom.has('*')) {
      return drop(ctx, 'group-sender-not-allowed');
    }
    return next();
  }

  // `disabled` ignores DMs entirely, the owner's included: it is how the owner turns a provider off.
  if (rules.dmPolicy === 'disabled') return drop(ctx, 'dm-disabled');
  if (isOwner) {
    ctx.trust = 'owner';
    return next();
  }
  if (
    rules.allowFrom.has(envelope.senderId) ||
    ctx.approved.hasDm(envelope.provider, envelope.senderId)
  ) {
    ctx.trust = 'allowed';
    return next();
  }
  switch (rules.dmPolicy) {
    case 'open':
      // Config validation guarantees "*" is listed: anyone, in a session of their own.
      ctx.trust = 'public';
      return next();
    case 'allowlist':
      return drop(ctx, 'not-allowlisted');
    case 'pairing': {
      // A stranger's history never gets a pairing reply, nor a request: a synced phone once
      // sent the reference bot's codes to twenty contacts.
      if (envelope.isHistory) return drop(ctx, 'history');
      // Their first message is kept for the owner to read; the pipeline stops here, so it
      // reaches no session and no model.
      const outcome = ctx.onStranger(
        envelope.provider,
        envelope.senderId,
        envelope.senderName ?? null,
        {
          handle: envelope.senderHandle ?? null,
          firstMessage: envelope.text,
        },
      );
      switch (outcome.kind) {
        case 'created':
          return {
            action: 'pairing-reply',
            code: outcome.request.code,
            text: pairingReplyText(envelope.provider, outcome.request.code, envelope.senderId),
          };
        case 'pending':
          return drop(ctx, 'pairing-pending');
        case 'capped':
          return drop(ctx, 'pairing-capped');
        case 'rejected':
          return drop(ctx, 'pairing-rejected');
        case 'approved':
          ctx.trust = 'allowed';
          return next();
      }
    }
  }
};
