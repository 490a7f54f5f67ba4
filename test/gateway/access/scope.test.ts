import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src-shared/config/schema.js';
import { ConfigSchema } from '../../../src-shared/config/schema.js';
import type { Envelope } from '../../../src-shared/domain/envelope.js';
import type { AccessContext } from '../../../src-main/gateway/access/access-context.js';
import type { ApprovedCache } from '../../../src-main/gateway/access/approved-cache.js';
import {
  compileAccess,
  normalizeForMentions,
} from '../../../src-main/gateway/access/compiled-access.js';
import { decideInbound } from '../../../src-main/gateway/access/pipeline.js';
import { groupMessage, dm } from '../../helpers/gateway-harness.js';

function decide(
  config: ConfigInput,
  envelope: Envelope,
  approvedGroups: string[] = [],
  catchUpAt?: number,
) {
  const approved = {
    hasDm: () => false,
    hasGroup: (_p: string, id: string) => approvedGroups.includes(id),
    groupCount: () => approvedGroups.length,
  } as unknown as ApprovedCache;
  const ctx: AccessContext = {
    envelope,
    access: compileAccess(ConfigSchema.parse(config)),
    approved,
    onStranger: () => {
      throw new Error('no stranger handling expected in these cases');
    },
    ...(catchUpAt === undefined ? {} : { catchUpAt }),
  };
  return decideInbound(ctx);
}

const openGroups = (extra: Partial<NonNullable<ConfigInput['telegram']>> = {}): ConfigInput => ({
  telegram: { groupPolicy: 'open', ...extra },
  routing: { groupChat: { mentionPatterns: ['@clawd\\b', 'hey bot'] } },
});

