import { z } from 'zod';

/** The messaging providers strangers can arrive on. The console is the owner's own channel. */
export const MessagingProviderSchema = z.enum(['whatsapp', 'telegram']);

/** A messaging provider id. */
export type MessagingProvider = z.infer<typeof MessagingProviderSchema>;

/** Every inbound source: the messaging providers plus the owner's console. */
export const InboundProviderSchema = z.enum(['whatsapp', 'telegram', 'console']);

/** An inbound source id. */
export type InboundProvider = z.infer<typeof InboundProviderSchema>;

/** Every messaging provider, for loops over config and stores. */
export const MESSAGING_PROVIDERS = MessagingProviderSchema.options;

const providerPrefixes: Record<MessagingProvider, RegExp> = {
  telegram: /^(telegram|tg):/i,
  whatsapp: /^(whatsapp|wa):/i,
};

/**
 * The canonical form of a sender or group id as stored and compared: provider prefixes such as
 * `telegram:` / `tg:` stripped, whitespace trimmed, and WhatsApp people as E.164 (`+` and digits,
 * also from a `…@s.whatsapp.net` jid). Group ids keep their own form (a WhatsApp group id is
 * digits too, but never a phone number).
 */
export function normalizeId(
  provider: MessagingProvider,
  raw: string,
  kind: 'user' | 'group' = 'user',
): string {
  const id = raw.trim().replace(providerPrefixes[provider], '').trim();
  if (id === '*' || kind === 'group' || provider !== 'whatsapp') return id;
  const jid = /^(\d+)(?::\d+)?@s\.whatsapp\.net$/.exec(id);
  if (jid) return `+${jid[1]}`;
  if (/^\+?[\d\s().-]+$/.test(id)) return `+${id.replace(/\D/g, '')}`;
  return id;
}
