import { isUnmentionedGroupCommand } from '../../../../src-shared/domain/chat-command.js';
import type { AccessStep } from '../access-context.js';
import { normalizeForMentions } from '../compiled-access.js';
import { drop } from '../verdict.js';

/**
 * Where the bot may act. A group must be allowed (listed in `<provider>.groups`, or approved,
 * when either exists; "*" allows all), and in a group the bot answers only when mentioned
 * unless that group says otherwise (`requireMention` resolves group → "*" → true), or the message
 * is a bare command that only starts afresh or lowers power, from a member the group lists.
 */
export const scopeStep: AccessStep = (ctx, next) => {
  const { envelope } = ctx;
  if (envelope.chatKind !== 'group' || envelope.provider === 'console') return next();
  const rules = ctx.access.providers[envelope.provider];
  const own = rules.groups.get(envelope.chatId);
  const wildcard = rules.groups.get('*');
  const approved = ctx.approved.hasGroup(envelope.provider, envelope.chatId);
  // With no group listed anywhere, any group passes here (groupPolicy still decides who may
  // trigger it); once one is listed, the lists are the allowlist.
  const hasAllowlist = rules.groups.size > 0 || ctx.approved.groupCount(envelope.provider) > 0;
  const allowed = own ? own.enabled : approved || (wildcard ? wildcard.enabled : !hasAllowlist);
  if (!allowed) return drop(ctx, 'group-not-allowed');

  const requireMention = own?.requireMention ?? wildcard?.requireMention ?? true;
  if (requireMention && !isMentioned(ctx)) {
    // A bare `/new`, `/reset` or `/elevated off` from someone the group lists is for the bot
    // even unaddressed; it is applied and never reaches the model.
    if (!ctx.listedInGroup || !isUnmentionedGroupCommand(envelope.text)) {
      return drop(ctx, 'not-mentioned');
    }
    ctx.commandOnly = true;
  }
  return next();
};

/**
 * A native mention or reply to the bot counts first. A pattern match counts only when the
 * message @mentions nobody else natively: "Clawd is slow, @bob can you help?" is for Bob.
 */
function isMentioned(ctx: Parameters<AccessStep>[0]): boolean {
  if (ctx.envelope.mentionsBot) return true;
  if (ctx.envelope.mentions.length > 0) return false;
  const text = normalizeForMentions(ctx.envelope.text);
  return ctx.access.mentionPatterns.some((pattern) => pattern.test(text));
}