describe('scope: group allowlists and mention gating', () => {
  it('requires a mention by default, by pattern or by a native mention', () => {
    expect(decide(openGroups(), groupMessage('g', 'u', 'what is up'))).toEqual({
      action: 'drop',
      reason: 'not-mentioned',
      sessionKey: 'group:telegram:g',
    });
    expect(decide(openGroups(), groupMessage('g', 'u', 'HEY BOT help'))).toMatchObject({
      action: 'deliver',
      sessionKey: 'group:telegram:g',
    });
    expect(
      decide(openGroups(), groupMessage('g', 'u', 'no name here', { mentionsBot: true })),
    ).toMatchObject({ action: 'deliver' });
  });

  it('does not count a pattern match when the message natively mentions someone else instead', () => {
    // "@clawd" typed as text while the message @mentions another person: it is for them.
    expect(
      decide(openGroups(), groupMessage('g', 'u', '@clawd tell @bob hi', { mentions: ['@bob'] })),
    ).toEqual({ action: 'drop', reason: 'not-mentioned', sessionKey: 'group:telegram:g' });
    // A text mention (Telegram) or mentionedJid (WhatsApp) of someone else counts the same.
    expect(
      decide(openGroups(), groupMessage('g', 'u', 'hey bot, ask Bob', { mentions: ['4242'] })),
    ).toEqual({ action: 'drop', reason: 'not-mentioned', sessionKey: 'group:telegram:g' });
    // Mentioning the bot natively as well still counts.
    expect(
      decide(
        openGroups(),
        groupMessage('g', 'u', '@clawd_bot tell @bob hi', {
          mentions: ['@clawd_bot', '@bob'],
          mentionsBot: true,
        }),
      ),
    ).toMatchObject({ action: 'deliver' });
  });

  it('sees a mention through zero-width and bidi characters', () => {
    for (const hidden of ['\u200B', '\u200D', '\u202E', '\u2060', '\u2066']) {
      const text = `ping @cl${hidden}awd please`;
      expect(normalizeForMentions(text)).toBe('ping @clawd please');
      expect(decide(openGroups(), groupMessage('g', 'u', text))).toMatchObject({
        action: 'deliver',
      });
    }
  });

  it('resolves requireMention group → "*" → true', () => {
    const cfg = openGroups({
      groups: { '*': { requireMention: false }, quiet: { requireMention: true } },
    });
    expect(decide(cfg, groupMessage('any', 'u', 'plain text'))).toMatchObject({
      action: 'deliver',
    });
    expect(decide(cfg, groupMessage('quiet', 'u', 'plain text'))).toEqual({
      action: 'drop',
      reason: 'not-mentioned',
      sessionKey: 'group:telegram:quiet',
    });
    const listedOnly = openGroups({ groups: { loud: { requireMention: false } } });
    expect(decide(listedOnly, groupMessage('loud', 'u', 'plain'))).toMatchObject({
      action: 'deliver',
    });
  });

  it('treats listed groups as the allowlist once any are listed or approved', () => {
    const cfg = openGroups({ groups: { listed: {} } });
    expect(decide(cfg, groupMessage('other', 'u', '@clawd hi'))).toEqual({
      action: 'drop',
      reason: 'group-not-allowed',
      sessionKey: 'group:telegram:other',
    });
    expect(decide(cfg, groupMessage('listed', 'u', '@clawd hi'))).toMatchObject({
      action: 'deliver',
    });
    expect(
      decide(openGroups(), groupMessage('approved', 'u', '@clawd hi'), ['approved']),
    ).toMatchObject({ action: 'deliver' });
    expect(decide(openGroups(), groupMessage('stray', 'u', '@clawd hi'), ['approved'])).toEqual({
      action: 'drop',
      reason: 'group-not-allowed',
      sessionKey: 'group:telegram:stray',
    });
    expect(
      decide(
        openGroups({ groups: { off: { enabled: false }, '*': {} } }),
        groupMessage('off', 'u', '@clawd'),
      ),
    ).toEqual({ action: 'drop', reason: 'group-not-allowed', sessionKey: 'group:telegram:off' });
  });

  it('honours groupPolicy: disabled drops, allowlist needs groupAllowFrom (empty blocks everyone but the owner)', () => {
    const base = { routing: { groupChat: { mentionPatterns: ['@clawd'] } } };
    expect(
      decide({ ...base, telegram: { groupPolicy: 'disabled' } }, groupMessage('g', 'u', '@clawd')),
    ).toEqual({ action: 'drop', reason: 'groups-disabled', sessionKey: 'group:telegram:g' });
    expect(
      decide({ ...base, telegram: { groupPolicy: 'allowlist' } }, groupMessage('g', 'u', '@clawd')),
    ).toEqual({
      action: 'drop',
      reason: 'group-sender-not-allowed',
      sessionKey: 'group:telegram:g',
    });
    expect(
      decide(
        { ...base, telegram: { groupPolicy: 'allowlist', groupAllowFrom: ['tg:555'] } },
        groupMessage('g', '555', '@clawd'),
      ),
    ).toMatchObject({ action: 'deliver' });
    expect(
      decide({ ...base, owner: { telegram: ['4711'] } }, groupMessage('g', '4711', '@clawd')),
    ).toMatchObject({ action: 'deliver', trust: 'group', sessionKey: 'group:telegram:g' });
  });

  it('takes /new, /reset and /elevated off without a mention, only from members allowed there', () => {
    const cfg: ConfigInput = {
      owner: { telegram: ['4711'] },
      telegram: { groupPolicy: 'allowlist', groupAllowFrom: ['555'] },
      routing: { groupChat: { mentionPatterns: ['@clawd'] } },
    };
    for (const text of ['/new', '/reset', '/elevated off', '  /RESET ']) {
      for (const sender of ['555', '4711']) {
        expect(decide(cfg, groupMessage('g', sender, text))).toEqual({
          action: 'deliver',
          sessionKey: 'group:telegram:g',
          trust: 'group',
          envelope: expect.objectContaining({ text }) as Envelope,
          commandOnly: true,
          // The owner is the owner in a group too, whatever the group's trust.
          ...(sender === '4711' ? { fromOwner: true } : {}),
        });
      }
    }
    // Never for a sender the group does not allow, nor for anyone merely let in by an open
    // policy or a "*": they still need a mention, as for anything else.
    expect(decide(cfg, groupMessage('g', '999', '/new'))).toEqual({
      action: 'drop',
      reason: 'group-sender-not-allowed',
      sessionKey: 'group:telegram:g',
    });
    const open: ConfigInput = { ...cfg, telegram: { groupPolicy: 'open' } };
    expect(decide(open, groupMessage('g', '999', '/new'))).toEqual({
      action: 'drop',
      reason: 'not-mentioned',
      sessionKey: 'group:telegram:g',
    });
    const wildcard: ConfigInput = { ...cfg, telegram: { groupAllowFrom: ['*'] } };
    expect(decide(wildcard, groupMessage('g', '999', '/reset'))).toEqual({
      action: 'drop',
      reason: 'not-mentioned',
      sessionKey: 'group:telegram:g',
    });
    // Only bare commands that reset or lower power: anything for the model, /elevated on, or a
    // command addressed to another bot still needs a mention.
    for (const text of [
      '/new tell me a joke',
      '/elevated on',
      '/elevated off run: ls',
      '/new@other_bot',
      'hi /new',
    ]) {
      expect(decide(cfg, groupMessage('g', '555', text))).toEqual({
        action: 'drop',
        reason: 'not-mentioned',
        sessionKey: 'group:telegram:g',
      });
    }
    // Mentioned, a command is an ordinary delivery.
    expect(decide(cfg, groupMessage('g', '555', '/new', { mentionsBot: true }))).not.toHaveProperty(
      'commandOnly',
    );
  });

  it('puts forum topics in their own session', () => {
    expect(decide(openGroups(), groupMessage('g', 'u', '@clawd', { threadId: '7' }))).toMatchObject(
      { sessionKey: 'group:telegram:g:topic:7' },
    );
  });

  it('catches up history within session.catchUpMinutes, misses older, drops the rest silently', () => {
    const now = 1_700_000_000_000;
    const at = (minutesAgo: number) => ({ isHistory: true, timestamp: now - minutesAgo * 60_000 });
    const mentioned = (minutesAgo: number) =>
      decide(openGroups(), groupMessage('g', 'u', '@clawd', at(minutesAgo)), [], now);
    expect(mentioned(9)).toMatchObject({ action: 'deliver', sessionKey: 'group:telegram:g' });
    expect(mentioned(11)).toMatchObject({ action: 'missed', sessionKey: 'group:telegram:g' });
    const owner: ConfigInput = { owner: { telegram: ['100'] }, session: { catchUpMinutes: 30 } };
    expect(decide(owner, dm('100', 'hi', at(20)), [], now)).toMatchObject({
      action: 'deliver',
      sessionKey: 'main',
    });
    // Not mentioned, or a stranger (no pairing is asked for): dropped as history, no notice.
    expect(decide(openGroups(), groupMessage('g', 'u', 'hi', at(1)), [], now)).toEqual({
      action: 'drop',
      reason: 'history',
      sessionKey: 'group:telegram:g',
    });
    expect(decide({}, dm('stranger', 'hi', at(1)), [], now)).toEqual({
      action: 'drop',
      reason: 'history',
      sessionKey: 'dm:telegram:stranger',
    });
    // Recorded before a restart: judged at the restart, like history.
    expect(
      decide(
        openGroups(),
        groupMessage('g', 'u', '@clawd', { timestamp: now - 11 * 60_000 }),
        [],
        now,
      ),
    ).toMatchObject({ action: 'missed' });
  });

  it('derives the default mention pattern from the assistant name', () => {
    const cfg: ConfigInput = { assistant: { name: 'Molty' }, telegram: { groupPolicy: 'open' } };
    expect(decide(cfg, groupMessage('g', 'u', 'hey molty!'))).toMatchObject({ action: 'deliver' });
    expect(decide(cfg, groupMessage('g', 'u', 'moltyx is not a mention'))).toEqual({
      action: 'drop',
      reason: 'not-mentioned',
      sessionKey: 'group:telegram:g',
    });
  });

  it('gives the console and the WhatsApp self-chat the main session', () => {
    expect(decide({}, dm('local', 'hi', { provider: 'console' }))).toMatchObject({
      sessionKey: 'main',
      trust: 'owner',
    });
    expect(
      decide({}, dm('+15550001', 'hi', { provider: 'whatsapp', fromOwnerAccount: true })),
    ).toMatchObject({ sessionKey: 'main' });
  });
});

describe('id normalisation', () => {
  it('matches WhatsApp people in any written form, and leaves group ids alone', async () => {
    const { normalizeId } = await import('../../../src-shared/domain/providers.js');
    for (const written of [
      '+1 (555) 000-1111',
      '15550001111',
      'wa:+15550001111',
      '15550001111@s.whatsapp.net',
      '15550001111:3@s.whatsapp.net',
    ]) {
      expect(normalizeId('whatsapp', written)).toBe('+15550001111');
    }
    expect(normalizeId('whatsapp', '120363012345', 'group')).toBe('120363012345');
    expect(normalizeId('telegram', 'tg:-100123', 'group')).toBe('-100123');
  });
});
