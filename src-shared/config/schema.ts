import { z } from 'zod';
import { MESSAGING_PROVIDERS, normalizeId, type MessagingProvider } from '../domain/providers.js';
import { AgentConfigSchema, SessionConfigSchema } from './agent-schema.js';
import { LimitsConfigSchema } from './limits-schema.js';
import { LoggingConfigSchema } from './logging-schema.js';
import { describeError } from '../errors/describe-error.js';

/** Who may DM the bot on a provider. */
export const DmPolicySchema = z.enum(['pairing', 'allowlist', 'open', 'disabled']);
/** A DM policy. */
export type DmPolicy = z.infer<typeof DmPolicySchema>;

/** Who may trigger the bot inside groups. */
export const GroupPolicySchema = z.enum(['allowlist', 'open', 'disabled']);
/** A group policy. */
export type GroupPolicy = z.infer<typeof GroupPolicySchema>;

const idList = z.array(z.string().trim().min(1, 'ids must not be empty'));

/** Per-group settings; the `groups` map's keys are group ids or "*". */
export const GroupSettingsSchema = z.strictObject({
  requireMention: z.boolean().optional(),
  enabled: z.boolean().default(true),
});

/** Access settings of one messaging provider. */
export const ProviderAccessSchema = z.strictObject({
  dmPolicy: DmPolicySchema.default('pairing'),
  allowFrom: idList.default([]),
  groups: z.record(z.string().min(1), GroupSettingsSchema).default({}),
  groupPolicy: GroupPolicySchema.default('allowlist'),
  groupAllowFrom: idList.default([]),
});
/** Access settings of one messaging provider, defaults applied. */
export type ProviderAccess = z.infer<typeof ProviderAccessSchema>;

/** Telegram: access settings plus the bot's connection. */
export const TelegramConfigSchema = ProviderAccessSchema.extend({
  /** Set to false to keep the provider off even with a token. */
  enabled: z.boolean().default(true),
  /** The bot token from @BotFather. Prefer `tokenFile` or TELEGRAM_BOT_TOKEN: a config file is easy to leak. */
  botToken: z.string().trim().min(1).optional(),
  /** A file holding only the bot token. */
  tokenFile: z.string().trim().min(1).optional(),
  /** A self-hosted Bot API server (default: Telegram's). */
  apiRoot: z.url({ protocol: /^https?$/, error: 'apiRoot must be an http(s) URL' }).optional(),
});
/** Telegram settings, defaults applied. */
export type TelegramConfig = z.infer<typeof TelegramConfigSchema>;

/** WhatsApp: access settings plus whether to run the linked-device connection. */
export const WhatsAppConfigSchema = ProviderAccessSchema.extend({
  /** Start WhatsApp on gateway start (it also starts whenever a device is linked). */
  enabled: z.boolean().default(false),
});
/** WhatsApp settings, defaults applied. */
export type WhatsAppConfig = z.infer<typeof WhatsAppConfigSchema>;

const ownerShape = Object.fromEntries(
  MESSAGING_PROVIDERS.map((p) => [p, idList.default([])]),
) as Record<MessagingProvider, z.ZodDefault<typeof idList>>;

/** The whole configuration file. Unknown keys are errors, so a typo never silently weakens access. */
export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    assistant: z
      .strictObject({ name: z.string().trim().min(1).default('Clawd') })
      .default({ name: 'Clawd' }),
    owner: z.strictObject(ownerShape).default({ whatsapp: [], telegram: [] }),
    whatsapp: WhatsAppConfigSchema.default(WhatsAppConfigSchema.parse({})),
    telegram: TelegramConfigSchema.default(TelegramConfigSchema.parse({})),
    routing: z
      .strictObject({
        groupChat: z.strictObject({ mentionPatterns: z.array(z.string()).optional() }).default({}),
      })
      .default({ groupChat: {} }),
    agent: AgentConfigSchema.prefault({}),
    session: SessionConfigSchema.prefault({}),
    logging: LoggingConfigSchema.prefault({}),
    limits: LimitsConfigSchema.prefault({}),
  })
  .superRefine((config, ctx) => {
    for (const provider of MESSAGING_PROVIDERS) {
      const access = config[provider];
      const wildcard = access.allowFrom.some((id) => normalizeId(provider, id) === '*');
      if (access.dmPolicy === 'open' && !wildcard) {
        ctx.addIssue({
          code: 'custom',
          path: [provider, 'dmPolicy'],
          message: `${provider}.dmPolicy="open" requires ${provider}.allowFrom to include "*"`,
        });
      }
      if (access.dmPolicy !== 'open' && wildcard) {
        // "*" would silently open the bot to everyone under any other policy.
        ctx.addIssue({
          code: 'custom',
          path: [provider, 'allowFrom'],
          message: `${provider}.allowFrom contains "*", which is only allowed with ${provider}.dmPolicy="open" (it is "${access.dmPolicy}")`,
        });
      }
      if (provider === 'telegram') {
        // Telegram senders arrive as numeric ids; a @username here would silently never match
        // (and usernames change hands), so say so instead of failing closed in silence.
        const lists = {
          'owner.telegram': config.owner.telegram,
          'telegram.allowFrom': access.allowFrom,
          'telegram.groupAllowFrom': access.groupAllowFrom,
        };
        for (const [key, ids] of Object.entries(lists)) {
          ids.forEach((raw, index) => {
            const id = normalizeId(provider, raw);
            if (id !== '*' && !/^\d+$/.test(id)) {
              ctx.addIssue({
                code: 'custom',
                path: [...key.split('.'), index],
                message: `${key}[${index}] is ${JSON.stringify(raw)}, not a Telegram user id: use the numeric id (usernames can change hands)`,
              });
            }
          });
        }
      }
      if (config.owner[provider].some((id) => normalizeId(provider, id) === '*')) {
        ctx.addIssue({
          code: 'custom',
          path: ['owner', provider],
          message: `owner.${provider} must list ids, not "*": the owner's session has host access`,
        });
      }
    }
    for (const provider of MESSAGING_PROVIDERS) {
      const ids = config.agent.elevated.allowFrom[provider];
      if (provider === 'telegram') {
        ids.forEach((raw, index) => {
          const id = normalizeId(provider, raw);
          if (id !== '*' && !/^\d+$/.test(id)) {
            ctx.addIssue({
              code: 'custom',
              path: ['agent', 'elevated', 'allowFrom', provider, index],
              message: `agent.elevated.allowFrom.telegram[${index}] is ${JSON.stringify(raw)}, not a Telegram user id: use the numeric id`,
            });
          }
        });
      }
    }
    config.routing.groupChat.mentionPatterns?.forEach((pattern, index) => {
      const problem = regexProblem(pattern);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          path: ['routing', 'groupChat', 'mentionPatterns', index],
          message: `routing.groupChat.mentionPatterns[${index}] is not a valid regular expression ${JSON.stringify(pattern)}: ${problem}`,
        });
      }
    });
  });

/** A validated configuration with defaults applied. */
export type Config = z.infer<typeof ConfigSchema>;
/** The configuration as written in the file. */
export type ConfigInput = z.input<typeof ConfigSchema>;

function regexProblem(pattern: string): string | null {
  try {
    new RegExp(pattern, 'iu');
    return null;
  } catch (error) {
    return describeError(error);
  }
}

/** The configuration a missing file means: pairing everywhere, groups closed. */
export const defaultConfig: Config = ConfigSchema.parse({});
